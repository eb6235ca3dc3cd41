"""Who came: seats present or missing, walk-ins and pending people, by building, phones masked for volunteers."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from domain.attendance import UNREGISTERED, by_building, seat_lines
from domain.errors import DomainError
from models import CheckIn, Invitation
from services import attendance, attendance_files
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    principal_of,
)

START = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # 19:00 in Shanghai, a Wednesday
PHONE = '13912345678'


@pytest.fixture
async def world(db):
    community = await make_community()
    one = await make_household(community, building='1栋', room='101')
    three = await make_household(community, building='3栋', room='502')
    ten = await make_household(community, building='10栋', room='1201')
    meeting = await make_meeting(community, title='加装电梯议事会', starts_at=START, level='community')
    secretary = await make_resident(community, name='陈书记', household=one)
    rep = await make_resident(community, name='刘代表', household=three)
    neighbour = await make_resident(community, name='周美华', household=three, phone=PHONE)
    guest = await make_resident(community, name='吴工', household=ten)
    walk_in = await make_resident(community, name='赵新来', status='pending')
    walk_in.registered_room = '5栋 301'
    await walk_in.save()
    await Invitation.create(meeting=meeting, seat_kind='two_committees', resident=secretary, name='陈书记')
    await Invitation.create(meeting=meeting, seat_kind='resident_rep', resident=rep, name='刘代表')
    await Invitation.create(meeting=meeting, seat_kind='social_org', name='何社工', organisation='阳光社工站')
    await Invitation.create(meeting=meeting, seat_kind='stakeholder', resident=guest, name='吴工')
    volunteer = await make_account(community, 'volunteer', name='小林')
    staff = await make_account(community, 'staff', name='李敏')

    async def came(resident, minutes: int, method: str, by=None) -> None:
        at = START - timedelta(minutes=30) + timedelta(minutes=minutes)
        await CheckIn.create(meeting=meeting, resident=resident, method=method, by_account=by, scanned_at=at,
                             created_at=at)

    await came(neighbour, 5, 'scan', volunteer)
    await came(secretary, 1, 'self')
    await came(walk_in, 9, 'walk_in')
    await came(guest, 3, 'search', volunteer)
    return {'community': community, 'meeting': meeting, 'volunteer': await principal_of(volunteer),
            'staff': await principal_of(staff)}


async def test_a_seat_is_present_when_someone_invited_to_it_came_and_missing_when_nobody_did(world) -> None:
    report = await attendance.attendance(world['staff'], world['meeting'].id)
    states = {line.key: line.state for line in report.seats}
    assert states == {'two_committees': 'present', 'resident_rep': 'missing', 'tenant_rep': 'empty',
                      'social_org': 'missing', 'stakeholder': 'present'}
    assert (report.seats_present, report.seats_total) == (1, 4)
    rep = next(line for line in report.seats if line.key == 'resident_rep')
    assert [p.name for p in rep.missing] == ['刘代表']
    assert report.template == '社区议事协商委员会（4+N）'


async def test_the_total_splits_into_invited_walk_ins_and_people_not_yet_verified(world) -> None:
    report = await attendance.attendance(world['staff'], world['meeting'].id)
    assert (report.total, report.invited, report.walk_ins, report.pending) == (4, 2, 1, 1)


async def test_people_are_counted_by_building_in_natural_order_with_the_unregistered_last(world) -> None:
    report = await attendance.attendance(world['volunteer'], world['meeting'].id)
    assert report.buildings == [('嘉明花园 1栋', 1), ('嘉明花园 3栋', 1), ('嘉明花园 10栋', 1), (UNREGISTERED, 1)]


async def test_the_list_is_in_order_of_check_in_with_who_checked_each_person_in(world) -> None:
    report = await attendance.attendance(world['staff'], world['meeting'].id)
    assert [e.name for e in report.entries] == ['陈书记', '吴工', '周美华', '赵新来']
    by_name = {e.name: e for e in report.entries}
    assert by_name['周美华'].by == '小林' and by_name['周美华'].method_label == '扫个人码'
    assert by_name['陈书记'].by == '' and by_name['陈书记'].seat == '两委成员'
    assert by_name['赵新来'].place == '5栋 301' and by_name['赵新来'].building == UNREGISTERED
    assert by_name['吴工'].seat == '利益相关方'


async def test_volunteers_see_masked_phone_numbers_and_staff_see_them_whole(world) -> None:
    seen_by_volunteer = await attendance.attendance(world['volunteer'], world['meeting'].id)
    seen_by_staff = await attendance.attendance(world['staff'], world['meeting'].id)
    assert next(e.phone for e in seen_by_volunteer.entries if e.name == '周美华') == '139****5678'
    assert next(e.phone for e in seen_by_staff.entries if e.name == '周美华') == PHONE


async def test_residents_and_other_communities_may_not_read_attendance(world) -> None:
    resident = await make_resident(world['community'], name='钱阿姨')
    resident_account = await make_account(world['community'], name='钱阿姨', resident=resident, password=None)
    elsewhere = await make_account(await make_community('桃花社区'), 'staff', name='外社区')
    for someone in (resident_account, elsewhere):
        with pytest.raises(DomainError) as refused:
            await attendance.attendance(await principal_of(someone), world['meeting'].id)
        assert refused.value.code == 'forbidden'
    with pytest.raises(DomainError) as missing:
        await attendance.attendance(world['staff'], 999999)
    assert missing.value.code == 'not_found'


async def test_the_count_is_what_the_projector_shows(world) -> None:
    assert await attendance.count(world['volunteer'], world['meeting'].id) == 4


async def test_the_excel_file_has_a_row_per_check_in_and_a_seat_sheet_with_phones_masked(world) -> None:
    name, data = await attendance_files.attendance_xlsx(world['volunteer'], world['meeting'].id)
    assert name.endswith('.xlsx') and '加装电梯议事会' in name
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = [[c.value for c in row] for row in book['签到'].iter_rows(min_row=3)]
    assert [row[1] for row in rows] == ['陈书记', '吴工', '周美华', '赵新来']
    assert [c.value for c in book['签到'][2]] == list(attendance_files.HEADERS)
    everything = ' '.join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert PHONE not in everything and '139****5678' in everything
    seats = {(row[0].value, row[2].value): row[1].value for row in book['席位'].iter_rows(min_row=3)}
    assert seats[('两委成员', '陈书记')] == '✓ 已到' and seats[('居（村）民代表', '刘代表')] == '✗ 未到'
    assert seats[('常住外来人口代表', None)] == '未邀请'
    assert rows[0][7] == datetime(2026, 12, 2, 18, 31)  # local wall-clock time


async def test_a_name_that_looks_like_a_formula_stays_text_in_excel(world) -> None:
    sneaky = await make_resident(world['community'], name='=1+1')
    await CheckIn.create(meeting=world['meeting'], resident=sneaky, method='walk_in', scanned_at=START,
                         created_at=START)
    _, data = await attendance_files.attendance_xlsx(world['staff'], world['meeting'].id)
    sheet = openpyxl.load_workbook(io.BytesIO(data))['签到']
    cell = next(row[1] for row in sheet.iter_rows(min_row=3) if row[1].value == '=1+1')
    assert cell.data_type == 's'


def test_seats_follow_the_template_order_with_stakeholders_last_and_unknown_kinds_after() -> None:
    from domain.attendance import Invitee
    lines = seat_lines('compound_city', [Invitee('甲', 'stakeholder'), Invitee('乙', 'owners_committee'),
                                         Invitee('丙', 'old_kind')])
    assert [line.key for line in lines] == ['community_committee', 'party_branch', 'owners_committee',
                                            'property_company', 'social_org_head', 'stakeholder', 'old_kind']
    assert [line.fixed for line in lines][-2:] == [False, False]


def test_by_building_counts_and_sorts_two_before_ten() -> None:
    assert by_building(['A 10栋', UNREGISTERED, 'A 2栋', 'A 10栋']) == [('A 2栋', 1), ('A 10栋', 2), (UNREGISTERED, 1)]
