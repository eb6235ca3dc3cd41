"""Votes as data (DOMAIN.md §3): states and moves, what a vote may be defined as, a ballot's choices, receipts.

The counting itself lives in domain.tally; this module checks what an organiser and a voter may enter.
"""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from domain.errors import DomainError
from domain.tally import PRESETS, Threshold


class VoteState(StrEnum):
    """A vote's state is its stored value, with a Chinese label."""
    label: str

    def __new__(cls, value: str, label: str) -> VoteState:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    DRAFT = 'draft', '草稿'
    OPEN = 'open', '表决中'
    CLOSED = 'closed', '公示中'
    FINAL = 'final', '已生效'
    CANCELLED = 'cancelled', '已取消'
    ANNULLED = 'annulled', '已作废'


STATES = {s.value: s.label for s in VoteState}
MOVES: dict[str, set[str]] = {
    'draft': {'open', 'cancelled'},
    'open': {'closed', 'cancelled'},
    'closed': {'final', 'annulled'},
    'final': set(),
    'cancelled': set(),
    'annulled': set(),
}


def check_move(current: str, target: str) -> None:
    """Refuses a move the table does not allow. Errors: illegal_move."""
    if target not in MOVES.get(current, set()):
        raise DomainError('illegal_move', '表决“{current}”时不能改为“{target}”',
                          current=STATES.get(current, current), target=STATES.get(target, target))


BALLOT_TYPES = {'yes_no': '赞成/反对/弃权', 'single': '单选', 'multiple': '多选'}
ELECTORATES = {'community': '全社区', 'places': '指定小区或楼栋', 'body': '居民代表'}  # body: residents tagged 居民代表
COUNTINGS = {'person': '按人', 'household': '按户（一户一票）', 'owner': '按业主人数和专有面积'}
CHANNELS = {'online': '手机投票', 'onsite': '现场投票', 'paper': '纸质选票', 'proxy': '委托投票'}
VERDICTS = {'passed': '通过', 'failed': '未通过', 'not_quorate': '参与不足，表决无效', 'tie': '票数相同，未能决出'}
YES_NO = (('yes', '赞成'), ('no', '反对'), ('abstain', '弃权'))
PHASES = {'draft': '草稿', 'not_started': '未开始', 'open': '表决中', 'overdue': '已到截止时间',
          'closed': '公示中', 'final': '已生效', 'cancelled': '已取消', 'annulled': '已作废'}

TITLE_MAX = 60  # Vote.title
DESCRIPTION_MAX = 2000
OPTION_MAX = 60  # VoteOption.label
MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_DENOMINATOR = 100  # custom fractions stay readable: 2/3, 3/5, 7/10
MIN_DURATION = timedelta(minutes=5)  # a show of hands at a meeting can be short, but not instant
MAX_DURATION = timedelta(days=90)
PUBLICITY_DAYS = (1, 30)  # 公示: at least a day, at most a month
PRINCIPALS = (1, 10)  # principals one proxy may hold; 3 is the usual local rule and the default
ADULT_AGE = 18


@dataclass(frozen=True)
class Definition:
    """What the organiser decides before opening. `options` are ignored for yes/no (赞成, 反对, 弃权)."""
    title: str
    description: str
    ballot_type: str
    options: tuple[str, ...]
    max_choices: int
    electorate: str
    counting: str
    rule: str
    custom_turnout: Threshold | None
    custom_approval: Threshold | None
    channels: frozenset[str]
    max_principals: int
    results_live: bool
    secret: bool
    allow_change: bool
    opens_at: datetime
    closes_at: datetime
    publicity_days: int


