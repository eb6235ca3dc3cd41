"""纪要 and 协商成果 on a real database: staff write, the Party organisation reviews, the public sees approved only."""
import asyncio

import pytest

from domain.errors import DomainError
from domain.permissions import ANONYMOUS
from models import AgendaItem, AuditEntry, Issue, IssueEvent, Notification, Outcome
from services import events, issues, minutes, votes
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


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    reader = await make_resident(community, name='何建国', household=home)
    accounts = {
        'author': await make_account(community, name='周美华', resident=author, password=None),
        'reader': await make_account(community, name='何建国', resident=reader, password=None),
        'staff': await make_account(community, 'staff', name='王丽'),
        'committee': await make_account(community, 'committee', name='陈书记'),
        'volunteer': await make_account(community, 'volunteer', name='小刘'),
    }
    people = {key: await principal_of(account) for key, account in accounts.items()}
    issue = await issues.raise_item(people['author'], Draft(kind='issue', title='3栋门口停车难', body='晚上车位不够',
                                                            category='traffic'))
    for state in ('accepted', 'triaged', 'deliberating'):
        await issues.move(people['staff'], issue.id, state)
    meeting = await make_meeting(community)
    item = await make_agenda_item(meeting, issue=issue)
    return {'community': community, 'meeting': meeting, 'item': item, 'issue': issue, 'accounts': accounts,
            **people}


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def _approved(world, kind: str = 'vote') -> Outcome:
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind=kind,
                                          text='划定夜间临时停车位，交居民表决')
    await minutes.submit_outcome(world['staff'], outcome.id)
    return await minutes.review_outcome(world['committee'], outcome.id, approve=True)


async def test_staff_write_minutes_that_everyone_reads_at_once(world) -> None:
    heard = []
    events.subscribe('meeting.minutes.written', heard.append)
    await minutes.write_minutes(world['staff'], world['item'].id, '  大家同意先摸清车位数量  ')
    item = await AgendaItem.get(id=world['item'].id)
    assert (item.minutes, item.minutes_by_id) == ('大家同意先摸清车位数量', world['accounts']['staff'].id)
    assert item.minutes_at is not None
    assert await AuditEntry.filter(action='meeting.minutes.written', target_id=item.id).count() == 1
    view = await minutes.minutes_view(ANONYMOUS, world['meeting'].id)
    assert view.items[0].minutes == '大家同意先摸清车位数量'
    assert [e.payload['item_id'] for e in heard] == [item.id]


async def test_minutes_are_refused_to_others_too_long_and_on_a_cancelled_meeting(world) -> None:
    assert (await _refusal(minutes.write_minutes(world['committee'], world['item'].id, '纪要'))).code == 'forbidden'
    assert (await _refusal(minutes.write_minutes(world['staff'], world['item'].id, '字' * 5001))).code == \
        'invalid_minutes'
    world['meeting'].state = 'cancelled'
    await world['meeting'].save()
    assert (await _refusal(minutes.write_minutes(world['staff'], world['item'].id, '纪要'))).code == \
        'meeting_cancelled'
    assert (await AgendaItem.get(id=world['item'].id)).minutes is None


async def test_an_outcome_goes_draft_submitted_approved_and_the_writer_is_told(world) -> None:
    heard = []
    events.subscribe('outcome.updated', heard.append)
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind='vote', text='划定夜间临时停车位')
    assert outcome.state == 'draft'
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind='vote',
                                          text='划定夜间临时停车位，交表决')
    assert (outcome.state, outcome.text) == ('draft', '划定夜间临时停车位，交表决')
    assert await Outcome.filter(item_id=world['item'].id).count() == 1
    outcome = await minutes.submit_outcome(world['staff'], outcome.id)
    assert outcome.state == 'submitted'
    committee_notice = await Notification.get(account_id=world['accounts']['committee'].id)
    assert '待审核' in committee_notice.text
    assert [q.outcome_id for q in await minutes.review_queue(world['committee'], world['community'].id)] == \
        [outcome.id]
    outcome = await minutes.review_outcome(world['committee'], outcome.id, approve=True)
    assert (outcome.state, outcome.reviewed_by_id) == ('approved', world['accounts']['committee'].id)
    notice = await Notification.get(account_id=world['accounts']['staff'].id)
    assert ('已审核通过' in notice.text, notice.meeting_id) == (True, world['meeting'].id)
    actions = await AuditEntry.filter(target_type='outcome', target_id=outcome.id).order_by('id') \
        .values_list('action', flat=True)
    assert actions == ['meeting.outcome.drafted', 'meeting.outcome.drafted', 'meeting.outcome.submitted',
                       'meeting.outcome.approved']
    assert len(heard) == 4 and {e.payload['meeting_id'] for e in heard} == {world['meeting'].id}
    assert await minutes.review_queue(world['committee'], world['community'].id) == []


