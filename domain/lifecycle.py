"""Lifecycles of public issues and micro-wishes as data: states, one transition table per kind, one check.

States are stored as plain strings. Their values are unique across both kinds except where the meaning is the
same ('submitted' 已提交, 'rejected' 未受理), so a stored string can be labelled without knowing its kind: that is
why a published micro-wish is 'open' (待认领) and not 'published', which for an issue means 已公示.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from domain.errors import DomainError
from domain.permissions import ROLE_LABELS, ROLES

Kind = Literal['issue', 'wish']

# Who may move an item: the app roles, plus two that come from the item itself (the service adds them).
ACTOR_LABELS = {**ROLE_LABELS, 'author': '提出人', 'claimer': '认领人'}
ACTORS = (*ROLES, 'author', 'claimer')


@dataclass(frozen=True)
class Step:
    """One of the five steps of the 五民工作法, as the resident's timeline groups states."""
    number: int
    key: str
    label: str


STEPS = (
    Step(1, 'raise', '民事民提'),
    Step(2, 'deliberate', '民事民议'),
    Step(3, 'decide', '民事民决'),
    Step(4, 'do', '民事民办'),
    Step(5, 'judge', '民事民评'),
)


class StepState(StrEnum):
    """A state is its stored value, with a Chinese label and the number of its 五民 step."""
    label: str
    step: int

    def __new__(cls, value: str, label: str, step: int) -> StepState:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.step = step
        return member


class IssueState(StepState):
    SUBMITTED = 'submitted', '已提交', 1
    ACCEPTED = 'accepted', '已受理', 1
    REJECTED = 'rejected', '未受理', 1
    MERGED = 'merged', '已合并', 1
    TRIAGED = 'triaged', '已分流', 2
    DELIBERATING = 'deliberating', '协商中', 2
    REFERRED = 'referred', '已转街道', 2
    REVIEWED = 'reviewed', '成果已审核', 3
    VOTING = 'voting', '表决中', 3
    DECIDED = 'decided', '会议已决定', 3
    PUBLISHED = 'published', '已公示', 3
    IN_PROGRESS = 'in_progress', '办理中', 4
    RATING = 'rating', '评价中', 5
    CLOSED = 'closed', '已办结', 5


class WishState(StepState):
    SUBMITTED = 'submitted', '已提交', 1
    REJECTED = 'rejected', '未受理', 1
    OPEN = 'open', '待认领', 1
    CLAIMED = 'claimed', '已认领', 4
    FULFILLED = 'fulfilled', '已完成（待确认）', 4
    CONFIRMED = 'confirmed', '已确认', 5


State = IssueState | WishState


@dataclass(frozen=True)
class Rule:
    """Who may take one edge, and whether they must say why. `never` wins over `roles` (no claiming one's own wish)."""
    roles: frozenset[str]
    reason_required: bool = False
    never: frozenset[str] = frozenset()

    def allows(self, roles: frozenset[str]) -> bool:
        return bool(roles & self.roles) and not roles & self.never


_STAFF = frozenset({'staff', 'admin'})
_DESK = _STAFF | {'committee'}  # the community office: staff record, the 两委 joint meeting decides
_PARTY_REVIEW = frozenset({'committee'})  # the outcome is reviewed by the Party organisation, nobody else
_EVALUATION = _STAFF | {'supervisor'}  # 居务监督委员会 runs the rating
_ANYONE = frozenset(ROLES)

_I = IssueState
ISSUE_TRANSITIONS: dict[IssueState, dict[IssueState, Rule]] = {
    _I.SUBMITTED: {
        _I.ACCEPTED: Rule(_DESK),
        _I.REJECTED: Rule(_DESK, reason_required=True),
        _I.MERGED: Rule(_DESK, reason_required=True),
    },
    _I.ACCEPTED: {
        _I.TRIAGED: Rule(_DESK),
        _I.DELIBERATING: Rule(_DESK),  # urgent: 紧急事项要立即组织协商 — the service offers it for urgent items
        _I.REJECTED: Rule(_DESK, reason_required=True),
        _I.MERGED: Rule(_DESK, reason_required=True),
    },
    _I.TRIAGED: {
        _I.DELIBERATING: Rule(_DESK),  # 小事 / 微事: to the council that leads
        _I.REFERRED: Rule(_DESK),  # 大事: to the street
        _I.MERGED: Rule(_DESK, reason_required=True),  # the joint meeting often finds duplicates
    },
    _I.REFERRED: {
        _I.CLOSED: Rule(_DESK, reason_required=True),  # the street's reply is the reason the resident reads
        _I.DELIBERATING: Rule(_DESK, reason_required=True),  # the street sent it back
    },
    _I.DELIBERATING: {
        _I.REVIEWED: Rule(_PARTY_REVIEW),
        _I.REFERRED: Rule(_DESK),  # the outcome of a meeting can be a referral
    },
    _I.REVIEWED: {
        _I.VOTING: Rule(_DESK),
        _I.DECIDED: Rule(_DESK),
        _I.DELIBERATING: Rule(_PARTY_REVIEW, reason_required=True),  # the review sends it back to be talked over
    },
    _I.VOTING: {
        _I.PUBLISHED: Rule(_DESK),
        _I.DELIBERATING: Rule(_DESK, reason_required=True),  # the proposal did not pass
    },
    _I.DECIDED: {
        _I.PUBLISHED: Rule(_DESK),
    },
    _I.PUBLISHED: {
        _I.IN_PROGRESS: Rule(_DESK),
        _I.DELIBERATING: Rule(_DESK, reason_required=True),  # an objection during 公示 was upheld
    },
    _I.IN_PROGRESS: {
        _I.RATING: Rule(_EVALUATION),
    },
    _I.RATING: {
        _I.CLOSED: Rule(_EVALUATION),
        _I.IN_PROGRESS: Rule(_EVALUATION, reason_required=True),  # 整改: rated below the threshold
    },
    _I.REJECTED: {},
    _I.MERGED: {},
    _I.CLOSED: {},
}

