"""Check-in from the meeting QR (a resident taps 签到, a walk-in registers), by search, and revoking the meeting QR."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from models import AuditEntry, CheckIn, Invitation, Resident
from services import checkin_search, checkins, codes, people_views, walkins
from tests.support import make_account, make_community, make_household, make_meeting, make_resident, principal_of

pytestmark = pytest.mark.usefixtures('db')

START = datetime(2026, 6, 3, 11, 0, tzinfo=UTC)
DURING = START + timedelta(minutes=2)


@pytest.fixture
async def world():
    community = await make_community()
    home = await make_household(community, building='3栋', room='502')
    resident = await make_resident(community, name='张桂兰', household=home, phone='13912345678')
    account = await make_account(community, resident=resident, name='张桂兰')
    meeting = await make_meeting(community, starts_at=START, state='open')
    volunteer = await make_account(community, 'volunteer', name='志愿者小李')
    staff = await make_account(community, 'staff', name='王丽')
    return {'community': community, 'home': home, 'resident': resident, 'meeting': meeting,
            'me': await principal_of(account), 'volunteer': await principal_of(volunteer),
            'staff': await principal_of(staff), 'token': codes.meeting_token(meeting)}


# ---- the resident taps 签到 ----

async def test_a_resident_who_scanned_the_meeting_qr_is_checked_in_and_a_second_tap_says_already(world):
    first = await checkins.check_in_self(world['me'], world['token'], at=DURING)
    again = await checkins.check_in_self(world['me'], world['token'], at=DURING + timedelta(minutes=1))
    assert (first.result, first.message, first.count) == ('checked_in', '签到成功', 1)
    assert (again.result, again.message, again.count) == ('already', '已签到 19:02', 1)
    assert (await CheckIn.get()).method == 'self'


async def test_a_resident_of_another_community_is_refused_at_this_meeting(world):
    other = await make_community('东山社区')
    outsider = await make_resident(other, name='外人')
    actor = await principal_of(await make_account(other, resident=outsider))
    answer = await checkins.check_in_self(actor, world['token'], at=DURING)
    assert (answer.result, answer.code) == ('refused', 'wrong_community')
    assert await CheckIn.all().count() == 0


async def test_a_forged_meeting_qr_is_refused(world):
    answer = await checkins.check_in_self(world['me'], world['token'] + 'x', at=DURING)
    assert (answer.result, answer.code) == ('refused', 'token_invalid')


async def test_a_revoked_meeting_qr_is_refused_and_only_staff_may_revoke_it(world):
    with pytest.raises(DomainError) as e:
        await checkins.revoke_meeting_qr(world['volunteer'], world['meeting'].id)
    assert e.value.code == 'forbidden'
    meeting = await checkins.revoke_meeting_qr(world['staff'], world['meeting'].id)
    answer = await checkins.check_in_self(world['me'], world['token'], at=DURING)
    assert (answer.result, answer.code) == ('refused', 'token_revoked')
    fresh = await checkins.check_in_self(world['me'], codes.meeting_token(meeting), at=DURING)
    assert fresh.result == 'checked_in'
    assert await AuditEntry.filter(action='meeting.qr.revoked').count() == 1


async def test_self_check_in_outside_the_window_is_refused(world):
    answer = await checkins.check_in_self(world['me'], world['token'], at=START - timedelta(hours=2))
    assert (answer.result, answer.code) == ('refused', 'checkin_not_open')


async def test_someone_not_signed_in_as_a_resident_cannot_tap_check_in(world):
    with pytest.raises(DomainError) as e:
        await checkins.check_in_self(world['volunteer'], world['token'], at=DURING)
    assert e.value.code == 'forbidden'


# ---- walk-ins ----

async def test_a_walk_in_becomes_a_pending_resident_and_is_checked_in(world):
    answer = await walkins.register_walk_in(world['token'], name='李新来', phone='137 0000 1111',
                                            room_text='3栋602', at=DURING)
    assert (answer.result, answer.message, answer.name, answer.count) == ('checked_in', '签到成功', '李新来', 1)
    person = await Resident.get(phone='13700001111')
    assert (person.status, person.registered_room, person.community_id) == ('pending', '3栋602', world['community'].id)
    assert (await CheckIn.get(resident_id=person.id)).method == 'walk_in'


async def test_a_walk_in_waits_in_the_staff_pending_list(world):
    await walkins.register_walk_in(world['token'], name='李新来', phone='13700001111', room_text='3栋602', at=DURING)
    rows = await people_views.pending(world['staff'], world['community'].id)
    assert [(row.name, row.phone) for row in rows] == [('李新来', '13700001111')]


async def test_the_same_walk_in_phone_twice_makes_one_resident_and_one_check_in(world):
    first = await walkins.register_walk_in(world['token'], name='李新来', phone='13700001111', room_text='602',
                                           at=DURING)
    again = await walkins.register_walk_in(world['token'], name='李新来', phone='13700001111', room_text='602',
                                           at=DURING + timedelta(minutes=1))
    assert (first.result, again.result) == ('checked_in', 'already')
    assert await Resident.filter(phone='13700001111').count() == 1
    assert await CheckIn.all().count() == 1


async def test_the_same_walk_in_sent_twice_at_once_makes_one_resident(world):
    answers = await asyncio.gather(*(walkins.register_walk_in(world['token'], name='李新来', phone='13700001111',
                                                              room_text='602', at=DURING) for _ in range(2)))
    assert sorted(a.result for a in answers) == ['already', 'checked_in']
    assert await Resident.filter(phone='13700001111').count() == 1
    assert await CheckIn.all().count() == 1


async def test_a_walk_in_with_a_known_phone_checks_that_resident_in_without_revealing_them(world):
    answer = await walkins.register_walk_in(world['token'], name='张阿姨', phone='13912345678', room_text='502',
                                            at=DURING)
    assert (answer.result, answer.message) == ('checked_in', '已有登记，签到成功')
    assert (answer.name, answer.place, answer.seat) == ('张阿姨', '', '')
    assert await Resident.all().count() == 1
    assert (await CheckIn.get()).resident_id == world['resident'].id


@pytest.mark.parametrize(('name', 'phone', 'room', 'code'), [
    ('', '13700001111', '602', 'invalid_name'),
    ('李新来', '12345', '602', 'invalid_phone'),
    ('李新来', '13700001111', '', 'invalid_room'),
    ('李\x00新来', '13700001111', '602', 'invalid_name'),
])
async def test_a_walk_in_form_with_bad_input_is_refused_and_changes_nothing(world, name, phone, room, code):
    with pytest.raises(DomainError) as e:
        await walkins.register_walk_in(world['token'], name=name, phone=phone, room_text=room, at=DURING)
    assert e.value.code == code
    assert await Resident.all().count() == 1


async def test_a_walk_in_before_check_in_opens_registers_nobody(world):
    answer = await walkins.register_walk_in(world['token'], name='李新来', phone='13700001111', room_text='602',
                                            at=START - timedelta(hours=3))
    assert (answer.result, answer.code) == ('refused', 'checkin_not_open')
    assert await Resident.all().count() == 1


# ---- search ----

async def test_search_finds_by_name_phone_last_four_and_room_with_masked_phones(world):
    other_home = await make_household(world['community'], building='5栋', room='502')
    await make_resident(world['community'], name='刘明', household=other_home, phone='13600009999')
    async def names(query):
        return [c.name for c in await checkin_search.search(world['volunteer'], world['meeting'].id, query)]
    by_name = await checkin_search.search(world['volunteer'], world['meeting'].id, '桂兰')
    assert [(c.name, c.place, c.phone) for c in by_name] == [('张桂兰', '嘉明花园 3栋 502', '139****5678')]
    assert await names('5678') == ['张桂兰']
    assert await names('13912345678') == ['张桂兰']
    assert await names('3栋502') == ['张桂兰']
    assert sorted(await names('502')) == sorted(['张桂兰', '刘明'])


async def test_search_shows_the_seat_and_the_check_in_time(world):
    await Invitation.create(meeting=world['meeting'], seat_kind='resident_rep', resident=world['resident'],
                            name='张桂兰')
    await checkins.check_in_self(world['me'], world['token'], at=DURING)
    [found] = await checkin_search.search(world['volunteer'], world['meeting'].id, '张桂兰')
    assert (found.seat, found.checked_in_at) == ('居（村）民代表', DURING)


async def test_search_leaves_out_residents_who_left_and_other_communities(world):
    await make_resident(world['community'], name='张走了', status='left')
    other = await make_community('东山社区')
    await make_resident(other, name='张外人')
    assert [c.name for c in await checkin_search.search(world['volunteer'], world['meeting'].id, '张')] == ['张桂兰']


async def test_tapping_a_search_result_checks_the_person_in_once(world):
    first = await checkins.check_in_resident(world['volunteer'], world['meeting'].id, world['resident'].id,
                                             nonce='search-0001', at=DURING)
    again = await checkins.check_in_resident(world['volunteer'], world['meeting'].id, world['resident'].id,
                                             nonce='search-0002', at=DURING)
    assert (first.result, again.result) == ('checked_in', 'already')
    assert (await CheckIn.get()).method == 'search'


async def test_a_search_check_in_of_a_resident_from_another_community_is_not_found(world):
    other = await make_community('东山社区')
    outsider = await make_resident(other, name='外人')
    with pytest.raises(DomainError) as e:
        await checkins.check_in_resident(world['volunteer'], world['meeting'].id, outsider.id,
                                         nonce='search-0001', at=DURING)
    assert e.value.code == 'not_found'
    assert await CheckIn.all().count() == 0


async def test_a_resident_may_not_search_or_check_others_in(world):
    for call in (checkin_search.search(world['me'], world['meeting'].id, '张'),
                 checkins.check_in_resident(world['me'], world['meeting'].id, world['resident'].id,
                                            nonce='search-0001', at=DURING)):
        with pytest.raises(DomainError) as e:
            await call
        assert e.value.code == 'forbidden'