async def test_an_approved_outcome_cannot_be_edited_or_reviewed_again(world) -> None:
    outcome = await _approved(world)
    refused = await _refusal(minutes.draft_outcome(world['staff'], world['item'].id, kind='decided', text='改一下'))
    assert refused.code == 'outcome_locked' and '已审核公开' in refused.message
    assert (await _refusal(minutes.review_outcome(world['committee'], outcome.id, approve=False, note='再议'))).code \
        == 'bad_move'
    assert (await Outcome.get(id=outcome.id)).text == '划定夜间临时停车位，交居民表决'


async def test_a_return_needs_a_note_which_the_writer_reads_and_then_may_edit_and_resubmit(world) -> None:
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind='decided', text='会上议定：增设车位')
    await minutes.submit_outcome(world['staff'], outcome.id)
    assert (await _refusal(minutes.review_outcome(world['committee'], outcome.id, approve=False))).code == \
        'reason_required'
    assert (await Outcome.get(id=outcome.id)).state == 'submitted'
    refused = await _refusal(minutes.draft_outcome(world['staff'], world['item'].id, kind='decided', text='改'))
    assert refused.code == 'invalid_outcome'
    refused = await _refusal(minutes.draft_outcome(world['staff'], world['item'].id, kind='decided', text='改一改'))
    assert refused.code == 'outcome_locked'  # under review: hands off
    await minutes.review_outcome(world['committee'], outcome.id, approve=False, note='请写明车位数量和位置')
    notice = await Notification.get(account_id=world['accounts']['staff'].id)
    assert notice.text.endswith('被退回：请写明车位数量和位置')
    edited = await minutes.draft_outcome(world['staff'], world['item'].id, kind='decided', text='在3栋东侧增设6个车位')
    assert (edited.state, edited.text) == ('returned', '在3栋东侧增设6个车位')
    assert (await minutes.submit_outcome(world['staff'], outcome.id)).state == 'submitted'


async def test_reviewing_needs_the_review_role_and_writing_needs_the_minutes_role(world) -> None:
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind='vote', text='交居民表决')
    await minutes.submit_outcome(world['staff'], outcome.id)
    for who in ('staff', 'volunteer', 'reader'):
        assert (await _refusal(minutes.review_outcome(world[who], outcome.id, approve=True))).code == 'forbidden'
    assert (await _refusal(minutes.draft_outcome(world['committee'], world['item'].id, kind='vote',
                                                 text='交居民表决'))).code == 'forbidden'
    assert (await _refusal(minutes.review_queue(world['staff'], world['community'].id))).code == 'forbidden'
    assert (await _refusal(minutes.draft_outcome(world['staff'], world['item'].id, kind='poll',
                                                 text='交居民表决'))).code == 'invalid_kind'
    assert (await Outcome.get(id=outcome.id)).state == 'submitted'


async def test_an_outcome_is_public_only_after_approval_with_the_note_kept_inside(world) -> None:
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind='vote', text='交居民表决')
    await minutes.submit_outcome(world['staff'], outcome.id)
    for reader in (ANONYMOUS, world['reader'], world['volunteer']):
        assert (await minutes.minutes_view(reader, world['meeting'].id)).items[0].outcome is None
    staff_view = (await minutes.minutes_view(world['staff'], world['meeting'].id)).items[0].outcome
    assert (staff_view.state, staff_view.may_edit, staff_view.may_review) == ('submitted', False, False)
    reviewer_view = (await minutes.minutes_view(world['committee'], world['meeting'].id)).items[0].outcome
    assert reviewer_view.may_review
    await minutes.review_outcome(world['committee'], outcome.id, approve=True, note='同意')
    public = (await minutes.minutes_view(world['reader'], world['meeting'].id)).items[0].outcome
    assert (public.kind_label, public.text, public.review_note, public.may_edit) == \
        ('提交表决', '交居民表决', '', False)
    assert public.reviewed_at is not None


