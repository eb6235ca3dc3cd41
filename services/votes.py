"""民事民决: define a vote (from an approved 提交表决 outcome or standalone), open it with its roll frozen, close it by
the organiser or at its deadline with the result frozen, cancel it, and make it final after the 公示 period.

Every state change locks the vote row, extends its hash chain and writes the audit entry in one transaction, and
moves the outcome's issue along its timeline there too (reviewed → voting → published, or back to deliberating).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain import lifecycle
from domain.errors import DomainError
from domain.meetings import LOCAL
from domain.people import checked_text
from domain.permissions import Principal
from domain.tally import Threshold
from domain.votes import VERDICTS, YES_NO, Definition, VoteState, check_definition, check_move
from models import (
    AgendaItem,
    Building,
    Compound,
    Issue,
    Meeting,
    Objection,
    Outcome,
    Vote,
    VoteOption,
    VotePlace,
)
from services import accounts, audit, electorate, events, issues, vote_chain
from services.vote_counting import count, option_specs, roll_digest, rule_for_vote

log = logging.getLogger(__name__)

MAX_REASON = 500
CLOCK_ROLES = frozenset({'staff'})  # the clock closes a vote for the community office


@dataclass(frozen=True)
class VoteDraft:
    """What the organiser fills in: the definition, the places of a 'places' electorate, the on-site meeting."""
    definition: Definition
    compound_ids: tuple[int, ...] = ()
    building_ids: tuple[int, ...] = ()
    onsite_meeting_id: int | None = None
    outcome_id: int | None = None


async def create_vote(actor: Principal, community_id: int, draft: VoteDraft, *, at: datetime | None = None) -> Vote:
    """A draft vote with its options (赞成/反对/弃权 for yes/no); from an outcome it takes the outcome's issue.

    Errors: forbidden, outcome_not_ready, no_places, invalid_place, invalid_meeting, and the definition errors of
    domain.votes.check_definition.
    """
    at = at or audit.now()
    accounts.require(actor, 'vote.manage', community_id)
    values, options, places = await _cleaned(community_id, draft)
    async with in_transaction() as conn:
        issue_id = await _outcome_issue(community_id, draft.outcome_id, conn) if draft.outcome_id is not None \
            else None
        vote = await Vote.create(community_id=community_id, outcome_id=draft.outcome_id, issue_id=issue_id,
                                 created_by_id=actor.account_id, created_at=at, updated_at=at, using_db=conn,
                                 **values)
        await _write_parts(vote.id, options, places, conn)
        await audit.record('vote.created', actor_id=actor.account_id, community_id=community_id, target=vote,
                           data={'title': vote.title, 'outcome_id': draft.outcome_id, 'rule': vote.rule}, at=at,
                           using_db=conn)
    await publish_changed(vote, 'draft')
    return vote


async def update_vote(actor: Principal, vote_id: int, draft: VoteDraft, *, at: datetime | None = None) -> Vote:
    """Change a draft (the outcome it came from stays). Errors: not_found, forbidden, not_editable, and those of
    create_vote."""
    at = at or audit.now()
    vote = await _vote(vote_id)
    accounts.require(actor, 'vote.manage', vote)
    if vote.state != VoteState.DRAFT:
        raise _not_editable()
    values, options, places = await _cleaned(vote.community_id, draft)
    async with in_transaction() as conn:
        if not await Vote.filter(id=vote.id, state=VoteState.DRAFT).using_db(conn).update(updated_at=at, **values):
            raise _not_editable()
        await VoteOption.filter(vote_id=vote.id).using_db(conn).delete()
        await VotePlace.filter(vote_id=vote.id).using_db(conn).delete()
        await _write_parts(vote.id, options, places, conn)
        await audit.record('vote.updated', actor_id=actor.account_id, community_id=vote.community_id, target=vote,
                           data={'title': values['title']}, at=at, using_db=conn)
    await publish_changed(vote, 'draft')
    return await Vote.get(id=vote.id)


async def why_cannot_open(vote_id: int, *, at: datetime | None = None) -> list[str]:
    """What keeps the vote from opening now, in plain Chinese ([] = it may open)."""
    return [e.message for e in await _open_blocks(await _vote(vote_id), at or audit.now())]


async def open_vote(actor: Principal, vote_id: int, *, at: datetime | None = None) -> Vote:
    """开始表决: the roll is frozen, the issue moves to 表决中, the chain starts with 'vote.opened'.

    Ballots are taken from opens_at. Errors: not_found, forbidden, illegal_move, no_options, no_places,
    no_meeting, closes_passed, empty_roll, changed_meanwhile.
    """
    at = at or audit.now()
    vote = await _vote(vote_id)
    accounts.require(actor, 'vote.manage', vote)
    blocks = await _open_blocks(vote, at)
    if blocks:
        raise blocks[0]
    async with in_transaction() as conn:
        vote = await _locked(vote.id, VoteState.DRAFT, conn)
        heads, area = await electorate.freeze_roll(vote, conn=conn, at=at)
        if heads == 0:
            raise _empty_roll()
        await Vote.filter(id=vote.id, state=VoteState.DRAFT).using_db(conn) \
            .update(state=VoteState.OPEN, opened_at=at, updated_at=at)
        options = await option_specs(vote.id, conn)
        data = {'roll': {'heads': heads, 'area': _fraction(area), 'digest': await roll_digest(vote.id, conn)},
                'rule': vote.rule, 'rule_text': rule_for_vote(vote).describe(vote.counting, lang='zh'),
                'counting': vote.counting, 'electorate': vote.electorate, 'ballot_type': vote.ballot_type,
                'max_choices': vote.max_choices, 'options': [[o.id, o.label, o.kind] for o in options],
                'channels': sorted(vote.channels), 'secret': vote.secret, 'allow_change': vote.allow_change,
                'opens_at': vote_chain.iso(vote.opens_at), 'closes_at': vote_chain.iso(vote.closes_at),
                'by': actor.account_id}
        await vote_chain.append(vote.id, 'vote.opened', data, at=at, conn=conn)
        await audit.record('vote.opened', actor_id=actor.account_id, community_id=vote.community_id, target=vote,
                           data={'heads': heads, 'area': _fraction(area)}, at=at, using_db=conn)
        issue = await move_issue(vote, actor, 'reviewed', 'voting', f'开始表决“{vote.title}”', at, conn)
    await publish_changed(vote, VoteState.OPEN, issue)
    return await Vote.get(id=vote.id)


async def why_cannot_close(vote_id: int, *, at: datetime | None = None) -> list[str]:
    """What keeps the organiser from closing the vote now ([] = it may close; early closing needs a reason)."""
    return [e.message for e in _close_blocks(await _vote(vote_id), at or audit.now())]


async def close_vote(actor: Principal | None, vote_id: int, *, at: datetime | None = None,
                     reason: str | None = None) -> Vote:
    """结束表决 and count: the result is frozen, the 公示 period starts, the issue moves on (已公示 when passed,
    else back to 协商中). `actor` None is the clock at the deadline; an organiser closing early gives a reason.

    Errors: not_found, forbidden, illegal_move, not_started, not_due, reason_required, invalid_reason,
    changed_meanwhile.
    """
    at = at or audit.now()
    vote = await _vote(vote_id)
    reason = checked_text(reason, MAX_REASON, 'invalid_reason', '理由') or None
    if actor is None:
        check_move(vote.state, VoteState.CLOSED)
        if at < vote.closes_at:
            raise DomainError('not_due', '还没到截止时间')
    else:
        accounts.require(actor, 'vote.manage', vote)
        blocks = _close_blocks(vote, at)
        if blocks:
            raise blocks[0]
        if at < vote.closes_at and not reason:
            raise DomainError('reason_required', '提前结束表决需要写明原因')
    async with in_transaction() as conn:
        vote = await _locked(vote.id, VoteState.OPEN, conn)
        closed_at = min(at, vote.closes_at)  # the clock closes at the deadline, however late it ticks
        result = await count(vote, conn=conn)
        frozen = result.to_json()
        await Vote.filter(id=vote.id, state=VoteState.OPEN).using_db(conn).update(
            state=VoteState.CLOSED, closed_at=closed_at, verdict=result.verdict, result=frozen,
            publicity_ends_at=closed_at + timedelta(days=vote.publicity_days), state_reason=reason, updated_at=at)
        await vote_chain.append(vote.id, 'vote.closed', {'result': frozen, 'verdict': result.verdict,
                                                         'closed_at': vote_chain.iso(closed_at), 'reason': reason,
                                                         'by': actor.account_id if actor else None}, at=at, conn=conn)
        await audit.record('vote.closed', actor_id=actor.account_id if actor else None,
                           community_id=vote.community_id, target=vote,
                           data={'verdict': result.verdict, 'early': at < vote.closes_at, 'reason': reason},
                           at=at, using_db=conn)
        said = f'表决“{vote.title}”{VERDICTS[result.verdict]}'
        target = 'published' if result.verdict == 'passed' else 'deliberating'
        issue = await move_issue(vote, actor, 'voting', target, said, at, conn)
    await publish_changed(vote, VoteState.CLOSED, issue)
    return await Vote.get(id=vote.id)


async def cancel_vote(actor: Principal, vote_id: int, *, reason: str, at: datetime | None = None) -> Vote:
    """取消 a draft or an open vote with a reason; an issue in 表决中 goes back to 协商中.

    Errors: not_found, forbidden, reason_required, invalid_reason, illegal_move, changed_meanwhile.
    """
    at = at or audit.now()
    vote = await _vote(vote_id)
    accounts.require(actor, 'vote.manage', vote)
    reason = checked_text(reason, MAX_REASON, 'invalid_reason', '理由')
    if not reason:
        raise DomainError('reason_required', '取消表决需要写明原因')
    check_move(vote.state, VoteState.CANCELLED)
    async with in_transaction() as conn:
        vote = await _locked(vote.id, vote.state, conn)
        await Vote.filter(id=vote.id, state=vote.state).using_db(conn) \
            .update(state=VoteState.CANCELLED, state_reason=reason, updated_at=at)
        await vote_chain.append(vote.id, 'vote.cancelled', {'reason': reason, 'by': actor.account_id}, at=at,
                                conn=conn)
        await audit.record('vote.cancelled', actor_id=actor.account_id, community_id=vote.community_id, target=vote,
                           data={'from': vote.state, 'reason': reason}, at=at, using_db=conn)
        issue = await move_issue(vote, actor, 'voting', 'deliberating', f'表决“{vote.title}”已取消：{reason}',
                                  at, conn) if vote.state == VoteState.OPEN else None
    await publish_changed(vote, VoteState.CANCELLED, issue)
    return await Vote.get(id=vote.id)


async def why_cannot_finalise(vote_id: int, *, at: datetime | None = None) -> list[str]:
    """What keeps the result from becoming final: the 公示 period not over, objections not yet answered."""
    return [e.message for e in await _final_blocks(await _vote(vote_id), at or audit.now())]


async def finalise_vote(actor: Principal | None, vote_id: int, *, at: datetime | None = None) -> Vote:
    """已生效: after the 公示 period, with every objection answered. `actor` None is the clock.

    Errors: not_found, forbidden, illegal_move, in_publicity, objections_open, changed_meanwhile.
    """
    at = at or audit.now()
    vote = await _vote(vote_id)
    if actor is not None:
        accounts.require(actor, 'vote.manage', vote)
    blocks = await _final_blocks(vote, at)
    if blocks:
        raise blocks[0]
    async with in_transaction() as conn:
        vote = await _locked(vote.id, VoteState.CLOSED, conn)
        if await Objection.filter(vote_id=vote.id, answered_at=None).using_db(conn).exists():
            raise _objections_open(await Objection.filter(vote_id=vote.id, answered_at=None).using_db(conn).count())
        await Vote.filter(id=vote.id, state=VoteState.CLOSED).using_db(conn) \
            .update(state=VoteState.FINAL, finalised_at=at, updated_at=at)
        await vote_chain.append(vote.id, 'vote.finalised', {'verdict': vote.verdict,
                                                            'by': actor.account_id if actor else None},
                                at=at, conn=conn)
        await audit.record('vote.finalised', actor_id=actor.account_id if actor else None,
                           community_id=vote.community_id, target=vote, data={'verdict': vote.verdict}, at=at,
                           using_db=conn)
    await publish_changed(vote, VoteState.FINAL)
    return await Vote.get(id=vote.id)


# ---- helpers ----

async def _vote(vote_id: int) -> Vote:
    vote = await Vote.get_or_none(id=vote_id)
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    return vote


async def _locked(vote_id: int, state: str, conn: BaseDBAsyncClient) -> Vote:
    """The vote row locked for this transaction, still in `state` (else someone moved it meanwhile)."""
    vote = await vote_chain.lock_vote(vote_id, conn)
    if vote is None or vote.state != state:
        raise DomainError('changed_meanwhile', '这次表决刚被别人处理过，请刷新后再试')
    return vote


async def _cleaned(community_id: int, draft: VoteDraft) -> tuple[dict, list[tuple[str, str]], list[tuple]]:
    d = check_definition(draft.definition)
    places: list[tuple] = []
    if d.electorate == 'places':
        for compound_id in dict.fromkeys(draft.compound_ids):
            if not await Compound.exists(id=compound_id, community_id=community_id):
                raise DomainError('invalid_place', '请选择本社区的小区和楼栋')
            places.append((compound_id, None))
        for building_id in dict.fromkeys(draft.building_ids):
            if not await Building.exists(id=building_id, compound__community_id=community_id):
                raise DomainError('invalid_place', '请选择本社区的小区和楼栋')
            places.append((None, building_id))
        if not places:
            raise DomainError('no_places', '请选择参加表决的小区或楼栋')
    meeting_id = draft.onsite_meeting_id if 'onsite' in d.channels else None
    if meeting_id is not None and not await Meeting.exists(id=meeting_id, community_id=community_id):
        raise DomainError('invalid_meeting', '请选择本社区的议事会')
    options = [(kind, label) for kind, label in YES_NO] if d.ballot_type == 'yes_no' \
        else [('choice', label) for label in d.options]
    values = dict(title=d.title, description=d.description, ballot_type=d.ballot_type,
                  max_choices=d.max_choices if d.ballot_type == 'multiple' else 1, electorate=d.electorate,
                  counting=d.counting, rule=d.rule, **_custom('turnout', d.custom_turnout, strict=False),
                  **_custom('approval', d.custom_approval, strict=True), channels=sorted(d.channels),
                  onsite_meeting_id=meeting_id, max_principals=d.max_principals, results_live=d.results_live,
                  secret=d.secret, allow_change=d.allow_change, opens_at=d.opens_at, closes_at=d.closes_at,
                  publicity_days=d.publicity_days)
    return values, options, places


def _custom(name: str, threshold: Threshold | None, *, strict: bool) -> dict:
    if threshold is None:
        return {f'{name}_num': None, f'{name}_den': None, f'{name}_strict': strict}
    fraction = threshold.fraction  # domain.votes keeps denominators small enough for the columns
    return {f'{name}_num': fraction.numerator, f'{name}_den': fraction.denominator, f'{name}_strict': threshold.strict}


async def _outcome_issue(community_id: int, outcome_id: int, conn: BaseDBAsyncClient) -> int | None:
    """The issue of an approved 提交表决 outcome without a live vote; the outcome row stays locked until commit, so
    two organisers starting a vote from it at once start one."""
    outcome = await Outcome.filter(id=outcome_id).select_for_update().using_db(conn).first()
    item = await AgendaItem.filter(id=outcome.item_id).using_db(conn).prefetch_related('meeting').first() \
        if outcome is not None else None
    if outcome is None or item is None or outcome.state != 'approved' or outcome.kind != 'vote' \
            or item.meeting.community_id != community_id:
        raise DomainError('outcome_not_ready', '只有审核通过、需要提交表决的协商成果可以发起表决')
    if await Vote.filter(outcome_id=outcome_id).exclude(state=VoteState.CANCELLED).using_db(conn).exists():
        raise DomainError('outcome_not_ready', '这条协商成果已经发起过表决')
    return item.issue_id


async def _write_parts(vote_id: int, options: list[tuple[str, str]], places: list[tuple],
                       conn: BaseDBAsyncClient) -> None:
    await VoteOption.bulk_create([VoteOption(vote_id=vote_id, position=i, kind=kind, label=label)
                                  for i, (kind, label) in enumerate(options)], using_db=conn)
    await VotePlace.bulk_create([VotePlace(vote_id=vote_id, compound_id=c, building_id=b) for c, b in places],
                                using_db=conn)


async def _open_blocks(vote: Vote, at: datetime) -> list[DomainError]:
    if vote.state != VoteState.DRAFT:
        return [DomainError('illegal_move', '表决现在是“{state}”，不能再开始', state=VoteState(vote.state).label)]
    blocks = []
    if await VoteOption.filter(vote_id=vote.id).count() < (3 if vote.ballot_type == 'yes_no' else 2):
        blocks.append(DomainError('no_options', '请至少写两个选项'))
    if vote.electorate == 'places' and not await VotePlace.exists(vote_id=vote.id):
        blocks.append(DomainError('no_places', '请选择参加表决的小区或楼栋'))
    if 'onsite' in vote.channels and vote.onsite_meeting_id is None:
        blocks.append(DomainError('no_meeting', '现场投票需要选择在哪次议事会上投票'))
    if vote.closes_at <= at:
        blocks.append(DomainError('closes_passed', '截止时间已过，请先修改表决时间'))
    preview = await electorate.preview_roll(vote.community_id, electorate=vote.electorate, counting=vote.counting,
                                            **await _places(vote.id), at=at)
    if preview.heads == 0:
        blocks.append(_empty_roll())
    elif vote.counting == 'owner' and preview.area == 0:
        blocks.append(DomainError('empty_roll', '参加表决的房屋面积合计为 0，请先核对房屋面积'))
    return blocks


async def _places(vote_id: int) -> dict:
    rows = await VotePlace.filter(vote_id=vote_id).values_list('compound_id', 'building_id')
    return {'compound_ids': [c for c, _ in rows if c], 'building_ids': [b for _, b in rows if b]}


def _close_blocks(vote: Vote, at: datetime) -> list[DomainError]:
    if vote.state != VoteState.OPEN:
        return [DomainError('illegal_move', '表决现在是“{state}”，不能结束', state=VoteState(vote.state).label)]
    if at < vote.opens_at:
        return [DomainError('not_started', '表决还没开始，不能结束；不需要表决了请取消')]
    return []


async def _final_blocks(vote: Vote, at: datetime) -> list[DomainError]:
    if vote.state != VoteState.CLOSED:
        return [DomainError('illegal_move', '表决现在是“{state}”，不能生效', state=VoteState(vote.state).label)]
    blocks = []
    if vote.publicity_ends_at is not None and at < vote.publicity_ends_at:
        ends = vote.publicity_ends_at.astimezone(LOCAL)
        blocks.append(DomainError('in_publicity', '公示到{month}月{day}日 {time}结束，之后才能生效',
                                  month=ends.month, day=ends.day, time=f'{ends:%H:%M}'))
    waiting = await Objection.filter(vote_id=vote.id, answered_at=None).count()
    if waiting:
        blocks.append(_objections_open(waiting))
    return blocks


def _objections_open(n: int) -> DomainError:
    return DomainError('objections_open', '还有 {n} 条异议没有答复', n=n)


def _empty_roll() -> DomainError:
    return DomainError('empty_roll', '选民名单是空的：请先核验参加表决的居民，或检查所选范围')


def _not_editable() -> DomainError:
    return DomainError('not_editable', '表决已经开始或结束，不能再修改')


def _fraction(value: Fraction) -> str:
    return f'{value.numerator}/{value.denominator}'


async def move_issue(vote: Vote, actor: Principal | None, source: str, target: str, reason: str, at: datetime,
                      conn: BaseDBAsyncClient) -> Issue | None:
    """Move the vote's issue along its lifecycle when it is where the vote expects it; otherwise leave it as it is
    (staff may have moved it by hand), and the vote goes on."""
    if vote.issue_id is None:
        return None
    issue = await Issue.filter(id=vote.issue_id).using_db(conn).first()
    if issue is None or issue.kind != 'issue' or issue.state != source:
        log.info('vote %s: issue %s is not %s, left as it is', vote.id, vote.issue_id, source)
        return None
    roles = issues.roles_for(actor, issue) if actor is not None else CLOCK_ROLES
    try:
        lifecycle.check_transition('issue', source, target, roles=roles, reason=reason)
    except DomainError as e:
        log.info('vote %s: issue %s not moved to %s: %s', vote.id, issue.id, target, e.code)
        return None
    if not await Issue.filter(id=issue.id, state=source).using_db(conn).update(state=target, updated_at=at):
        return None
    await issues.record_move(issue, source, target, actor=actor.account_id if actor else None, reason=reason[:500],
                             at=at, conn=conn)
    issue.state = target
    return issue


async def publish_changed(vote: Vote, state: str, issue: Issue | None = None) -> None:
    if issue is not None:
        await events.publish('issue.moved', community_id=issue.community_id, issue_id=issue.id, state=issue.state)
    await events.publish('vote.changed', community_id=vote.community_id, vote_id=vote.id, state=str(state))
