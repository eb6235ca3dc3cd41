"""/meetings/{id}/attendance, its Excel file and the paper sign-in sheet, as staff, volunteers and residents
meet them."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from nicegui.testing import User

from models import CheckIn, Invitation
from services import checkins
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
    three = await make_household(community, building='3栋', room='502')
    meeting = await make_meeting(community, title='加装电梯议事会', starts_at=datetime.now(UTC) + timedelta(minutes=10),
                                 level='compound_city')
    owner_rep = await make_resident(community, name='刘代表', household=three, phone=PHONE)
    manager = await make_resident(community, name='孙经理')
    await Invitation.create(meeting=meeting, seat_kind='owners_committee', resident=owner_rep, name='刘代表')
    await Invitation.create(meeting=meeting, seat_kind='property_company', resident=manager, name='孙经理',
                            organisation='嘉明物业')
    await CheckIn.create(meeting=meeting, resident=owner_rep, method='self', scanned_at=datetime.now(UTC),
                         created_at=datetime.now(UTC))
    neighbour = await make_resident(community, name='钱阿姨', household=three)
    return {'community': community, 'meeting': meeting, 'manager': manager, 'path': f'/meetings/{meeting.id}',
            'staff': await make_account(community, 'staff', name='李敏'),
            'volunteer': await make_account(community, 'volunteer', name='小林'),
            'neighbour': await make_account(community, name='钱阿姨', resident=neighbour, password=None)}


async def test_staff_see_the_count_and_which_seats_are_present_or_missing(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'{world["path"]}/attendance')
    await user.should_see('加装电梯议事会')
    assert user.find(marker='attendance-count').elements.pop().text == '1'
    await user.should_see('1/5 个席位有人到场')
    await user.should_see('刘代表（')  # present, with the time
    await user.should_see('✗ 孙经理 · 嘉明物业 未到')
    await user.should_see('嘉明花园 3栋')
    await user.should_see(PHONE)  # staff may see phone numbers


async def test_a_volunteer_sees_phone_numbers_masked(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'{world["path"]}/attendance')
    await user.should_see('139****5678')
    await user.should_not_see(PHONE)


async def test_the_count_rises_live_when_someone_checks_in(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'{world["path"]}/attendance')
    await user.should_see('✗ 孙经理 · 嘉明物业 未到')
    volunteer = await principal_of(world['volunteer'])  # at the door, finding 孙经理 by name
    answer = await checkins.check_in_resident(volunteer, world['meeting'].id, world['manager'].id, nonce='door-0001')
    assert answer.result == 'checked_in'
    await user.should_see('2/5 个席位有人到场', retries=40)
    assert user.find(marker='attendance-count').elements.pop().text == '2'
    await user.should_not_see('✗ 孙经理 · 嘉明物业 未到')


async def test_a_resident_is_refused_the_attendance_page_and_its_files(user: User, world) -> None:
    await sign_in(user, world['neighbour'])
    await user.open(f'{world["path"]}/attendance')
    await user.should_see('没有权限')
    await user.should_not_see('刘代表')
    response = await user.http_client.get(f'{world["path"]}/attendance.xlsx', follow_redirects=False)
    assert response.status_code == 403 and '没有权限' in response.text
    await user.open(f'{world["path"]}/signin-sheet')
    await user.should_see('没有权限')


async def test_nobody_signed_in_is_sent_to_login(user: User, world) -> None:
    response = await user.http_client.get(f'{world["path"]}/attendance.xlsx', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')


async def test_the_export_button_downloads_a_sheet_with_one_row_per_check_in(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'{world["path"]}/attendance')
    user.find(marker='export-xlsx').click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [row[1].value for row in book['签到'].iter_rows(min_row=3)]
    assert names == ['刘代表']
    assert {row[2].value for row in book['席位'].iter_rows(min_row=3)} >= {'刘代表', '孙经理'}
    assert PHONE not in str([c.value for sheet in book for row in sheet.iter_rows() for c in row])


async def test_the_paper_sign_in_sheet_lists_the_invitees_then_twenty_blank_rows(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'{world["path"]}/attendance')
    user.find(marker='signin-sheet').click()
    await user.should_see('加装电梯议事会 签到表', retries=30)  # a new page: it may take a moment
    await user.should_see('刘代表')
    await user.should_see('业主委员会')
    await user.should_see('孙经理 · 嘉明物业')
    await user.should_see('物业服务企业')
    await user.should_see('嘉明花园 3栋 502')
    await user.should_see(marker='sheet-row-22')
    await user.should_not_see(marker='sheet-row-23')
    await user.should_not_see('表决')  # no bottom navigation on a page meant for paper
