"""民事民评 maths: satisfaction rate = (满意 + 基本满意) / all ratings, compared with the threshold exactly."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from domain.errors import DomainError

VALUES = {'satisfied': '满意', 'fair': '基本满意', 'unsatisfied': '不满意'}
DEFAULT_THRESHOLD = 80  # percent, the community's unless it sets its own


@dataclass(frozen=True)
class Counts:
    satisfied: int = 0
    fair: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.fair + self.unsatisfied

    @property
    def content(self) -> int:
        """满意 + 基本满意."""
        return self.satisfied + self.fair


def rate(counts: Counts) -> Fraction | None:
    """The satisfaction rate as an exact fraction; None when nobody rated."""
    return Fraction(counts.content, counts.total) if counts.total else None


def passes(counts: Counts, threshold_percent: int) -> bool:
    """At or above the threshold (integer cross-multiplication: 4 of 5 is exactly 80 %). Nobody rated: not passed."""
    return counts.total > 0 and counts.content * 100 >= threshold_percent * counts.total


def percent(value: Fraction | None, *, digits: int = 1) -> str:
    """'83.3%' (half up), or '—' when there is no rate."""
    if value is None:
        return '—'
    scaled = value * 100 * 10 ** digits
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    whole, part = divmod(rounded, 10 ** digits)
    return f'{whole}.{part:0{digits}d}%' if digits else f'{whole}%'


# ---- a round's verdict and the inputs a rating round takes (services.ratings) ----

VERDICTS = {'passed': '达标', 'reopened': '未达标，整改', 'no_ratings': '无人评价'}
CHANNELS = {'app': '手机', 'site': '现场扫码', 'staff': '工作人员代录'}
MAX_COMMENT = 500
MAX_MILESTONE = 60
LOWEST_THRESHOLD, HIGHEST_THRESHOLD = 50, 100  # a community may ask more than the default, never less than half
ROUND_DAYS = 7  # a round closes itself this long after it opened (once somebody rated)


def verdict(counts: Counts, threshold_percent: int) -> str:
    """'passed' at or above the threshold, 'reopened' below it (整改), 'no_ratings' when nobody rated."""
    if counts.total == 0:
        return 'no_ratings'
    return 'passed' if passes(counts, threshold_percent) else 'reopened'


def count(values: list[str] | tuple[str, ...]) -> Counts:
    """Counts of rating values ('satisfied', 'fair', 'unsatisfied'); an unknown value is refused, never dropped."""
    unknown = [v for v in values if v not in VALUES]
    if unknown:
        raise ValueError(f'unknown rating values: {unknown}')
    return Counts(satisfied=values.count('satisfied'), fair=values.count('fair'),
                  unsatisfied=values.count('unsatisfied'))


def check_value(value: object) -> str:
    """满意 / 基本满意 / 不满意 only: DomainError 'invalid_rating' otherwise."""
    if not isinstance(value, str) or value not in VALUES:
        raise DomainError('invalid_rating', '请选择满意、基本满意或不满意')
    return value


def check_comment(value: object) -> str:
    """A comment of at most 500 characters (surrounding spaces dropped): DomainError 'invalid_comment'."""
    text = ('' if value is None else str(value)).strip()
    if len(text) > MAX_COMMENT:
        raise DomainError('invalid_comment', '评价最多 {n} 字', n=MAX_COMMENT)
    return text


def check_threshold(value: object) -> int:
    """A whole percent from 50 to 100: DomainError 'invalid_threshold' otherwise (text, decimals, 0, 120 …)."""
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not LOWEST_THRESHOLD <= value <= HIGHEST_THRESHOLD:
        raise DomainError('invalid_threshold', '满意度门槛请填 {low} 到 {high} 之间的整数',
                          low=LOWEST_THRESHOLD, high=HIGHEST_THRESHOLD)
    return value


def outcome_reason(counts: Counts, threshold_percent: int) -> str:
    """The words on the timeline when a round closes: why it closed or went back for 整改."""
    shown = percent(rate(counts))
    if passes(counts, threshold_percent):
        return f'满意率 {shown}，达到 {threshold_percent}%，评价通过'
    return f'满意率 {shown} 低于 {threshold_percent}%，进入整改'
