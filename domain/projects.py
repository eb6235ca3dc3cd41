"""民事民办 projects as data: their states, one transition table, default status rows, what each state allows."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.errors import DomainError
from domain.lifecycle import Rule, StepState, check_rule

ORIGINS = {'vote': '表决通过', 'outcome': '会议决定', 'wish': '认领的微心愿'}


class ProjectState(StepState):
    PREPARING = 'preparing', '筹备中', 4
    UNDERWAY = 'underway', '实施中', 4
    RATING = 'rating', '评价中', 5
    RECTIFYING = 'rectifying', '整改中', 4
    CLOSED = 'closed', '已办结', 5
    CANCELLED = 'cancelled', '已撤销', 4


_STAFF = frozenset({'staff', 'admin'})
_EVALUATION = _STAFF | {'supervisor'}  # 居务监督委员会 runs the rating

_P = ProjectState
TRANSITIONS: dict[ProjectState, dict[ProjectState, Rule]] = {
    _P.PREPARING: {
        _P.UNDERWAY: Rule(_STAFF),
        _P.CANCELLED: Rule(_STAFF, reason_required=True),
    },
    _P.UNDERWAY: {
        _P.RATING: Rule(_STAFF),  # reported done: the rating round opens
        _P.CANCELLED: Rule(_STAFF, reason_required=True),
    },
    _P.RATING: {
        _P.CLOSED: Rule(_EVALUATION),  # the round reached the threshold
        _P.RECTIFYING: Rule(_EVALUATION, reason_required=True),  # 整改: it fell short
    },
    _P.RECTIFYING: {
        _P.RATING: Rule(_STAFF),  # rectified: rated again
    },
    _P.CLOSED: {},
    _P.CANCELLED: {},
}

# Pledges are taken while the work is ahead; money is recorded until the project is closed or cancelled.
PLEDGING = frozenset({_P.PREPARING, _P.UNDERWAY, _P.RECTIFYING})
WORKING = frozenset({_P.PREPARING, _P.UNDERWAY, _P.RATING, _P.RECTIFYING})
RATING_OPEN = frozenset({_P.RATING})


@dataclass(frozen=True)
class StatusSpec:
    """A default status row a community starts with (staff may add their own)."""
    key: str
    label: str
    progress: int


DEFAULT_STATUSES = (
    StatusSpec('planning', '方案设计', 10),
    StatusSpec('procuring', '采购招标', 25),
    StatusSpec('building', '施工中', 50),
    StatusSpec('finishing', '收尾', 80),
    StatusSpec('accepting', '验收', 95),
    StatusSpec('done', '已完工', 100),
)


def check_transition(current: str, target: str, *, roles: frozenset[str], reason: str | None) -> None:
    """Refuse a move the table does not allow: DomainError 'illegal_transition', 'forbidden' or 'reason_required'."""
    here, there = _member(current), _member(target)
    rule = TRANSITIONS.get(here, {}).get(there) if here is not None and there is not None else None
    check_rule(rule, current=label(current), target=label(target), roles=roles, reason=reason)


def allowed_next(current: str, roles: frozenset[str]) -> list[ProjectState]:
    """The states these roles may move the project to, in table order (the buttons a page offers)."""
    here = _member(current)
    edges = TRANSITIONS.get(here, {}) if here is not None else {}
    return [there for there, rule in edges.items() if rule.allows(roles)]


def label(state: str) -> str:
    """The Chinese label of a state; an unknown value is shown as it is."""
    member = _member(state)
    return member.label if member is not None else str(state)


def check_progress(value: object) -> int:
    """A progress value is a whole number 0–100: DomainError 'invalid_progress' otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise DomainError('invalid_progress', '进度请填 0 到 100 之间的整数')
    return value


def _member(value: str) -> ProjectState | None:
    try:
        return ProjectState(value)
    except ValueError:
        return None


# ---- the details a project is set up with (services.projects) ----

MAX_TITLE = 60
MAX_SUMMARY = 2000
MAX_ORG = 60
MAX_PERSON = 40
MAX_SITE = 80
MAX_MILESTONE = 60
MAX_STATUS_LABEL = 20
MAX_UPDATE = 1000
PHASES = {'before': '施工前', 'during': '施工中', 'after': '完工后'}  # of a progress photo
EDITABLE = frozenset({_P.PREPARING, _P.UNDERWAY, _P.RATING, _P.RECTIFYING})  # not closed, not cancelled
FINISHING = frozenset({_P.UNDERWAY, _P.RECTIFYING})  # where 报告完工 (→ rating) starts

_MOBILE = re.compile(r'1[3-9]\d{9}')
_LANDLINE = re.compile(r'(0\d{2,3})-?([2-9]\d{6,7})')


def check_lead_phone(value: object) -> str | None:
    """A contact number: an 11-digit mobile, or a landline with its area code (0717-6221234); empty is None.

    Spaces, dashes and a +86 prefix are dropped; a landline is stored as 区号-号码. DomainError 'invalid_phone'.
    """
    text = re.sub(r'[\s()（）]', '', '' if value is None else str(value))
    text = re.sub(r'^\+?86-?', '', text)
    if not text:
        return None
    if _MOBILE.fullmatch(text.replace('-', '')):
        return text.replace('-', '')
    landline = _LANDLINE.fullmatch(text)
    if landline:
        return f'{landline.group(1)}-{landline.group(2)}'
    raise DomainError('invalid_phone', '联系电话请填 11 位手机号，或带区号的座机号（如 0717-6221234）')


def is_open(state: str) -> bool:
    """Still being worked on or rated: details, milestones and updates may change."""
    return _member(state) in EDITABLE


def parse_date(value: object) -> date | None:
    """A date typed or picked on a page ('2026-09-30', also '2026/9/30'); empty is None. DomainError 'invalid_due'."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip().replace('/', '-')
    if not text:
        return None
    try:
        year, month, day = (int(part) for part in text.split('-'))
        return date(year, month, day)
    except ValueError:
        raise DomainError('invalid_due', '请选择一个日期') from None
