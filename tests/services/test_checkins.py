"""Check-in by a volunteer's scan of a personal code: answers, nonces, races, the scan time of offline scans."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from models import AuditEntry, CheckIn, Invitation, ScanRecord
from services import checkins, codes, events
from tests.support import make_account, make_community, make_household, make_meeting, make_resident, principal_of

pytestmark = pytest.mark.usefixtures('db')

START = datetime(2026, 6, 3, 11, 0, tzinfo=UTC)  # 19:00 in 宜昌
DURING = START + timedelta(minutes=5)


@pytest.fixture
async def world():
    community = await make_community()
    home = await make_household(community, building='3栋', room='502')
    resident = await make_resident(community, name='张桂兰', household=home)
    meeting = await make_meeting(community, starts_at=START, state='open')
    volunteer = await make_account(community, 'volunteer', name='志愿者小李')
    second = await make_account(community, 'volunteer', name='志愿者小王')
    return {'community': community, 'resident': resident, 'meeting': meeting,
            'volunteer': await principal_of(volunteer), 'second': await principal_of(second)}


async def scan(world, token, *, nonce='nonce-0001', actor='volunteer', **kw):
    kw.setdefault('at', DURING)
    return await checkins.scan_code(world[actor], world['meeting'].id, token, nonce=nonce, **kw)


async def test_scanning_a_personal_code_checks_the_resident_in_with_name_place_and_count(world):
    heard = []
    events.subscribe('meeting.checkin.created', heard.append)
    answer = await scan(world, codes.personal_code(world['resident']))
    assert (answer.result, answer.message, answer.count) == ('checked_in', '签到成功', 1)
    assert (answer.name, answer.place) == ('张桂兰', '嘉明花园 3栋 502')
    assert answer.checked_in_at == DURING
    assert heard[0].payload == {'community_id': world['community'].id, 'meeting_id': world['meeting'].id,
                                'resident_id': world['resident'].id, 'count': 1}
    assert await AuditEntry.filter(action='meeting.checkin.created').count() == 1
    assert answer.as_json()['message'] == '签到成功'


async def test_a_second_scan_says_already_checked_in_with_the_first_time_and_counts_nothing(world):
    token = codes.personal_code(world['resident'])
    await scan(world, token)
    again = await scan(world, token, nonce='nonce-0002', at=DURING + timedelta(minutes=10))
    assert (again.result, again.message, again.count) == ('already', '已签到 19:05', 1)
    assert await CheckIn.all().count() == 1


async def test_the_answer_names_the_seat_the_resident_was_invited_to(world):
    await Invitation.create(meeting=world['meeting'], seat_kind='resident_rep', resident=world['resident'],
                            name='张桂兰')
    answer = await scan(world, codes.personal_code(world['resident']))
    assert answer.seat == '居（村）民代表'


async def test_a_forged_code_is_refused_and_the_refusal_is_recorded(world):
    token = codes.personal_code(world['resident'])
    answer = await scan(world, token[:-3] + 'AAA')
    assert (answer.result, answer.code) == ('refused', 'token_invalid')
    assert await ScanRecord.filter(result='refused', code='token_invalid').count() == 1
    assert await CheckIn.all().count() == 0


async def test_the_meetings_own_qr_caught_by_the_camera_is_refused_with_a_hint(world):
    answer = await scan(world, codes.meeting_token(world['meeting']))
    assert (answer.result, answer.code) == ('refused', 'not_personal_code')
    assert '个人码' in answer.message
    again = await scan(world, codes.meeting_token(world['meeting']))
    assert again.message == answer.message


async def test_a_revoked_personal_code_is_refused(world):
    token = codes.personal_code(world['resident'])
    world['resident'].code_version += 1
    await world['resident'].save()
    answer = await scan(world, token)
    assert (answer.result, answer.code) == ('refused', 'token_revoked')


async def test_a_code_of_another_community_is_refused_without_naming_the_person(world):
    other = await make_community('东山社区')
    stranger = await make_resident(other, name='外人')
    answer = await scan(world, codes.personal_code(stranger))
    assert (answer.result, answer.code, answer.name) == ('refused', 'wrong_community', '')


async def test_a_resident_who_left_is_refused(world):
    world['resident'].status = 'left'
    await world['resident'].save()
    answer = await scan(world, codes.personal_code(world['resident']))
    assert (answer.result, answer.code) == ('refused', 'resident_left')


async def test_a_pending_resident_is_checked_in_and_marked_pending(world):
    pending = await make_resident(world['community'], name='新来的', status='pending')
    answer = await scan(world, codes.personal_code(pending))
    assert (answer.result, answer.pending) == ('checked_in', True)


async def test_a_scan_more_than_an_hour_before_the_start_is_refused_as_too_early(world):
    answer = await scan(world, codes.personal_code(world['resident']), at=START - timedelta(minutes=61))
    assert (answer.result, answer.code) == ('refused', 'checkin_not_open')


async def test_a_scan_at_a_cancelled_meeting_is_refused(world):
    world['meeting'].state = 'cancelled'
    await world['meeting'].save()
    answer = await scan(world, codes.personal_code(world['resident']))
    assert (answer.result, answer.code) == ('refused', 'meeting_cancelled')


async def test_an_offline_scan_made_during_the_meeting_counts_when_it_arrives_after_closing(world):
    meeting = world['meeting']
    meeting.state, meeting.closed_at = 'closed', START + timedelta(hours=1)
    await meeting.save()
    answer = await scan(world, codes.personal_code(world['resident']), scanned_at=START + timedelta(minutes=30),
                        at=START + timedelta(hours=3))
    assert answer.result == 'checked_in'
    assert (await CheckIn.get()).scanned_at == START + timedelta(minutes=30)


async def test_a_scan_made_after_closing_is_refused_and_recorded(world):
    meeting = world['meeting']
    meeting.state, meeting.closed_at = 'closed', START + timedelta(hours=1)
    await meeting.save()
    answer = await scan(world, codes.personal_code(world['resident']), scanned_at=START + timedelta(hours=2),
                        at=START + timedelta(hours=3))
    assert (answer.result, answer.code) == ('refused', 'meeting_over')
    assert '未计入签到' in answer.message
    assert await ScanRecord.filter(code='meeting_over').count() == 1
    assert await CheckIn.all().count() == 0


async def test_a_replayed_nonce_returns_the_first_answer_and_adds_nothing(world):
    token = codes.personal_code(world['resident'])
    first = await scan(world, token)
    again = await scan(world, token, at=DURING + timedelta(minutes=3))
    assert (again.result, again.message, again.name) == (first.result, first.message, first.name)
    assert await ScanRecord.all().count() == 1
    assert await CheckIn.all().count() == 1


async def test_a_replayed_refusal_returns_the_same_red_answer(world):
    early = START - timedelta(hours=2)
    first = await scan(world, codes.personal_code(world['resident']), at=early)
    again = await scan(world, codes.personal_code(world['resident']), at=DURING)
    assert (again.result, again.code, again.message) == ('refused', 'checkin_not_open', first.message)
    assert await CheckIn.all().count() == 0


async def test_the_same_nonce_sent_twice_at_once_gives_one_answer_and_one_record(world):
    token = codes.personal_code(world['resident'])
    first, second = await asyncio.gather(scan(world, token), scan(world, token))
    assert first.result == second.result == 'checked_in'
    assert await ScanRecord.all().count() == 1
    assert await CheckIn.all().count() == 1


async def test_two_volunteers_scanning_the_same_resident_at_once_make_one_check_in(world):
    token = codes.personal_code(world['resident'])
    answers = await asyncio.gather(scan(world, token, nonce='nonce-aaaa'),
                                   scan(world, token, nonce='nonce-bbbb', actor='second'))
    assert sorted(a.result for a in answers) == ['already', 'checked_in']
    assert await CheckIn.all().count() == 1
    assert await ScanRecord.all().count() == 2


async def test_a_resident_without_the_scan_role_may_not_scan(world):
    account = await make_account(world['community'], resident=world['resident'])
    with pytest.raises(DomainError) as e:
        await scan(world | {'volunteer': await principal_of(account)}, codes.personal_code(world['resident']))
    assert e.value.code == 'forbidden'


async def test_a_volunteer_of_another_community_may_not_scan_at_this_meeting(world):
    other = await make_community('东山社区')
    outsider = await principal_of(await make_account(other, 'volunteer'))
    with pytest.raises(DomainError) as e:
        await scan(world | {'volunteer': outsider}, codes.personal_code(world['resident']))
    assert e.value.code == 'forbidden'


@pytest.mark.parametrize('nonce', ['short', 'x' * 65, 'has space!', ''])
async def test_a_malformed_nonce_is_refused_before_anything_is_written(world, nonce):
    with pytest.raises(DomainError) as e:
        await scan(world, codes.personal_code(world['resident']), nonce=nonce)
    assert e.value.code == 'bad_nonce'
    assert await ScanRecord.all().count() == 0


async def test_an_unknown_meeting_is_not_found(world):
    with pytest.raises(DomainError) as e:
        await checkins.scan_code(world['volunteer'], 999999, codes.personal_code(world['resident']),
                                 nonce='nonce-0001', at=DURING)
    assert e.value.code == 'not_found'
