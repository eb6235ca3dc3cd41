"""纪要 and 协商成果: staff write the minutes of each agenda item and draft its outcome; the Party organisation
(两委, outcome.review) approves it or returns it with a note. Minutes are public once written; an outcome only
once approved. An approved outcome moves the item's issue on its timeline where the lifecycle has a fitting step:
提交表决 → 成果已审核 (the vote itself is 民事民决's), 会上议定 → 成果已审核 → 会议已决定, 转交办理 → 已转街道;
暂缓再议 adds nothing (the issue stays 协商中).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import lifecycle
from domain.errors import DomainError
from domain.meetings import OUTCOME_EDITABLE, OUTCOME_KINDS, OUTCOME_MOVES, OUTCOME_STATES, check_outcome_move
from domain.people import checked_text
from domain.permissions import Principal, can
from models import AgendaItem, Issue, Meeting, Notification, Outcome, RoleGrant, Vote
from services import accounts, audit, events, issues

log = logging.getLogger(__name__)

MAX_MINUTES = 5000
MAX_OUTCOME = 2000
MIN_OUTCOME = 2
MAX_NOTE = 500
# the issue moves an approved outcome makes, by kind (domain.lifecycle); deliberating first if not there yet
ISSUE_PATH = {'vote': ('reviewed',), 'decided': ('reviewed', 'decided'), 'referred': ('referred',), 'deferred': ()}
BEFORE_DELIBERATION = ('accepted', 'triaged')


@dataclass(frozen=True)
class OutcomeView:
    id: int
    kind: str
    kind_label: str
    text: str
    state: str
    state_label: str
    written_at: datetime
    reviewed_at: datetime | None
    review_note: str  # only for writers and reviewers
    may_edit: bool
    may_submit: bool
    may_review: bool


@dataclass(frozen=True)
class ItemMinutes:
    id: int
    title: str
    issue_id: int | None
    minutes: str
    minutes_at: datetime | None
    outcome: OutcomeView | None  # None also when not approved and the viewer may not see it
    may_draft: bool  # a new outcome may be written (none yet, or an editable one)


@dataclass(frozen=True)
class MinutesView:
    meeting_id: int
    community_id: int
    title: str
    state: str
    starts_at: datetime
    place: str
    may_write: bool
    may_review: bool
    items: list[ItemMinutes] = field(default_factory=list)


@dataclass(frozen=True)
class QueueEntry:
    outcome_id: int
    meeting_id: int
    meeting_title: str
    item_title: str
    kind_label: str
    text: str
    written_by: str
    written_at: datetime


@dataclass(frozen=True)
class VoteCandidate:
    """An approved outcome of kind 'vote': what 民事民决 puts to the residents."""
    outcome_id: int
    meeting_id: int
    item_id: int
    issue_id: int | None
    title: str
    text: str
    approved_at: datetime


async def write_minutes(actor: Principal, item_id: int, text: str, *, at: datetime | None = None) -> AgendaItem:
    """The minutes of one agenda item; empty text clears them. Errors: not_found, forbidden, meeting_cancelled,
    invalid_minutes."""
    at = at or audit.now()
    item = await _item(item_id)
    _check_writer(actor, item.meeting)
    text = checked_text(text, MAX_MINUTES, 'invalid_minutes', '纪要') or None
    async with in_transaction() as conn:
        await AgendaItem.filter(id=item.id).using_db(conn).update(minutes=text, minutes_by_id=actor.account_id,
                                                                  minutes_at=at)
        await audit.record('meeting.minutes.written', actor_id=actor.account_id, community_id=item.meeting.community_id,
                           target=item, data={'meeting_id': item.meeting_id, 'length': len(text or '')}, at=at,
                           using_db=conn)
    await events.publish('meeting.minutes.written', community_id=item.meeting.community_id,
                         meeting_id=item.meeting_id, item_id=item.id)
    return await AgendaItem.get(id=item.id)


async def draft_outcome(actor: Principal, item_id: int, *, kind: str, text: str,
                        at: datetime | None = None) -> Outcome:
    """Write or edit the outcome of an agenda item while it is a draft or returned.

    Errors: not_found, forbidden, meeting_cancelled, invalid_kind, invalid_outcome, outcome_locked.
    """
    at = at or audit.now()
    item = await _item(item_id)
    meeting = item.meeting
    _check_writer(actor, meeting)
    if kind not in OUTCOME_KINDS:
        raise DomainError('invalid_kind', '请选择成果类型：提交表决、会上议定、转交办理或暂缓再议')
    text = checked_text(text, MAX_OUTCOME, 'invalid_outcome', '协商成果')
    if len(text) < MIN_OUTCOME:
        raise DomainError('invalid_outcome', '请写清楚协商成果（至少 {n} 个字）', n=MIN_OUTCOME)
    values = dict(kind=kind, text=text, written_by_id=actor.account_id, written_at=at)
    outcome = await Outcome.get_or_none(item_id=item.id)
    if outcome is None:
        try:
            async with in_transaction() as conn:
                outcome = await Outcome.create(item_id=item.id, state='draft', using_db=conn, **values)
                await _audit('meeting.outcome.drafted', actor, meeting, outcome, at, conn, kind=kind)
        except IntegrityError:  # a colleague created it at the same moment: edit theirs
            outcome = None
        else:
            await _published(meeting, item.id)
            return outcome
        outcome = await Outcome.get(item_id=item.id)
    if outcome.state not in OUTCOME_EDITABLE:
        raise _locked(outcome.state)
    async with in_transaction() as conn:
        changed = await Outcome.filter(id=outcome.id, state__in=sorted(OUTCOME_EDITABLE)).using_db(conn) \
            .update(**values)
        if not changed:
            raise _locked((await Outcome.get(id=outcome.id)).state)
        await _audit('meeting.outcome.drafted', actor, meeting, outcome, at, conn, kind=kind, edited=True)
    await _published(meeting, item.id)
    return await Outcome.get(id=outcome.id)


async def submit_outcome(actor: Principal, outcome_id: int, *, at: datetime | None = None) -> Outcome:
    """送审: the outcome goes to the Party organisation; the committee members are told.

    Errors: not_found, forbidden, meeting_cancelled, bad_move, changed_meanwhile.
    """
    at = at or audit.now()
    outcome, item, meeting = await _outcome(outcome_id)
    _check_writer(actor, meeting)
    check_outcome_move(outcome.state, 'submitted')
    async with in_transaction() as conn:
        await _move(outcome, 'submitted', {}, conn)
        await _audit('meeting.outcome.submitted', actor, meeting, outcome, at, conn)
        reviewers = await RoleGrant.filter(community_id=meeting.community_id, role='committee') \
            .using_db(conn).values_list('account_id', flat=True)
        for account_id in sorted(set(reviewers) - {actor.account_id}):
            await Notification.create(account_id=account_id, at=at, meeting_id=meeting.id, issue_id=item.issue_id,
                                      text=f'《{item.title}》的协商成果待审核'[:200], using_db=conn)
    await _published(meeting, item.id)
    return await Outcome.get(id=outcome.id)


async def review_outcome(actor: Principal, outcome_id: int, *, approve: bool, note: str | None = None,
                         at: datetime | None = None) -> Outcome:
    """审核: approve (the outcome becomes public, the issue moves on) or return it with a note; the writer is told.

    Errors: not_found, forbidden, bad_move, reason_required, invalid_note, changed_meanwhile.
    """
    at = at or audit.now()
    outcome, item, meeting = await _outcome(outcome_id)
    accounts.require(actor, 'outcome.review', meeting)
    note = checked_text(note, MAX_NOTE, 'invalid_note', '审核意见') or None
    target = 'approved' if approve else 'returned'
    check_outcome_move(outcome.state, target, note=note)
    async with in_transaction() as conn:
        await _move(outcome, target, {'reviewed_by_id': actor.account_id, 'reviewed_at': at, 'review_note': note},
                    conn)
        await _audit(f'meeting.outcome.{target}', actor, meeting, outcome, at, conn, note=note)
        if outcome.written_by_id is not None and outcome.written_by_id != actor.account_id:
            text = f'《{item.title}》的协商成果已审核通过，已公开' if approve \
                else f'《{item.title}》的协商成果被退回：{note}'
            await Notification.create(account_id=outcome.written_by_id, at=at, meeting_id=meeting.id,
                                      issue_id=item.issue_id, text=text[:200], using_db=conn)
    await _published(meeting, item.id)
    if approve and item.issue_id is not None:
        await _record_on_issue(actor, item, meeting, outcome, at)
    return await Outcome.get(id=outcome.id)


async def outcomes_to_vote(community_id: int) -> list[VoteCandidate]:
    """Approved outcomes of kind 'vote' in the community not yet put to a vote (a cancelled one does not count),
    oldest approval first (for 民事民决)."""
    rows = await Outcome.filter(state='approved', kind='vote', item__meeting__community_id=community_id) \
        .order_by('reviewed_at', 'id').prefetch_related('item')
    voted = set(await Vote.filter(outcome_id__in=[o.id for o in rows]).exclude(state='cancelled')
                .values_list('outcome_id', flat=True))
    return [VoteCandidate(o.id, o.item.meeting_id, o.item_id, o.item.issue_id, o.item.title, o.text, o.reviewed_at)
            for o in rows if o.id not in voted]


async def minutes_view(user: Principal, meeting_id: int) -> MinutesView:
    """Every agenda item with its minutes and outcome as this viewer may see them (anyone: approved outcomes).

    Errors: not_found.
    """
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None:
        raise DomainError('not_found', '找不到这次议事会')
    may_write = can(user, 'meeting.minutes', meeting) and meeting.state != 'cancelled'
    may_review = can(user, 'outcome.review', meeting)
    insider = can(user, 'meeting.minutes', meeting) or may_review
    rows = await AgendaItem.filter(meeting_id=meeting.id).order_by('position', 'id')
    outcomes = {o.item_id: o for o in await Outcome.filter(item_id__in=[r.id for r in rows])}
    items = []
    for row in rows:
        outcome = outcomes.get(row.id)
        shown = outcome if outcome is not None and (outcome.state == 'approved' or insider) else None
        items.append(ItemMinutes(
            id=row.id, title=row.title, issue_id=row.issue_id, minutes=row.minutes or '', minutes_at=row.minutes_at,
            outcome=_outcome_view(shown, may_write=may_write, may_review=may_review, insider=insider)
            if shown else None,
            may_draft=may_write and (outcome is None or outcome.state in OUTCOME_EDITABLE)))
    return MinutesView(meeting.id, meeting.community_id, meeting.title, meeting.state, meeting.starts_at,
                       meeting.place, may_write, may_review, items)


async def review_queue(actor: Principal, community_id: int) -> list[QueueEntry]:
    """Outcomes waiting for the Party organisation's review, oldest first. Errors: forbidden."""
    accounts.require(actor, 'outcome.review', community_id)
    rows = await Outcome.filter(state='submitted', item__meeting__community_id=community_id) \
        .order_by('written_at', 'id').prefetch_related('item__meeting', 'written_by')
    return [QueueEntry(o.id, o.item.meeting_id, o.item.meeting.title, o.item.title, OUTCOME_KINDS[o.kind], o.text,
                       o.written_by.name if o.written_by else '', o.written_at) for o in rows]