async def test_an_approved_vote_outcome_marks_the_issue_reviewed_and_waits_for_the_vote(world) -> None:
    outcome = await _approved(world, 'vote')
    issue = await Issue.get(id=world['issue'].id)
    assert issue.state == 'reviewed'
    last = await IssueEvent.filter(issue_id=issue.id).order_by('-id').first()
    assert (last.to_state, last.reason) == ('reviewed', '嘉明花园议事会：提交表决，划定夜间临时停车位，交居民表决')
    (candidate,) = await minutes.outcomes_to_vote(world['community'].id)
    assert (candidate.outcome_id, candidate.issue_id, candidate.title) == (outcome.id, issue.id, '3栋门口停车难')



async def test_an_outcome_put_to_a_vote_leaves_the_list_and_returns_when_that_vote_is_cancelled(world) -> None:
    outcome = await _approved(world, 'vote')
    vote = await make_vote(world['community'], actor=world['staff'], outcome_id=outcome.id)
    assert await minutes.outcomes_to_vote(world['community'].id) == []
    await votes.cancel_vote(world['staff'], vote.id, reason='题目写错了，重新发起')
    assert [c.outcome_id for c in await minutes.outcomes_to_vote(world['community'].id)] == [outcome.id]

async def test_a_decision_taken_at_the_meeting_moves_the_issue_to_decided_and_a_referral_to_referred(world) -> None:
    await _approved(world, 'decided')
    assert [e.to_state for e in await IssueEvent.filter(issue_id=world['issue'].id).order_by('id')][-2:] == \
        ['reviewed', 'decided']
    other = await issues.raise_item(world['author'],
                                    Draft(kind='issue', title='河边护栏松动', body='', category='safety'))
    for state in ('accepted', 'triaged'):  # straight from triage onto the agenda
        await issues.move(world['staff'], other.id, state)
    item = await make_agenda_item(world['meeting'], issue=other, position=1)
    outcome = await minutes.draft_outcome(world['staff'], item.id, kind='referred', text='属区水务局职责，转街道')
    await minutes.submit_outcome(world['staff'], outcome.id)
    await minutes.review_outcome(world['committee'], outcome.id, approve=True)
    assert [e.to_state for e in await IssueEvent.filter(issue_id=other.id).order_by('id')][-2:] == \
        ['deliberating', 'referred']
    assert await minutes.outcomes_to_vote(world['community'].id) == []


async def test_a_deferred_outcome_leaves_the_issue_deliberating(world) -> None:
    await _approved(world, 'deferred')
    assert (await Issue.get(id=world['issue'].id)).state == 'deliberating'


async def test_two_writers_drafting_at_once_make_one_outcome(world) -> None:
    other = await principal_of(await make_account(world['community'], 'staff', name='李敏'))
    results = await asyncio.gather(
        minutes.draft_outcome(world['staff'], world['item'].id, kind='vote', text='方案一'),
        minutes.draft_outcome(other, world['item'].id, kind='vote', text='方案二'), return_exceptions=True)
    assert all(isinstance(r, Outcome) for r in results), results
    assert await Outcome.filter(item_id=world['item'].id).count() == 1


async def test_two_reviewers_at_once_approve_once(world) -> None:
    outcome = await minutes.draft_outcome(world['staff'], world['item'].id, kind='vote', text='交居民表决')
    await minutes.submit_outcome(world['staff'], outcome.id)
    second = await principal_of(await make_account(world['community'], 'committee', name='赵主任'))
    results = await asyncio.gather(minutes.review_outcome(world['committee'], outcome.id, approve=True),
                                   minutes.review_outcome(second, outcome.id, approve=True), return_exceptions=True)
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(refusals) == 1 and refusals[0].code in {'changed_meanwhile', 'bad_move'}, results
    assert await AuditEntry.filter(action='meeting.outcome.approved').count() == 1
    assert await IssueEvent.filter(issue_id=world['issue'].id, to_state='reviewed').count() == 1
