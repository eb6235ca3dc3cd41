"""The volunteer's 扫码签到 page: who may open it, the live count, the way to search, the meeting it remembers."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from nicegui import app
from nicegui.testing import User

from services import checkins, codes
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    principal_of,
    sign_in,
)


@pytest.fixture
async def world(user: User):
    community = await make_community()
    other = await make_community('夷陵社区')
    home = await make_household(community, building='3栋', room='502')
    resident = await make_resident(community, name='张桂兰', household=home)
    meeting = await make_meeting(community, title='嘉明花园停车议事会', state='open',
                                 starts_at=datetime.now(UTC) - timedelta(minutes=10))
    return {
        'community': community, 'resident': resident, 'meeting': meeting,
        'volunteer': await make_account(community, 'volunteer', name='志愿者小李'),
        'staff': await make_account(community, 'staff', name='李敏'),
        'stranger': await make_account(other, 'volunteer', name='外社区志愿者'),
        'neighbour': await make_account(community, name='何建国', password=None,
                                        resident=await make_resident(community, name='何建国', household=home)),
    }


async def test_a_volunteer_sees_the_meeting_the_count_and_the_way_to_search_and_the_meeting_is_remembered(
        user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    meeting = world['meeting']
    await user.open(f'/meetings/{meeting.id}/scan')
    await user.should_see('扫码签到')
    await user.should_see('嘉明花园停车议事会')
    await user.should_see('已签到 0 人')
    await user.should_see(marker='scanner')
    link = user.find(marker='scan-search').elements.pop()
    assert link.props['href'] == f'/meetings/{meeting.id}/checkin'
    assert link.text == '找不到人？按姓名/电话/房号查找'
    with user:
        assert app.storage.user['scan_meeting'] == meeting.id


async def test_the_count_goes_up_live_when_someone_is_checked_in(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}/scan')
    await user.should_see('已签到 0 人')
    other_volunteer = await principal_of(world['volunteer'])
    answer = await checkins.scan_code(other_volunteer, world['meeting'].id, codes.personal_code(world['resident']),
                                      nonce='scan-from-another-phone')
    assert answer.result == 'checked_in'
    await user.should_see('已签到 1 人', retries=30)


@pytest.mark.parametrize('who', ['neighbour', 'stranger'])
async def test_a_resident_or_a_volunteer_of_another_community_gets_the_no_permission_screen(
        user: User, world, who: str) -> None:
    await sign_in(user, world[who])
    await user.open(f'/meetings/{world["meeting"].id}/scan')
    await user.should_see(marker='no-permission')
    await user.should_not_see(marker='scanner')
    with user:
        assert 'scan_meeting' not in app.storage.user


async def test_an_unknown_meeting_says_so(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open('/meetings/99999/scan')
    await user.should_see('找不到这次议事会')
    await user.should_not_see(marker='scanner')


async def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in_and_back(user: User, world) -> None:
    response = await user.http_client.get(f'/meetings/{world["meeting"].id}/scan')
    assert response.status_code == 303
    assert response.headers['location'] == f'/login?next=/meetings/{world["meeting"].id}/scan'