_W = WishState
WISH_TRANSITIONS: dict[WishState, dict[WishState, Rule]] = {
    _W.SUBMITTED: {
        _W.OPEN: Rule(_DESK),
        _W.REJECTED: Rule(_DESK, reason_required=True),
    },
    _W.OPEN: {
        _W.CLAIMED: Rule(_ANYONE, never=frozenset({'author'})),
        _W.REJECTED: Rule(_DESK, reason_required=True),
    },
    _W.CLAIMED: {
        _W.FULFILLED: Rule(_STAFF | {'claimer'}),
        _W.OPEN: Rule(_STAFF | {'claimer'}, reason_required=True),  # given up (or released by staff)
    },
    _W.FULFILLED: {
        # 服务谁、谁评价: the wisher confirms (staff on behalf of one without a phone), never the claimer
        _W.CONFIRMED: Rule(_STAFF | {'author'}, never=frozenset({'claimer'})),
        _W.CLAIMED: Rule(_STAFF | {'author'}, reason_required=True),  # not done after all
    },
    _W.CONFIRMED: {},
    _W.REJECTED: {},
}

TRANSITIONS: dict[str, dict] = {'issue': ISSUE_TRANSITIONS, 'wish': WISH_TRANSITIONS}
_ENUMS: dict[str, type[IssueState] | type[WishState]] = {'issue': IssueState, 'wish': WishState}


def check_transition(kind: Kind, current: str, target: str, *, roles: frozenset[str], reason: str | None) -> None:
    """Refuse a move the table does not allow: DomainError 'illegal_transition', 'forbidden' or 'reason_required'."""
    table = _table(kind)
    here, there = _member(kind, current), _member(kind, target)
    rule = table.get(here, {}).get(there) if here is not None and there is not None else None
    check_rule(rule, current=label(current), target=label(target), roles=roles, reason=reason)


def check_rule(rule: Rule | None, *, current: str, target: str, roles: frozenset[str], reason: str | None) -> None:
    """Refuse one edge of any transition table (labels given): no edge, not these roles, or a missing reason."""
    if rule is None:
        raise DomainError('illegal_transition', '现在是“{current}”，不能改为“{target}”', current=current, target=target)
    if not rule.allows(roles):
        raise DomainError('forbidden', '只有{who}可以把它改为“{target}”', who=_who(rule), target=target)
    if rule.reason_required and not (reason or '').strip():
        raise DomainError('reason_required', '改为“{target}”需要写明原因', target=target)


def allowed_next(kind: Kind, current: str, roles: frozenset[str]) -> list[IssueState] | list[WishState]:
    """The states these roles may move the item to, in table order (the buttons a page offers)."""
    here = _member(kind, current)
    edges = _table(kind).get(here, {}) if here is not None else {}
    return [there for there, rule in edges.items() if rule.allows(roles)]


def rule_for(kind: Kind, current: str, target: str) -> Rule | None:
    """The rule of one edge, or None when the table has no such edge (a page asks it whether to demand a reason)."""
    here, there = _member(kind, current), _member(kind, target)
    return _table(kind).get(here, {}).get(there) if here is not None and there is not None else None


def label(state: str) -> str:
    """The Chinese label of a state of either kind; an unknown value is shown as it is."""
    member = _any_member(state)
    return member.label if member is not None else str(state)


def is_final(state: str) -> bool:
    """True when nothing can follow (closed, merged, rejected, confirmed)."""
    member = _any_member(state)
    if member is None:
        raise ValueError(f'unknown state: {state!r}')
    table = ISSUE_TRANSITIONS if isinstance(member, IssueState) else WISH_TRANSITIONS
    return not table[member]


def public_step(state: str) -> Step:
    """The 五民 step a state belongs to, for the resident's timeline."""
    member = _any_member(state)
    if member is None:
        raise ValueError(f'unknown state: {state!r}')
    return STEPS[member.step - 1]


def _table(kind: str) -> dict:
    if kind not in TRANSITIONS:
        raise ValueError(f'unknown kind: {kind!r}')
    return TRANSITIONS[kind]


def _member(kind: str, value: str) -> IssueState | WishState | None:
    try:
        return _ENUMS[kind](value)
    except ValueError:
        return None


def _any_member(value: str) -> IssueState | WishState | None:
    if isinstance(value, IssueState | WishState):
        return value
    return _member('issue', value) or _member('wish', value)


def _who(rule: Rule) -> str:
    return '、'.join(ACTOR_LABELS[actor] for actor in ACTORS if actor in rule.roles and actor not in rule.never)