# ---- helpers ----

async def _item(item_id: int) -> AgendaItem:
    item = await AgendaItem.get_or_none(id=item_id).prefetch_related('meeting')
    if item is None:
        raise DomainError('not_found', '找不到这项议程')
    return item


async def _outcome(outcome_id: int) -> tuple[Outcome, AgendaItem, Meeting]:
    outcome = await Outcome.get_or_none(id=outcome_id).prefetch_related('item__meeting')
    if outcome is None:
        raise DomainError('not_found', '找不到这条协商成果')
    return outcome, outcome.item, outcome.item.meeting


def _check_writer(actor: Principal, meeting: Meeting) -> None:
    accounts.require(actor, 'meeting.minutes', meeting)
    if meeting.state == 'cancelled':
        raise DomainError('meeting_cancelled', '这次议事会已取消')


def _locked(state: str) -> DomainError:
    return DomainError('outcome_locked', '协商成果“{state}”，不能再修改', state=OUTCOME_STATES.get(state, state))


async def _move(outcome: Outcome, target: str, changes: dict, conn) -> None:
    """Apply a checked move only if nobody moved the outcome meanwhile."""
    changed = await Outcome.filter(id=outcome.id, state=outcome.state).using_db(conn).update(state=target, **changes)
    if not changed:
        raise DomainError('changed_meanwhile', '这条协商成果刚被别人处理过，请刷新后再试')