def _check_threshold(value: Threshold | None, *, approval: bool) -> Threshold | None:
    if value is None:
        if approval:
            raise DomainError('invalid_fraction', '请填写通过需要的比例')
        return None
    f = Fraction(value.fraction)
    if not 0 < f <= 1 or f.denominator > MAX_DENOMINATOR or (value.strict and f == 1):
        raise DomainError('invalid_fraction', '比例要在 0 和 1 之间，例如 2/3，分母不超过 100')
    if approval and f < Fraction(1, 2):
        # below half, both sides of a question could "pass" at once
        raise DomainError('invalid_fraction', '通过需要的比例不能低于半数')
    return Threshold(f, bool(value.strict))


def check_definition(d: Definition) -> Definition:
    """The definition cleaned (trimmed text, options only where they count), or the first thing wrong with it.

    Errors: invalid_title, invalid_description, unknown_ballot_type, too_few_options, too_many_options,
    invalid_option, invalid_max_choices, unknown_electorate, unknown_counting, unknown_rule, rule_needs_owner,
    rule_needs_body, counting_not_allowed, invalid_fraction, no_channel, unknown_channel, invalid_principals,
    invalid_times, invalid_publicity.
    """
    title = (d.title or '').strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError('invalid_title', '请填写表决事项的标题，不超过 60 个字')
    description = (d.description or '').strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError('invalid_description', '说明太长了，请不超过 2000 个字')
    if d.ballot_type not in BALLOT_TYPES:
        raise DomainError('unknown_ballot_type', '请选择表决方式：赞成/反对/弃权、单选或多选')
    options: tuple[str, ...] = ()
    max_choices = 1
    if d.ballot_type != 'yes_no':
        options = tuple((o or '').strip() for o in d.options)
        if len(options) < MIN_OPTIONS:
            raise DomainError('too_few_options', '请至少写两个选项')
        if len(options) > MAX_OPTIONS:
            raise DomainError('too_many_options', '选项太多了，最多 20 个')
        for option in options:
            if not option or len(option) > OPTION_MAX:
                raise DomainError('invalid_option', '每个选项都要写内容，不超过 60 个字')
        if len(set(options)) != len(options):
            raise DomainError('invalid_option', '有两个选项写得一样，请修改')
        if d.ballot_type == 'multiple':
            max_choices = d.max_choices
            if isinstance(max_choices, bool) or not isinstance(max_choices, int) \
                    or not 1 <= max_choices <= len(options):
                raise DomainError('invalid_max_choices', '最多可选几项要在 1 到选项个数之间')
    if d.electorate not in ELECTORATES:
        raise DomainError('unknown_electorate', '请选择谁参加表决')
    if d.counting not in COUNTINGS:
        raise DomainError('unknown_counting', '请选择按人、按户还是按业主计票')
    if d.electorate == 'body' and d.counting != 'person':
        raise DomainError('counting_not_allowed', '居民代表表决只能按人计票')
    custom_turnout = custom_approval = None
    if d.rule == 'custom':
        custom_turnout = _check_threshold(d.custom_turnout, approval=False)
        custom_approval = _check_threshold(d.custom_approval, approval=True)
    elif d.rule not in PRESETS:
        raise DomainError('unknown_rule', '请选择表决规则')
    else:
        preset = PRESETS[d.rule]
        if preset.countings == ('owner',) and d.counting != 'owner':
            raise DomainError('rule_needs_owner', '按《民法典》第二百七十八条表决，要按业主人数和专有面积计票')
        if d.rule == 'village_reps' and d.electorate != 'body':
            raise DomainError('rule_needs_body', '村民代表会议只能由代表参加表决，请选择“居民代表”')
        if d.counting not in preset.countings:
            raise DomainError('counting_not_allowed', '“{rule}”不能{counting}计票', rule=preset.label,
                              counting=COUNTINGS[d.counting])
    channels = frozenset(d.channels or ())
    if not channels:
        raise DomainError('no_channel', '请至少选择一种投票方式')
    if not channels <= set(CHANNELS):
        raise DomainError('unknown_channel', '投票方式不对')
    max_principals = d.max_principals
    if 'proxy' not in channels:
        max_principals = max_principals if isinstance(max_principals, int) and \
            PRINCIPALS[0] <= max_principals <= PRINCIPALS[1] else 3
    elif isinstance(max_principals, bool) or not isinstance(max_principals, int) \
            or not PRINCIPALS[0] <= max_principals <= PRINCIPALS[1]:
        raise DomainError('invalid_principals', '一位受托人最多代几户投票，要在 1 到 10 之间')
    opens_at, closes_at = d.opens_at, d.closes_at
    if not isinstance(opens_at, datetime) or not isinstance(closes_at, datetime) \
            or (opens_at.tzinfo is None) != (closes_at.tzinfo is None):
        raise DomainError('invalid_times', '请填写开始和截止时间')
    if closes_at - opens_at < MIN_DURATION:
        raise DomainError('invalid_times', '截止时间要在开始时间至少 5 分钟之后')
    if closes_at - opens_at > MAX_DURATION:
        raise DomainError('invalid_times', '表决时间太长了，最多 90 天')
    publicity_days = d.publicity_days
    if isinstance(publicity_days, bool) or not isinstance(publicity_days, int) \
            or not PUBLICITY_DAYS[0] <= publicity_days <= PUBLICITY_DAYS[1]:
        raise DomainError('invalid_publicity', '公示天数要在 1 到 30 天之间')
    return replace(d, title=title, description=description, options=options, max_choices=max_choices,
                   custom_turnout=custom_turnout, custom_approval=custom_approval, channels=channels,
                   max_principals=max_principals, results_live=bool(d.results_live), secret=bool(d.secret),
                   allow_change=bool(d.allow_change))


