"""POST /meetings/{id}/scans, as scanner.js calls it: the volunteer's session, JSON only, small bodies, and a
replayed nonce (the offline queue sending a scan twice) that answers the same and counts once.

The simulated `user`'s http_client carries the session cookie that `sign_in` put the account into, so its POSTs
are authenticated exactly like the page's fetch (credentials: 'same-origin').
"""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nicegui.testing import User

from models import CheckIn, ScanRecord
from services import codes
from tests.support import make_account, make_community, make_household, make_meeting, make_resident, sign_in


@pytest.fixture
async def world(user: User):
    community = await make_community()
    other = await make_community('夷陵社区')
    home = await make_household(community, building='3栋', room='502')
    resident = await make_resident(community, name='张桂兰', household=home)
    meeting = await make_meeting(community, state='open', starts_at=datetime.now(UTC) - timedelta(minutes=10))
    return {'community': community, 'resident': resident, 'meeting': meeting,
            'volunteer': await make_account(community, 'volunteer', name='志愿者小李'),
            'stranger': await make_account(other, 'volunteer', name='外社区志愿者')}


def scan(token: str, *, nonce: str | None = None, scanned_at: object = 'now') -> dict:
    when = datetime.now(UTC).astimezone().isoformat() if scanned_at == 'now' else scanned_at
    return {'token': token, 'nonce': nonce or uuid.uuid4().hex, 'scanned_at': when}


async def post(user: User, meeting_id: int, body: dict):
    return await user.http_client.post(f'/meetings/{meeting_id}/scans', json=body)


