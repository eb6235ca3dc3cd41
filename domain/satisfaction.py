"""民事民评 maths: satisfaction rate = (满意 + 基本满意) / all ratings, compared with the threshold exactly."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

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
