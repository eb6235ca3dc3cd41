"""Votes: define, open with the roll frozen, close with the result frozen, cancel, make final; the issue moves."""
from __future__ import annotations

import asyncio
import contextlib
import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from domain.tally import Result
from models import AuditEntry, Ballot, ChainEntry, Elector, Issue, IssueEvent, Objection, Vote, VoteOption
from services import events, issues, minutes, vote_clock, vote_counting, votes
from services.issues import Draft
from tests.support import (
    make_account,
    make_agenda_item,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    make_vote,
    principal_of,
)

pytestmark = pytest.mark.usefixtures('db')

AT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
CLOSES = AT + timedelta(days=7)
_receipts = itertools.count(1)


@pytest.fixture
async def world():
    community = await make_community()
    home = await make_household(community, building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    neighbours = [await make_resident(community, name=f'邻居{i}', household=home) for i in range(3)]
    staff = await principal_of(await make_account(community, 'staff', name='王丽'))
    committee = await principal_of(await make_account(community, 'committee', name='陈书记'))
    author_p = await principal_of(await make_account(community, name='周美华', resident=author, password=None))
    return {'community': community, 'staff': staff, 'committee': committee, 'author': author_p,
            'residents': [author, *neighbours]}


async def _reviewed_issue(world, kind: str = 'vote'):
    """An issue talked over at a meeting whose outcome the Party organisation approved."""
    issue = await issues.raise_item(world['author'], Draft(kind='issue', title='3栋加装电梯', body='老人上下楼难',
                                                           category='elevator'))
    for state in ('accepted', 'triaged', 'deliberating'):
        await issues.move(world['staff'], issue.id, state)
    item = await make_agenda_item(await make_meeting(world['community']), issue=issue)
    outcome = await minutes.draft_outcome(world['staff'], item.id, kind=kind, text='加装电梯方案提交居民表决')
    await minutes.submit_outcome(world['staff'], outcome.id)
    outcome = await minutes.review_outcome(world['committee'], outcome.id, approve=True)
    return await Issue.get(id=issue.id), outcome


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def _cast(vote, elector: Elector, kind: str, *, seq: int = 1) -> Ballot:
    option = await VoteOption.get(vote_id=vote.id, kind=kind)
    n = next(_receipts)
    return await Ballot.create(vote_id=vote.id, elector=elector, seq=seq, choices=[option.id], channel='online',
                               nonce=f'n{n}', receipt=f'R{n:07d}', cast_at=AT + timedelta(hours=1))


async def _electors(vote) -> list[Elector]:
    return await Elector.filter(vote_id=vote.id).order_by('id')


# ---- defining ----

async def test_a_vote_from_an_approved_outcome_takes_its_issue_and_yes_no_options(world):
    issue, outcome = await _reviewed_issue(world)
    assert issue.state == 'reviewed'
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id)
    assert (vote.state, vote.outcome_id, vote.issue_id) == ('draft', outcome.id, issue.id)
    options = await VoteOption.filter(vote_id=vote.id).order_by('position').values_list('kind', 'label')
    assert options == [('yes', '赞成'), ('no', '反对'), ('abstain', '弃权')]
    assert await AuditEntry.filter(action='vote.created', target_id=vote.id).count() == 1


async def test_an_outcome_not_for_voting_or_already_voted_on_is_refused(world):
    _, decided = await _reviewed_issue(world, kind='decided')
    refused = await _refusal(make_vote(world['community'], actor=world['staff'], outcome_id=decided.id))
    assert refused.code == 'outcome_not_ready'
    _, outcome = await _reviewed_issue(world)
    first = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id)
    again = await _refusal(make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id))
    assert (again.code, again.message) == ('outcome_not_ready', '这条协商成果已经发起过表决')
    await votes.cancel_vote(world['staff'], first.id, reason='方案要改')
    assert (await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id)).state == 'draft'