async def test_a_signed_in_volunteers_scan_checks_the_resident_in_and_answers_green_with_name_and_place(
        user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    response = await post(user, world['meeting'].id, scan(codes.personal_code(world['resident'])))
    assert response.status_code == 200
    answer = response.json()
    assert (answer['result'], answer['message'], answer['name'], answer['place'], answer['count']) == \
        ('checked_in', '签到成功', '张桂兰', '嘉明花园 3栋 502', 1)
    assert response.headers['cache-control'] == 'no-store'
    checkin = await CheckIn.get(meeting_id=world['meeting'].id, resident_id=world['resident'].id)
    assert (checkin.method, checkin.by_account_id) == ('scan', world['volunteer'].id)


async def test_the_scan_url_from_the_printed_card_works_as_well_as_epoch_milliseconds(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    millis = int((datetime.now(UTC) - timedelta(minutes=1)).timestamp() * 1000)
    response = await post(user, world['meeting'].id,
                          scan(codes.personal_code(world['resident']), scanned_at=millis))
    assert response.json()['result'] == 'checked_in'
    checkin = await CheckIn.get(meeting_id=world['meeting'].id)
    assert abs(checkin.scanned_at.timestamp() * 1000 - millis) < 1


async def test_a_replayed_nonce_gets_the_same_answer_and_the_resident_is_counted_once(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    body = scan(codes.personal_code(world['resident']), nonce='queued-scan-0001')
    first = await post(user, world['meeting'].id, body)
    again = await post(user, world['meeting'].id, body)
    assert first.json() == again.json()
    assert again.json()['result'] == 'checked_in'
    assert await CheckIn.filter(meeting_id=world['meeting'].id).count() == 1
    assert await ScanRecord.filter(nonce='queued-scan-0001').count() == 1


async def test_the_same_queued_scan_sent_twice_at_once_answers_the_same_and_counts_once(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    body = scan(codes.personal_code(world['resident']), nonce='two-tabs-flushing-1')
    first, second = await asyncio.gather(post(user, world['meeting'].id, body), post(user, world['meeting'].id, body))
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()['result'] == 'checked_in'
    assert await CheckIn.filter(meeting_id=world['meeting'].id).count() == 1
    assert await ScanRecord.filter(nonce='two-tabs-flushing-1').count() == 1


async def test_a_deliberate_rescan_with_a_new_nonce_says_already_checked_in(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    token = codes.personal_code(world['resident'])
    await post(user, world['meeting'].id, scan(token))
    again = (await post(user, world['meeting'].id, scan(token))).json()
    assert again['result'] == 'already'
    assert again['message'].startswith('已签到 ')
    assert again['name'] == '张桂兰'
    assert await CheckIn.filter(meeting_id=world['meeting'].id).count() == 1


async def test_a_forged_code_answers_red_in_chinese_and_checks_nobody_in(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    genuine = codes.personal_code(world['resident'])
    forged = genuine[:-4] + ('AAAA' if not genuine.endswith('AAAA') else 'BBBB')
    response = await post(user, world['meeting'].id, scan(forged))
    assert response.status_code == 200
    answer = response.json()
    assert (answer['result'], answer['code'], answer['name']) == ('refused', 'token_invalid', '')
    assert answer['message'] == '二维码或链接无效，请向社区工作人员索取新的'
    assert await CheckIn.all().count() == 0


async def test_nobody_signed_in_gets_401_in_words(user: User, world) -> None:
    response = await post(user, world['meeting'].id, scan(codes.personal_code(world['resident'])))
    assert response.status_code == 401
    assert response.json() == {'code': 'not_signed_in', 'message': '登录已过期，请重新登录后再扫码'}
    assert await CheckIn.all().count() == 0


async def test_a_cross_site_form_post_is_refused_with_415_and_changes_nothing(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    response = await user.http_client.post(f'/meetings/{world["meeting"].id}/scans',
                                           data=scan(codes.personal_code(world['resident'])))
    assert response.status_code == 415
    assert response.json()['code'] == 'unsupported_media_type'
    plain = await user.http_client.post(f'/meetings/{world["meeting"].id}/scans', content=b'{}',
                                        headers={'Content-Type': 'text/plain'})
    assert plain.status_code == 415
    assert await CheckIn.all().count() == await ScanRecord.all().count() == 0


async def test_a_body_over_4_kb_is_refused_unread(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    body = {**scan(codes.personal_code(world['resident'])), 'padding': 'x' * 5000}
    response = await post(user, world['meeting'].id, body)
    assert response.status_code == 413
    assert await CheckIn.all().count() == 0


@pytest.mark.parametrize('body', [
    {'nonce': 'abcdefgh1234', 'scanned_at': None},  # no token
    {'token': 'x' * 401, 'nonce': 'abcdefgh1234'},  # too long for any code we make
    {'token': 'a.b', 'nonce': 1234567890},
    {'token': 'a.b', 'nonce': 'abcdefgh1234', 'scanned_at': '2026-06-03T19:00:00'},  # no offset: which zone?
    {'token': 'a.b', 'nonce': 'abcdefgh1234', 'scanned_at': 'yesterday'},
    {'token': 'a.b', 'nonce': 'abcdefgh1234', 'scanned_at': True},
    ['a.b', 'abcdefgh1234'],
])
async def test_a_malformed_scan_gets_400_in_words_and_nothing_is_recorded(user: User, world, body) -> None:
    await sign_in(user, world['volunteer'])
    response = await post(user, world['meeting'].id, body)
    assert response.status_code == 400
    assert response.json() == {'code': 'bad_scan', 'message': '扫码内容不完整，请再扫一次'}
    assert await ScanRecord.all().count() == 0


async def test_a_nonce_the_scanner_would_never_make_is_refused_with_its_reason(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    response = await post(user, world['meeting'].id, scan(codes.personal_code(world['resident']), nonce='short'))
    assert response.status_code == 400
    assert response.json()['code'] == 'bad_nonce'
    assert await CheckIn.all().count() == 0


async def test_a_volunteer_of_another_community_gets_403_and_an_unknown_meeting_404(user: User, world) -> None:
    await sign_in(user, world['stranger'])
    token = codes.personal_code(world['resident'])
    forbidden = await post(user, world['meeting'].id, scan(token))
    assert forbidden.status_code == 403
    assert forbidden.json()['code'] == 'forbidden'
    missing = await post(user, 99999, scan(token))
    assert missing.status_code == 404
    assert missing.json()['message'] == '找不到这次议事会'
    assert await CheckIn.all().count() == 0


async def test_a_queued_scan_made_during_the_meeting_counts_when_it_arrives_after_closing(user: User, world) -> None:
    meeting = world['meeting']
    meeting.state, meeting.closed_at = 'closed', datetime.now(UTC) - timedelta(minutes=1)
    await meeting.save()
    await sign_in(user, world['volunteer'])
    made = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    answer = (await post(user, meeting.id, scan(codes.personal_code(world['resident']), scanned_at=made))).json()
    assert answer['result'] == 'checked_in'
    late = await make_resident(world['community'], name='李建国')
    after = (await post(user, meeting.id, scan(codes.personal_code(late)))).json()
    assert (after['result'], after['code']) == ('refused', 'meeting_over')
    assert await CheckIn.filter(meeting_id=meeting.id).count() == 1
