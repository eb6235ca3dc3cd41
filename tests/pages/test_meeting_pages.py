"""The meeting screens as people use them: anyone reads a meeting's page without signing in and never sees a phone
number; residents see that they are invited but no staff buttons; staff start, close and cancel with a reason; the
check-in count moves live; a bad address says 找不到这次议事会."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from nicegui.testing import User

from models import CheckIn, Compound, Issue, Meeting
from services import audit, councils, events, issues, meetings, triage
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

REP_PHONE = '13912345678'


def _tomorrow_evening() -> datetime:
    return (audit.now() + timedelta(days=1)).replace(hour=11, minute=0, second=0, microsecond=0)  # 19:00 local


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    rep = await make_resident(community, name='刘德明', household=home, phone=REP_PHONE)
    neighbour = await make_resident(community, name='何建国', household=home)
    staff_account = await make_account(community, 'staff', name='李敏')
    staff = await principal_of(staff_account)
    council = await councils.create_council(staff, community.id, compound_id=(await Compound.get(name='嘉明花园')).id)
    await councils.fill_seat(staff, council.id, 'owners_committee', resident_id=rep.id)
    await councils.fill_seat(staff, council.id, 'property_company', holder_name='邓志刚', organisation='嘉明物业')
    rep_account = await make_account(community, name='刘德明', resident=rep, password=None)
    neighbour_account = await make_account(community, name='何建国', resident=neighbour, password=None)
    draft = Draft(kind='issue', title='嘉明花园停车难', body='晚上车位不够', category='traffic')
    issue = await issues.raise_item(await principal_of(neighbour_account), draft)
    await issues.move(staff, issue.id, 'accepted')
    await triage.classify(staff, issue.id, scale='micro', lead='compound_council')
    starts = _tomorrow_evening()
    meeting = await meetings.create_meeting(
        staff, community.id, title='小板凳、大民生：停车难', format='onsite', mode='offline', regular=False,
        level='compound_city', council_id=council.id, place='嘉明花园3栋楼下', starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30), issue_ids=[issue.id])
    return {'community': community, 'staff': staff_account, 'rep': rep_account, 'neighbour': neighbour_account,
            'meeting': meeting, 'council': council, 'issue': issue, 'rep_resident': rep, 'home': home}


async def test_anyone_reads_the_meeting_page_without_signing_in_and_sees_no_phone(user: User, world) -> None:
    await user.open(f'/meetings/{world["meeting"].id}')
    await user.should_see('小板凳、大民生：停车难')
    await user.should_see('地点：嘉明花园3栋楼下')
    await user.should_see('待召开')
    await user.should_see('嘉明花园停车难')  # the agenda
    await user.should_see('刘德明')
    await user.should_see('邓志刚（嘉明物业）')
    await user.should_see('已签到 0 人')
    await user.should_see(marker='link-minutes')
    await user.should_not_see(REP_PHONE)
    await user.should_not_see('139****5678')
    for marker in ('meeting-start', 'meeting-close', 'meeting-cancel', 'link-scan', 'link-poster.png',
                   'link-attendance'):
        await user.should_not_see(marker=marker)


async def test_a_bad_address_says_the_meeting_cannot_be_found(user: User, world) -> None:
    for path in ('/meetings/99999', '/meetings/abc', '/meetings/12345678901234', '/meetings/²'):  # ² isdigit
        await user.open(path)
        await user.should_see('找不到这次议事会')


async def test_an_invited_resident_sees_their_seat_and_no_staff_buttons(user: User, world) -> None:
    await sign_in(user, world['rep'])
    await user.open(f'/meetings/{world["meeting"].id}')
    await user.should_see('您受邀参加这次议事会（业主委员会）')
    await user.should_not_see(marker='meeting-start')
    await user.should_not_see(marker='link-poster.png')
    await user.should_not_see(marker='link-scan')


async def test_staff_start_and_then_close_the_meeting(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}')
    for marker in ('link-scan', 'link-checkin', 'link-poster.png', 'link-poster.pdf', 'link-screen',
                   'link-attendance'):
        await user.should_see(marker=marker)
    user.find(marker='meeting-start').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see('进行中', retries=30)
    await user.should_not_see(marker='meeting-start')
    user.find(marker='meeting-close').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see('已结束', retries=30)
    meeting = await Meeting.get(id=world['meeting'].id)
    assert meeting.state == 'closed' and meeting.closed_at is not None


async def test_staff_cancel_only_with_a_reason_and_everyone_reads_it(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}')
    user.find(marker='meeting-cancel').click()
    await user.should_see(marker='cancel-ok')
    user.find(marker='cancel-ok').click()
    await user.should_see('取消议事会需要写明原因')
    user.find(marker='cancel-text').type('暴雨预警，改期再议')
    user.find(marker='cancel-ok').click()
    await user.should_see('取消原因：暴雨预警，改期再议', retries=30)
    assert (await Meeting.get(id=world['meeting'].id)).state == 'cancelled'


async def test_the_check_in_count_moves_live_when_someone_checks_in(user: User, world) -> None:
    await user.open(f'/meetings/{world["meeting"].id}')
    await user.should_see('已签到 0 人')
    meeting = world['meeting']
    now = audit.now()
    await CheckIn.create(meeting=meeting, resident=world['rep_resident'], method='scan', scanned_at=now,
                         created_at=now)
    await events.publish('meeting.checkin.created', community_id=world['community'].id, meeting_id=meeting.id,
                         resident_id=world['rep_resident'].id, count=1)
    await user.should_see('已签到 1 人', retries=30)


async def test_the_list_shows_upcoming_meetings_and_only_staff_may_schedule(user: User, world) -> None:
    await sign_in(user, world['neighbour'])
    await user.open('/meetings')
    await user.should_see('小板凳、大民生：停车难')
    await user.should_see('嘉明花园3栋楼下')
    await user.should_see('嘉明花园议事会')  # the councils, at the bottom
    await user.should_not_see(marker='new-meeting')
    await user.open('/meetings/new')
    await user.should_see(marker='no-permission')
    await sign_in(user, world['staff'])
    await user.open('/meetings')
    await user.should_see(marker='new-meeting')
    await user.should_see(marker='series')


async def test_staff_schedule_a_meeting_with_a_triaged_issue_and_a_stakeholder_found_by_name(user: User,
                                                                                            world) -> None:
    other = await issues.raise_item(await principal_of(world['neighbour']),
                                    Draft(kind='issue', title='晾衣架', body='', category='drying'))
    await issues.move(await principal_of(world['staff']), other.id, 'accepted')
    await triage.classify(await principal_of(world['staff']), other.id, scale='micro', lead='compound_council')
    await sign_in(user, world['staff'])
    await user.open('/meetings/new')
    await user.should_see(marker=f'agenda-{world["issue"].id}')  # in deliberation: may need a second meeting
    user.find(marker='meeting-name').type('围楼夜话：晾衣架')
    user.find(marker='meeting-place-input').type('3栋架空层')
    user.find(marker=f'agenda-{other.id}').click()
    user.find(marker='stakeholder-search').type('何建国')
    user.find(marker='stakeholder-find').click()
    await user.should_see('何建国 嘉明花园 3栋 402', retries=30)
    resident = world['neighbour'].resident_id
    user.find(marker=f'add-{resident}').click()
    await user.should_see(marker=f'stakeholder-{resident}')
    user.find(marker='meeting-save').click()
    await user.should_see(marker='meeting-title', retries=50)  # on the new meeting's page
    await user.should_see('何建国')
    meeting = await Meeting.get(title='围楼夜话：晾衣架')
    assert (await Issue.get(id=other.id)).state == 'deliberating'
    kinds = await meeting.invitations.all().values_list('seat_kind', 'name')
    assert ('stakeholder', '何建国') in kinds and ('owners_committee', '刘德明') in kinds


async def test_a_bad_form_says_what_is_wrong_and_schedules_nothing(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/meetings/new')
    user.find(marker='meeting-name').type('夜话')
    user.find(marker='meeting-save').click()
    await user.should_see('请填写开会地点')
    assert await Meeting.all().count() == 1


async def test_staff_start_a_weekly_series_and_see_its_next_meeting(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/meetings/series')
    await user.should_see('还没有例会')
    user.find(marker='meeting-name').type('嘉明花园周周碰')
    user.find(marker='meeting-place-input').type('党群服务站')
    user.find(marker='series-save').click()
    await user.should_see('已保存，已安排', retries=50)
    await user.should_see('周周碰 · 每周三 19:00', retries=30)
    assert await Meeting.filter(series__title='嘉明花园周周碰', regular=True).count() >= 4


async def test_staff_add_a_triaged_issue_to_a_planned_meeting_and_its_author_is_invited(user: User, world) -> None:
    staff = await principal_of(world['staff'])
    other = await issues.raise_item(await principal_of(world['neighbour']),
                                    Draft(kind='issue', title='晾衣架', body='', category='drying'))
    await issues.move(staff, other.id, 'accepted')
    await triage.classify(staff, other.id, scale='micro', lead='compound_council')
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}')
    user.find(marker='agenda-add').click()
    await user.should_see(marker=f'add-agenda-{other.id}')
    await user.should_not_see(marker=f'add-agenda-{world["issue"].id}')  # already on the agenda
    user.find(marker=f'add-agenda-{other.id}').click()
    user.find(marker='add-agenda-ok').click()
    await user.should_see('晾衣架', retries=30)
    await user.should_see('何建国')  # the author, now a stakeholder


async def test_the_list_shows_a_meeting_scheduled_elsewhere_without_reloading(user: User, world) -> None:
    await sign_in(user, world['neighbour'])
    await user.open('/meetings')
    await user.should_see('小板凳、大民生：停车难')
    starts = _tomorrow_evening() + timedelta(days=2)
    await meetings.create_meeting(await principal_of(world['staff']), world['community'].id, title='围楼夜话：晾衣架',
                                  format='onsite', mode='offline', regular=False, level='community',
                                  place='3栋架空层', starts_at=starts, ends_at=starts + timedelta(hours=1))
    await user.should_see('围楼夜话：晾衣架', retries=30)