async def test_two_organisers_starting_a_vote_from_one_outcome_at_once_start_one(world):
    _, outcome = await _reviewed_issue(world)
    second = await principal_of(await make_account(world['community'], 'staff', name='李强'))
    made = await asyncio.gather(make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id),
                                make_vote(world['community'], actor=second, outcome_id=outcome.id),
                                return_exceptions=True)
    assert sorted(type(m).__name__ for m in made) == ['DomainError', 'Vote']
    assert next(m for m in made if isinstance(m, DomainError)).code == 'outcome_not_ready'
    assert await Vote.filter(outcome_id=outcome.id).count() == 1


async def test_an_outcome_of_another_community_is_refused(world):
    _, outcome = await _reviewed_issue(world)
    other = await make_community(name='桃山村')
    refused = await _refusal(make_vote(other, outcome_id=outcome.id))
    assert refused.code == 'outcome_not_ready'


async def test_only_staff_define_votes(world):
    refused = await _refusal(make_vote(world['community'], actor=world['author']))
    assert refused.code == 'forbidden'
    assert await Vote.all().count() == 0


async def test_a_single_choice_vote_keeps_its_options_in_order(world):
    vote = await make_vote(world['community'], ballot_type='single', options=('东侧', '西侧', '不装'))
    assert await VoteOption.filter(vote_id=vote.id).order_by('position').values_list('label', 'kind') == \
        [('东侧', 'choice'), ('西侧', 'choice'), ('不装', 'choice')]


async def test_places_must_be_chosen_and_be_in_the_community(world):
    assert (await _refusal(make_vote(world['community'], electorate='places'))).code == 'no_places'
    other = await make_community(name='桃山村')
    foreign = await make_household(other, compound='桃花苑')
    refused = await _refusal(make_vote(world['community'], electorate='places',
                                       building_ids=(foreign.building_id,)))
    assert refused.code == 'invalid_place'


async def test_a_draft_can_be_changed_and_an_open_vote_cannot(world):
    vote = await make_vote(world['community'], actor=world['staff'])
    changed = replace(_definition(vote), title='3栋加装电梯（修改）', ballot_type='single', options=('装', '不装'))
    vote = await votes.update_vote(world['staff'], vote.id, votes.VoteDraft(changed), at=AT)
    assert vote.title == '3栋加装电梯（修改）'
    assert await VoteOption.filter(vote_id=vote.id).order_by('position').values_list('label', flat=True) == \
        ['装', '不装']
    await votes.open_vote(world['staff'], vote.id, at=AT)
    refused = await _refusal(votes.update_vote(world['staff'], vote.id, votes.VoteDraft(changed), at=AT))
    assert refused.code == 'not_editable'


def _definition(vote):
    from domain.votes import Definition
    return Definition(title=vote.title, description=vote.description, ballot_type=vote.ballot_type, options=(),
                      max_choices=1, electorate=vote.electorate, counting=vote.counting, rule=vote.rule,
                      custom_turnout=None, custom_approval=None, channels=frozenset(vote.channels),
                      max_principals=3, results_live=True, secret=False, allow_change=False,
                      opens_at=AT, closes_at=CLOSES, publicity_days=7)


# ---- opening ----

async def test_the_guards_say_why_a_vote_cannot_open(world):
    empty = await make_community(name='空社区')
    vote = await make_vote(empty, channels=frozenset({'online', 'onsite'}), opens_at=AT)
    reasons = await votes.why_cannot_open(vote.id, at=CLOSES + timedelta(minutes=1))
    assert reasons == ['现场投票需要选择在哪次议事会上投票', '截止时间已过，请先修改表决时间',
                       '选民名单是空的：请先核验参加表决的居民，或检查所选范围']
    staff = await principal_of(await make_account(empty, 'staff'))
    assert (await _refusal(votes.open_vote(staff, vote.id, at=AT))).code == 'no_meeting'
    assert await Vote.get(id=vote.id).values_list('state', flat=True) == 'draft'