async def _audit(action: str, actor: Principal, meeting: Meeting, outcome: Outcome, at: datetime, conn,
                 **data: object) -> None:
    await audit.record(action, actor_id=actor.account_id, community_id=meeting.community_id, target=outcome,
                       data={'meeting_id': meeting.id, 'item_id': outcome.item_id, **data}, at=at, using_db=conn)


async def _published(meeting: Meeting, item_id: int) -> None:
    await events.publish('outcome.updated', community_id=meeting.community_id, meeting_id=meeting.id, item_id=item_id)


def _outcome_view(outcome: Outcome, *, may_write: bool, may_review: bool, insider: bool) -> OutcomeView:
    return OutcomeView(
        id=outcome.id, kind=outcome.kind, kind_label=OUTCOME_KINDS.get(outcome.kind, outcome.kind), text=outcome.text,
        state=outcome.state, state_label=OUTCOME_STATES.get(outcome.state, outcome.state),
        written_at=outcome.written_at, reviewed_at=outcome.reviewed_at,
        review_note=(outcome.review_note or '') if insider else '',
        may_edit=may_write and outcome.state in OUTCOME_EDITABLE,
        may_submit=may_write and 'submitted' in OUTCOME_MOVES.get(outcome.state, frozenset()),
        may_review=may_review and outcome.state == 'submitted')