def check_choices(ballot_type: str, max_choices: int, option_ids: Sequence[int],
                  choices: Sequence[int]) -> tuple[int, ...]:
    """The choices sorted, or why they cannot be a ballot. Errors: no_choice, unknown_option, duplicate_choice,
    too_many_choices."""
    if not choices:
        raise DomainError('no_choice', '请先选择一项')
    known = set(option_ids)
    for choice in choices:
        if isinstance(choice, bool) or not isinstance(choice, int) or choice not in known:
            raise DomainError('unknown_option', '选票上没有这个选项，请刷新后重新选择')
    if len(set(choices)) != len(choices):
        raise DomainError('duplicate_choice', '同一个选项只能选一次')
    limit = max_choices if ballot_type == 'multiple' else 1
    if len(choices) > limit:
        if limit == 1:
            raise DomainError('too_many_choices', '这次表决只能选一项')
        raise DomainError('too_many_choices', '最多只能选 {k} 项', k=limit)
    return tuple(sorted(choices))


def is_adult(birth_year: int | None, *, year: int) -> bool:
    """18 or older this year. Only the birth year is on record, so a resident turning 18 this year counts; an
    unknown birth year counts too (staff verified the person when they registered)."""
    return birth_year is None or year - birth_year >= ADULT_AGE


RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'  # no 0/O, 1/I/L: read aloud and typed back without doubt


def new_receipt() -> str:
    """A receipt code like 'K7Q2-9XMP': eight random characters (about 40 bits) in two groups of four."""
    code = ''.join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f'{code[:4]}-{code[4:]}'


def normalise_receipt(text: str) -> str:
    """What a person typed, as a stored code: upper case, spaces dropped, the hyphen restored."""
    raw = ''.join(ch for ch in (text or '').upper() if ch.isascii() and ch.isalnum())
    return f'{raw[:4]}-{raw[4:]}' if len(raw) == 8 else raw


def phase(state: str, opens_at: datetime, closes_at: datetime, at: datetime) -> str:
    """Where a vote stands for labels: draft | not_started | open | overdue (past closing, not yet closed) |
    closed (公示) | final | cancelled | annulled. PHASES has the Chinese."""
    if state == 'open':
        if at < opens_at:
            return 'not_started'
        return 'open' if at < closes_at else 'overdue'
    return state if state in PHASES else 'draft'