async def test_opening_freezes_the_roll_starts_the_chain_and_moves_the_issue_to_voting(world):
    issue, outcome = await _reviewed_issue(world)
    heard = []
    events.subscribe('vote.changed', heard.append)
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id)
    assert await votes.why_cannot_open(vote.id, at=AT) == []
    vote = await votes.open_vote(world['staff'], vote.id, at=AT)
    assert (vote.state, vote.opened_at) == ('open', AT)
    assert await Elector.filter(vote_id=vote.id).count() == 4
    entry = await ChainEntry.get(vote_id=vote.id)
    assert (entry.seq, entry.kind, entry.data['roll']['heads'], entry.data['rule']) == \
        (1, 'vote.opened', 4, 'simple_majority')
    assert (await Issue.get(id=issue.id)).state == 'voting'
    move = await IssueEvent.filter(issue_id=issue.id).order_by('-id').first()
    assert (move.to_state, move.actor_id, move.reason) == ('voting', world['staff'].account_id, '开始表决“加装电梯”')
    assert await AuditEntry.filter(action='vote.opened', target_id=vote.id).count() == 1
    assert heard[-1].payload == {'community_id': world['community'].id, 'vote_id': vote.id, 'state': 'open'}
    again = await _refusal(votes.open_vote(world['staff'], vote.id, at=AT))
    assert again.code == 'illegal_move'


# ---- closing ----

async def test_early_closing_needs_a_reason_and_closing_before_the_start_is_refused(world):
    vote = await make_vote(world['community'], actor=world['staff'], opens_at=AT + timedelta(days=1), open_at=AT)
    assert await votes.why_cannot_close(vote.id, at=AT) == ['表决还没开始，不能结束；不需要表决了请取消']
    during = AT + timedelta(days=2)
    assert await votes.why_cannot_close(vote.id, at=during) == []
    refused = await _refusal(votes.close_vote(world['staff'], vote.id, at=during))
    assert refused.code == 'reason_required'
    assert (await _refusal(votes.close_vote(world['author'], vote.id, at=during, reason='够了'))).code == 'forbidden'
    assert (await _refusal(votes.close_vote(None, vote.id, at=during))).code == 'not_due'
    assert (await Vote.get(id=vote.id)).state == 'open'


async def test_closing_freezes_the_result_of_the_counted_ballots_and_publishes_the_passed_issue(world):
    issue, outcome = await _reviewed_issue(world)
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id, open_at=AT)
    a, b, c, _ = await _electors(vote)
    await _cast(vote, a, 'no')
    await _cast(vote, a, 'yes', seq=2)  # a changed ballot: the latest counts
    await _cast(vote, b, 'yes')
    await _cast(vote, c, 'no')
    heard = []
    events.subscribe('vote.changed', heard.append)
    early = AT + timedelta(days=3)
    vote = await votes.close_vote(world['staff'], vote.id, at=early, reason='全部住户已表态')
    assert (vote.state, vote.verdict, vote.closed_at, vote.state_reason) == \
        ('closed', 'passed', early, '全部住户已表态')
    assert vote.publicity_ends_at == early + timedelta(days=7)
    result = Result.from_json(vote.result)
    assert (result.voted_heads, result.option('yes').heads, result.option('no').heads) == (3, 2, 1)
    chain = await ChainEntry.filter(vote_id=vote.id).order_by('seq').values_list('kind', flat=True)
    assert chain == ['vote.opened', 'vote.closed']
    closed_entry = await ChainEntry.get(vote_id=vote.id, kind='vote.closed')
    assert closed_entry.data['result'] == vote.result and closed_entry.data['reason'] == '全部住户已表态'
    assert (await Issue.get(id=issue.id)).state == 'published'
    assert heard[-1].payload['state'] == 'closed'
    assert await AuditEntry.filter(action='vote.closed', target_id=vote.id).count() == 1


async def test_a_failed_vote_sends_the_issue_back_to_deliberation_with_the_verdict(world):
    issue, outcome = await _reviewed_issue(world)
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id, open_at=AT)
    a, b, *_ = await _electors(vote)
    await _cast(vote, a, 'no')
    await _cast(vote, b, 'abstain')
    vote = await votes.close_vote(None, vote.id, at=CLOSES)
    assert vote.verdict == 'failed'
    assert (await Issue.get(id=issue.id)).state == 'deliberating'
    move = await IssueEvent.filter(issue_id=issue.id).order_by('-id').first()
    assert (move.from_state, move.actor_id, move.reason) == ('voting', None, '表决“加装电梯”未通过')


