"""签到 as people do it: a resident taps 签到 on the meeting QR page, a first-timer registers there, a volunteer
finds people by search, and a volunteer's phone opening a personal code's link checks the person in."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from nicegui import app
from nicegui.testing import User

from models import CheckIn, Resident
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

PHONE = '13912345678'


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, building='3栋', room='502')
    resident = await make_resident(community, name='张桂兰', household=home, phone=PHONE)
    meeting = await make_meeting(community, title='停车棚议事会', state='open',
                                 starts_at=datetime.now(UTC) - timedelta(minutes=10))
    return {'community': community, 'resident': resident, 'meeting': meeting,
            'me': await make_account(community, resident=resident, name='张桂兰'),
            'volunteer': await make_account(community, 'volunteer', name='志愿者小李'),
            'token': codes.meeting_token(meeting)}


async def test_a_resident_taps_check_in_and_a_second_tap_says_already(user: User, world) -> None:
    await sign_in(user, world['me'])
    await user.open(f'/m/{world["token"]}')
    await user.should_see('停车棚议事会')
    user.find(marker='checkin-self').click()
    await user.should_see('签到成功', retries=30)
    user.find(marker='checkin-self').click()
    await user.should_see(marker='answer-already', retries=30)
    await user.should_see('已签到')
    assert await CheckIn.filter(resident_id=world['resident'].id).count() == 1


async def test_a_stranger_gets_sign_in_or_first_time_and_registers_as_a_walk_in(user: User, world) -> None:
    await user.open(f'/m/{world["token"]}')
    await user.should_see('登录后签到')
    user.find(marker='checkin-walk-in').click()
    user.find(marker='walk-in-name').type('李新来')
    user.find(marker='walk-in-phone').type('13700001111')
    user.find(marker='walk-in-room').type('3栋602')
    user.find(marker='walk-in-submit').click()
    await user.should_see('签到成功', retries=30)
    await user.should_see('待社区核实身份')
    walk_in = await Resident.get(phone='13700001111')
    assert walk_in.status == 'pending'
    assert await CheckIn.filter(resident_id=walk_in.id, method='walk_in').exists()


async def test_a_walk_in_with_a_known_phone_learns_nothing_about_its_owner(user: User, world) -> None:
    await user.open(f'/m/{world["token"]}')
    user.find(marker='checkin-walk-in').click()
    user.find(marker='walk-in-name').type('张阿姨')
    user.find(marker='walk-in-phone').type(PHONE)
    user.find(marker='walk-in-room').type('502')
    user.find(marker='walk-in-submit').click()
    await user.should_see('已有登记，签到成功', retries=30)
    await user.should_not_see('张桂兰')
    await user.should_not_see('嘉明花园')


async def test_a_walk_in_form_with_a_bad_phone_says_so_and_registers_nobody(user: User, world) -> None:
    await user.open(f'/m/{world["token"]}')
    user.find(marker='checkin-walk-in').click()
    user.find(marker='walk-in-name').type('李新来')
    user.find(marker='walk-in-phone').type('12345')
    user.find(marker='walk-in-room').type('602')
    user.find(marker='walk-in-submit').click()
    await user.should_see('手机号应为 11 位数字', retries=30)
    assert await Resident.all().count() == 1


async def test_the_login_choice_comes_back_to_this_meeting_page_to_tap_check_in(user: User, world) -> None:
    await user.open(f'/m/{world["token"]}')
    user.find(marker='checkin-login').click()
    await user.should_see(marker='pw-phone', retries=30)
    user.find('工作人员').click()
    user.find(marker='pw-phone').clear().type(PHONE)
    user.find(marker='pw-password').clear().type('correct horse 42')
    user.find(marker='pw-submit').click()
    await user.should_see(marker='checkin-self', retries=50)
    assert user.back_history[-1] == f'/m/{world["token"]}'


async def test_a_bad_meeting_qr_says_so_and_shows_nothing_else(user: User, world) -> None:
    await user.open(f'/m/{world["token"]}x')
    await user.should_see('二维码或链接无效')
    await user.should_not_see('停车棚议事会')
    await user.should_not_see(marker='checkin-walk-in')


async def test_a_volunteer_finds_a_resident_by_room_and_taps_check_in(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'/meetings/{world["meeting"].id}/checkin')
    await user.should_see('已签到 0 人')
    user.find(marker='checkin-query').type('3栋502')
    user.find(marker='checkin-find').click()
    await user.should_see('张桂兰', retries=30)
    await user.should_see('139****5678')
    await user.should_not_see(PHONE)
    user.find(marker=f'candidate-checkin-{world["resident"].id}').click()
    await user.should_see('签到成功', retries=30)
    await user.should_see('已签到 1 人', retries=30)
    await user.should_see(marker=f'candidate-done-{world["resident"].id}', retries=30)
    with user:
        assert app.storage.user['scan_meeting'] == world['meeting'].id


async def test_the_search_page_count_follows_check_ins_made_on_other_phones(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'/meetings/{world["meeting"].id}/checkin')
    await user.should_see('已签到 0 人')
    other = await principal_of(await make_account(world['community'], 'volunteer', name='志愿者小王'))
    await checkins.scan_code(other, world['meeting'].id, codes.personal_code(world['resident']), nonce='other-0001')
    await user.should_see('已签到 1 人', retries=50)


async def test_a_resident_cannot_open_the_volunteer_search_page(user: User, world) -> None:
    await sign_in(user, world['me'])
    await user.open(f'/meetings/{world["meeting"].id}/checkin')
    await user.should_see('没有权限')
    await user.should_not_see(marker='checkin-query')


async def test_a_volunteer_with_a_current_meeting_opening_a_personal_code_checks_the_person_in(user, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'/meetings/{world["meeting"].id}/checkin')
    link = f'/c/{codes.personal_code(world["resident"])}'
    await user.open(link)
    await user.should_see(marker='answer-checked_in')
    await user.should_see('签到成功')
    await user.open(link)  # a reload shows the first answer and adds nothing
    await user.should_see('签到成功')
    assert await CheckIn.filter(resident_id=world['resident'].id, method='link').count() == 1


async def test_a_volunteer_whose_current_meeting_is_not_open_for_check_in_sees_the_code_as_before(user, world):
    tomorrow = await make_meeting(world['community'], title='明天的会', starts_at=datetime.now(UTC) + timedelta(days=1))
    await sign_in(user, world['volunteer'])
    await user.open(f'/meetings/{tomorrow.id}/checkin')
    await user.should_see('现在不在签到时间内')
    await user.open(f'/c/{codes.personal_code(world["resident"])}')
    await user.should_see('签到请使用议事会页面里的扫码签到')
    await user.should_not_see(marker='answer-refused')
    assert not await CheckIn.exists()


async def test_a_volunteer_without_a_current_meeting_sees_the_code_as_before(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'/c/{codes.personal_code(world["resident"])}')
    await user.should_see('张桂兰')
    await user.should_see('签到请使用议事会页面里的扫码签到')
    assert not await CheckIn.exists()


async def test_a_stranger_opening_a_personal_code_sees_nothing_personal_and_checks_nobody_in(user, world) -> None:
    await user.open(f'/c/{codes.personal_code(world["resident"])}')
    await user.should_see('这是共商居民个人码')
    await user.should_not_see('张桂兰')
    assert not await CheckIn.exists()
