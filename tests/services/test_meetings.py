"""Meetings on a real database: the agenda takes triaged issues only and moves them to 协商中 on their timeline,
the invitations are the council's seats plus the stakeholders, reminders go once, and the state moves refuse
what the table forbids."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from models import AuditEntry, Compound, Invitation, Issue, IssueEvent, Meeting, Notification
from services import councils, events, issues, meeting_views, meetings, triage
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # Monday 10:00 in Yichang
EVENING = datetime(2026, 6, 3, 11, 0, tzinfo=UTC)  # Wednesday 19:00


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home, phone='13912345678')
    supporter = await make_resident(community, name='何建国', household=home)
    owner_rep = await make_resident(community, name='刘德明', household=home)
    author_account = await make_account(community, name='周美华', resident=author, password=None)
    rep_account = await make_account(community, name='刘德明', resident=owner_rep, password=None)
    staff = await principal_of(await make_account(community, 'staff', name='李敏'))
    jiaming = await Compound.get(name='嘉明花园')
    council = await councils.create_council(staff, community.id, compound_id=jiaming.id)
    await councils.fill_seat(staff, council.id, 'owners_committee', resident_id=owner_rep.id)
    await councils.fill_seat(staff, council.id, 'property_company', holder_name='邓志刚', organisation='嘉明物业')
    me = await principal_of(author_account)
    issue = await issues.raise_item(me, Draft(kind='issue', title='嘉明花园停车难', body='晚上车位不够',
                                              category='traffic'), at=NOW - timedelta(days=5))
    await issues.support(await principal_of(await make_account(community, name='何建国', resident=supporter,
                                                               password=None)), issue.id)
    await issues.move(staff, issue.id, 'accepted', at=NOW - timedelta(days=4))
    await triage.classify(staff, issue.id, scale='micro', lead='compound_council', at=NOW - timedelta(days=3))
    return {'community': community, 'staff': staff, 'council': council, 'issue': issue, 'jiaming': jiaming,
            'author': author, 'supporter': supporter, 'owner_rep': owner_rep, 'author_account': author_account,
            'rep_account': rep_account, 'me': me}


async def _meeting(world, **given) -> Meeting:
    fields = dict(title='小板凳、大民生：嘉明花园停车难', format='onsite', mode='offline', regular=False,
                  level='compound_city', council_id=world['council'].id, place='嘉明花园3栋楼下',
                  starts_at=EVENING, ends_at=EVENING + timedelta(hours=1, minutes=30),
                  issue_ids=[world['issue'].id], at=NOW)
    return await meetings.create_meeting(world['staff'], world['community'].id, **{**fields, **given})


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def test_a_triaged_issue_goes_on_the_agenda_and_its_timeline_names_the_meeting(world) -> None:
    heard = []
    events.subscribe('*', heard.append)
    meeting = await _meeting(world, agenda_titles=['其他事项'])
    items = await meeting.agenda.all().order_by('position')
    assert [(i.issue_id, i.title) for i in items] == [(world['issue'].id, '嘉明花园停车难'), (None, '其他事项')]
    assert (await Issue.get(id=world['issue'].id)).state == 'deliberating'
    moved = await IssueEvent.filter(issue_id=world['issue'].id, to_state='deliberating').get()
    assert moved.reason == '列入议事会“小板凳、大民生：嘉明花园停车难”（6月3日 19:00，嘉明花园3栋楼下）议程'
    assert {e.name for e in heard} >= {'meeting.created', 'issue.moved'}
    assert await AuditEntry.filter(action='meeting.created', target_id=meeting.id).exists()


async def test_an_untriaged_issue_is_refused_and_nothing_is_made(world) -> None:
    fresh = await issues.raise_item(world['me'], Draft(kind='issue', title='路灯不亮', body='', category='lighting'))
    refusal = await _refusal(_meeting(world, issue_ids=[world['issue'].id, fresh.id]))
    assert refusal.code == 'not_triaged' and '已提交' in refusal.message
    assert not await Meeting.exists()
    assert (await Issue.get(id=world['issue'].id)).state == 'triaged'


async def test_a_merged_issue_and_another_communitys_issue_are_refused(world) -> None:
    other = await make_community('桃花岭社区')
    staff_there = await principal_of(await make_account(other, 'staff'))
    theirs = await issues.record_for_resident(staff_there, other.id, Draft(kind='issue', title='别处的议题', body='',
                                                                            category='other'),
                                              channel='phone', author_name='王五')
    assert (await _refusal(_meeting(world, issue_ids=[theirs.id]))).code == 'not_found'
    dup = await issues.raise_item(world['me'], Draft(kind='issue', title='停车', body='', category='traffic'))
    await issues.merge(world['staff'], dup.id, world['issue'].id)
    assert (await _refusal(_meeting(world, issue_ids=[dup.id]))).code == 'not_triaged'


async def test_invitations_are_the_councils_filled_seats_plus_the_stakeholders(world) -> None:
    meeting = await _meeting(world, stakeholders=[world['author'].id, world['owner_rep'].id, ('王师傅', '停车场')])
    rows = await Invitation.filter(meeting_id=meeting.id).order_by('id')
    assert [(r.seat_kind, r.name, r.organisation) for r in rows] == [
        ('owners_committee', '刘德明', None), ('property_company', '邓志刚', '嘉明物业'),
        ('stakeholder', '周美华', None), ('stakeholder', '王师傅', '停车场')]  # the seat holder is invited once


async def test_invitees_with_an_account_are_told_on_creation(world) -> None:
    meeting = await _meeting(world, stakeholders=[world['author'].id])
    notices = await Notification.filter(meeting_id=meeting.id).order_by('account_id')
    assert {n.account_id for n in notices} == {world['author_account'].id, world['rep_account'].id}
    assert any(n.text == '您受邀参加议事会“小板凳、大民生：嘉明花园停车难”，6月3日 19:00，嘉明花园3栋楼下'
               for n in notices)


async def test_the_reminder_goes_the_day_before_and_only_once_even_when_two_runs_race(world) -> None:
    meeting = await _meeting(world, stakeholders=[world['author'].id])
    assert await meetings.send_reminders(at=NOW) == 0  # two days ahead: too early
    day_before = EVENING - timedelta(hours=20)
    sent = await asyncio.gather(meetings.send_reminders(at=day_before), meetings.send_reminders(at=day_before))
    assert sorted(sent) == [0, 2]
    assert await meetings.send_reminders(at=day_before + timedelta(hours=1)) == 0
    reminders = await Notification.filter(meeting_id=meeting.id, text__startswith='提醒').count()
    assert reminders == 2


async def test_a_meeting_made_for_tonight_counts_its_invitation_as_the_reminder(world) -> None:
    await _meeting(world, starts_at=NOW + timedelta(hours=8), ends_at=NOW + timedelta(hours=9))
    assert await meetings.send_reminders(at=NOW + timedelta(hours=1)) == 0
    assert await Notification.filter(account_id=world['rep_account'].id).count() == 1


async def test_a_cancelled_meeting_sends_no_reminder_and_tells_the_invitees_why(world) -> None:
    meeting = await _meeting(world)
    assert (await _refusal(meetings.cancel(world['staff'], meeting.id, '  '))).code == 'reason_required'
    await meetings.cancel(world['staff'], meeting.id, '暴雨预警，改期再议', at=NOW)
    assert await meetings.send_reminders(at=EVENING - timedelta(hours=2)) == 0
    notice = await Notification.filter(account_id=world['rep_account'].id).order_by('-id').first()
    assert notice.text == '议事会“小板凳、大民生：嘉明花园停车难”（6月3日 19:00）已取消：暴雨预警，改期再议'
    assert (await meeting_views.detail(meeting.id)).cancel_reason == '暴雨预警，改期再议'


async def test_start_and_close_follow_the_table_and_closing_sets_closed_at(world) -> None:
    meeting = await _meeting(world)
    heard = []
    events.subscribe('meeting.updated', heard.append)
    await meetings.start(world['staff'], meeting.id, at=EVENING)
    assert (await _refusal(meetings.cancel(world['staff'], meeting.id, '来不了'))).code == 'bad_move'
    closed = await meetings.close(world['staff'], meeting.id, at=EVENING + timedelta(hours=1))
    assert (closed.state, closed.closed_at) == ('closed', EVENING + timedelta(hours=1))
    assert (await _refusal(meetings.start(world['staff'], meeting.id))).code == 'bad_move'
    assert [e.payload['state'] for e in heard] == ['open', 'closed']
    assert await AuditEntry.filter(action='meeting.started').exists()


async def test_two_staff_closing_at_once_close_it_once(world) -> None:
    meeting = await _meeting(world)
    results = await asyncio.gather(meetings.close(world['staff'], meeting.id, at=EVENING),
                                   meetings.close(world['staff'], meeting.id, at=EVENING), return_exceptions=True)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code in {'changed_meanwhile', 'bad_move'}
    assert await AuditEntry.filter(action='meeting.closed').count() == 1


async def test_residents_may_not_schedule_or_close(world) -> None:
    assert (await _refusal(meetings.create_meeting(
        world['me'], world['community'].id, title='我的会', format='council', mode='offline', regular=False,
        level='community', place='家里', starts_at=EVENING, ends_at=EVENING + timedelta(hours=1)))).code == 'forbidden'
    meeting = await _meeting(world)
    assert (await _refusal(meetings.close(world['me'], meeting.id))).code == 'forbidden'


@pytest.mark.parametrize(('given', 'code'), [
    ({'title': 'x'}, 'invalid_title'),
    ({'title': '长' * 61}, 'invalid_title'),
    ({'format': 'party'}, 'invalid_format'),
    ({'mode': 'radio'}, 'invalid_mode'),
    ({'level': 'street'}, 'invalid_level'),
    ({'level': 'community'}, 'council_mismatch'),
    ({'place': '  '}, 'invalid_place'),
    ({'ends_at': EVENING}, 'invalid_time'),
    ({'starts_at': NOW - timedelta(days=2), 'ends_at': NOW - timedelta(days=2, hours=-1)}, 'in_the_past'),
    ({'stakeholders': [('', None)]}, 'invalid_stakeholder'),
])
async def test_bad_input_is_refused_in_words_and_changes_nothing(world, given, code) -> None:
    refusal = await _refusal(_meeting(world, **given))
    assert refusal.code == code and refusal.message
    assert not await Meeting.exists()


async def test_the_public_detail_names_seats_masks_stakeholders_for_outsiders_and_has_no_phone(world) -> None:
    meeting = await _meeting(world, stakeholders=[world['author'].id])
    public = await meeting_views.detail(meeting.id)
    assert public.level_label == '小区议事会（5+N）' and public.council == '嘉明花园议事会'
    shown = {g.label: [p.name for p in g.people] for g in public.invitees}
    assert shown == {'业主委员会': ['刘德明'], '物业服务企业': ['邓志刚'], '利益相关方': ['周**']}
    assert '13912345678' not in repr(public)
    assert [a.title for a in public.agenda] == ['嘉明花园停车难'] and public.checked_in == 0
    mine = await meeting_views.detail(meeting.id, viewer=world['me'])
    assert mine.my_seat == '利益相关方'
    assert {p.name for g in mine.invitees for p in g.people} >= {'周美华'}


async def test_upcoming_then_past_and_the_suggested_stakeholders_are_author_and_supporters(world) -> None:
    meeting = await _meeting(world)
    assert [c.id for c in await meeting_views.upcoming(world['me'], world['community'].id, at=NOW)] == [meeting.id]
    later = EVENING + timedelta(days=1)
    assert await meeting_views.upcoming(world['me'], world['community'].id, at=later) == []
    assert [c.id for c in await meeting_views.past(world['me'], world['community'].id, at=later)] == [meeting.id]
    suggested = await meeting_views.suggest_stakeholders(world['staff'], [world['issue'].id])
    assert [(s.name, s.why) for s in suggested] == [('周美华', '提出人'), ('何建国', '附议人')]
    assert await meeting_views.suggest_stakeholders(world['me'], [world['issue'].id]) == []


async def test_a_planned_meeting_gets_agenda_items_and_stakeholders_later_each_once(world) -> None:
    meeting = await _meeting(world, issue_ids=[])
    assert (await Issue.get(id=world['issue'].id)).state == 'triaged'
    for _ in range(2):  # a second tap adds nothing twice
        await meetings.add_to_agenda(world['staff'], meeting.id, issue_ids=[world['issue'].id],
                                     stakeholders=[world['author'].id, world['author'].id], at=NOW)
    assert await meeting.agenda.all().count() == 1
    assert await Invitation.filter(meeting_id=meeting.id, resident_id=world['author'].id).count() == 1
    assert (await Issue.get(id=world['issue'].id)).state == 'deliberating'
    assert await Notification.filter(account_id=world['author_account'].id, meeting_id=meeting.id).count() == 1
    await meetings.close(world['staff'], meeting.id, at=EVENING)
    refusal = await _refusal(meetings.add_to_agenda(world['staff'], meeting.id, agenda_titles=['再说一件事']))
    assert refusal.code == 'not_editable'