async def test_a_vote_nobody_took_part_in_is_not_quorate(world):
    vote = await make_vote(world['community'], open_at=AT, rule='residents_meeting')
    a, *_ = await _electors(vote)
    await _cast(vote, a, 'yes')  # 1 of 4: not more than half
    vote = await votes.close_vote(None, vote.id, at=CLOSES)
    assert vote.verdict == 'not_quorate'


async def test_the_clock_closes_at_the_deadline_however_late_it_ticks(world):
    vote = await make_vote(world['community'], open_at=AT)
    assert await vote_clock.tick(at=CLOSES - timedelta(seconds=1)) == (0, 0)
    late = CLOSES + timedelta(minutes=3)
    assert await vote_clock.tick(at=late) == (1, 0)
    vote = await Vote.get(id=vote.id)
    assert (vote.state, vote.closed_at, vote.publicity_ends_at) == ('closed', CLOSES, CLOSES + timedelta(days=7))
    closed = await AuditEntry.get(action='vote.closed', target_id=vote.id)
    assert closed.actor_id is None
    assert await vote_clock.tick(at=late) == (0, 0)


async def test_two_organisers_closing_at_once_close_it_once(world):
    vote = await make_vote(world['community'], actor=world['staff'], open_at=AT)
    await _cast(vote, (await _electors(vote))[0], 'yes')
    second = await principal_of(await make_account(world['community'], 'staff', name='李强'))
    during = AT + timedelta(days=1)
    outcomes = await asyncio.gather(
        votes.close_vote(world['staff'], vote.id, at=during, reason='提前结束'),
        votes.close_vote(second, vote.id, at=during, reason='提前结束'),
        vote_clock.tick(at=CLOSES), return_exceptions=True)
    closed = [o for o in outcomes[:2] if isinstance(o, Vote)]
    refused = [o for o in outcomes[:2] if isinstance(o, DomainError)]
    assert len(closed) + (outcomes[2] == (1, 0)) == 1
    assert all(e.code in {'changed_meanwhile', 'illegal_move'} for e in refused)
    assert await ChainEntry.filter(vote_id=vote.id, kind='vote.closed').count() == 1
    assert await AuditEntry.filter(action='vote.closed', target_id=vote.id).count() == 1
    assert (await Vote.get(id=vote.id)).state == 'closed'


# ---- cancelling ----

async def test_cancelling_needs_a_reason_and_sends_a_voting_issue_back(world):
    issue, outcome = await _reviewed_issue(world)
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id, open_at=AT)
    assert (await _refusal(votes.cancel_vote(world['staff'], vote.id, reason='  ', at=AT))).code == 'reason_required'
    vote = await votes.cancel_vote(world['staff'], vote.id, reason='方案有误，重新协商', at=AT + timedelta(hours=1))
    assert (vote.state, vote.state_reason) == ('cancelled', '方案有误，重新协商')
    assert (await Issue.get(id=issue.id)).state == 'deliberating'
    assert await ChainEntry.filter(vote_id=vote.id).order_by('seq').values_list('kind', flat=True) == \
        ['vote.opened', 'vote.cancelled']
    assert (await _refusal(votes.open_vote(world['staff'], vote.id, at=AT))).code == 'illegal_move'


async def test_cancelling_a_draft_leaves_the_issue_waiting_for_a_vote(world):
    issue, outcome = await _reviewed_issue(world)
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id)
    await votes.cancel_vote(world['staff'], vote.id, reason='换个时间')
    assert (await Issue.get(id=issue.id)).state == 'reviewed'
    closed = await _refusal(votes.close_vote(world['staff'], vote.id, reason='x'))
    assert closed.code == 'illegal_move'


# ---- 公示 and final ----