async def _record_on_issue(actor: Principal, item: AgendaItem, meeting: Meeting, outcome: Outcome,
                           at: datetime) -> None:
    """Move the agenda item's issue along the fitting steps; a step this reviewer may not take ends the walk
    (the outcome stays approved; staff move the issue by hand on its page)."""
    issue = await Issue.get_or_none(id=item.issue_id)
    if issue is None or issue.kind != 'issue':
        return
    steps = ISSUE_PATH.get(outcome.kind, ())
    if not steps:  # 暂缓再议: the issue stays where it is
        return
    label = OUTCOME_KINDS.get(outcome.kind, outcome.kind)
    reasons = [f'{meeting.title}：{label}，{outcome.text}', *[label] * (len(steps) - 1)]
    if issue.state in BEFORE_DELIBERATION:  # put on the agenda straight from triage
        steps, reasons = ('deliberating', *steps), [f'{meeting.title}协商', *reasons]
    for target, reason in zip(steps, reasons, strict=True):
        if target not in lifecycle.allowed_next('issue', issue.state, issues.roles_for(actor, issue)):
            log.info('outcome %s: issue %s stays %s (no move to %s for this reviewer)', outcome.id, issue.id,
                     issue.state, target)
            return
        try:
            issue = await issues.move(actor, issue.id, target, reason=reason[:500], at=at)
        except DomainError as e:  # moved by someone else meanwhile: the outcome stands, the issue is left as it is
            log.info('outcome %s: issue %s not moved to %s: %s', outcome.id, issue.id, target, e.code)
            return