async def test_the_result_becomes_final_only_after_the_publicity_period_with_every_objection_answered(world):
    vote = await make_vote(world['community'], actor=world['staff'], open_at=AT)
    await votes.close_vote(None, vote.id, at=CLOSES)
    ends = CLOSES + timedelta(days=7)
    assert await votes.why_cannot_finalise(vote.id, at=ends - timedelta(hours=1)) == \
        ['公示到6月15日 10:00结束，之后才能生效']
    objection = await Objection.create(vote_id=vote.id, account_id=world['author'].account_id, text='票数有误',
                                       created_at=CLOSES + timedelta(days=1))
    assert await votes.why_cannot_finalise(vote.id, at=ends) == ['还有 1 条异议没有答复']
    assert await vote_clock.tick(at=ends) == (0, 0)
    refused = await _refusal(votes.finalise_vote(world['staff'], vote.id, at=ends))
    assert refused.code == 'objections_open'
    objection.answer, objection.upheld, objection.answered_at = '已核对，无误', False, ends
    await objection.save()
    assert await vote_clock.tick(at=ends) == (0, 1)
    vote = await Vote.get(id=vote.id)
    assert (vote.state, vote.finalised_at) == ('final', ends)
    assert await ChainEntry.filter(vote_id=vote.id).order_by('seq').values_list('kind', flat=True) == \
        ['vote.opened', 'vote.closed', 'vote.finalised']


async def test_staff_may_not_finalise_during_the_publicity_period(world):
    vote = await make_vote(world['community'], actor=world['staff'], open_at=AT)
    await votes.close_vote(None, vote.id, at=CLOSES)
    refused = await _refusal(votes.finalise_vote(world['staff'], vote.id, at=CLOSES + timedelta(days=1)))
    assert refused.code == 'in_publicity'
    assert (await _refusal(votes.finalise_vote(world['author'], vote.id, at=CLOSES + timedelta(days=8)))).code \
        == 'forbidden'
    final = await votes.finalise_vote(world['staff'], vote.id, at=CLOSES + timedelta(days=8))
    assert final.state == 'final'
    assert (await AuditEntry.get(action='vote.finalised')).actor_id == world['staff'].account_id


async def test_the_background_loop_closes_overdue_votes_and_survives_a_failing_round(world, monkeypatch):
    now = datetime.now(UTC)
    vote = await make_vote(world['community'], open_at=now - timedelta(days=2), closes_at=now - timedelta(hours=1))
    real_tick, calls = vote_clock.tick, []

    async def flaky_tick(**kw):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError('database went away for a moment')
        return await real_tick(**kw)

    monkeypatch.setattr(vote_clock, 'tick', flaky_tick)
    loop = asyncio.create_task(vote_clock.keep_up(every=0.01))
    try:
        for _ in range(300):
            if (await Vote.get(id=vote.id)).state == 'closed':
                break
            await asyncio.sleep(0.01)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    closed = await Vote.get(id=vote.id)
    assert (closed.state, closed.closed_at) == ('closed', now - timedelta(hours=1))
    assert len(calls) >= 2


async def test_the_opening_entry_fingerprints_the_frozen_roll(world):
    vote = await make_vote(world['community'], open_at=AT)
    entry = await ChainEntry.get(vote_id=vote.id, kind='vote.opened')
    assert entry.data['roll']['digest'] == await vote_counting.roll_digest(vote.id)
    await Elector.filter(vote_id=vote.id).first().update(area_m2=100)  # someone edits the roll afterwards
    assert entry.data['roll']['digest'] != await vote_counting.roll_digest(vote.id)


async def test_a_close_decided_on_a_stale_read_changes_nothing(world, monkeypatch):
    vote = await make_vote(world['community'], actor=world['staff'], open_at=AT)
    stale = await Vote.get(id=vote.id)  # what a second organiser's page read before the first one closed it
    await votes.close_vote(world['staff'], vote.id, at=AT + timedelta(days=1), reason='提前结束')

    async def read_stale(_):
        return stale
    monkeypatch.setattr(votes, '_vote', read_stale)
    refused = await _refusal(votes.close_vote(world['staff'], vote.id, at=AT + timedelta(days=1), reason='提前结束'))
    assert refused.code == 'changed_meanwhile'
    assert await ChainEntry.filter(vote_id=vote.id, kind='vote.closed').count() == 1
    assert await AuditEntry.filter(action='vote.closed').count() == 1
