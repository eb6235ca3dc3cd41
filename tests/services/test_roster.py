"""Roster import against a real database: all or nothing, idempotent, one owner of several units is one person."""
from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest

from domain.errors import DomainError
from domain.roster import read
from models import AuditEntry, Building, Compound, Household, Ownership, Resident, ResidentTag
from services import apikeys, events, roster
from services.roster_files import read_rows
from tests.roster_support import HEADER, csv_bytes, family, row, xlsx_bytes
from tests.support import make_account, make_community, make_household, make_resident, principal_of

AT = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


async def _staff(*roles: str):
    community = await make_community()
    return community, await principal_of(await make_account(community, *(roles or ('staff',))))


async def _counts() -> dict[str, int]:
    return {'compounds': await Compound.all().count(), 'buildings': await Building.all().count(),
            'households': await Household.all().count(), 'residents': await Resident.all().count(),
            'tags': await ResidentTag.all().count(), 'ownerships': await Ownership.all().count()}


async def test_importing_a_roster_creates_places_people_tags_and_owners(db) -> None:
    community, actor = await _staff()
    result = await roster.apply(actor, community.id, '花名册.xlsx', xlsx_bytes(family()), at=AT)
    assert (result.compounds_created, result.buildings_created) == (1, 3)
    assert (result.households.created, result.residents.created, result.ownerships.created) == (3, 4, 3)
    assert result.rows == result.rows_imported == 5 and result.rows_skipped == 0
    zhang = await Resident.get(phone='13800000101').prefetch_related('tags', 'household')
    assert zhang.status == 'verified' and zhang.verified_at == AT and zhang.birth_year == 1956
    assert sorted(tag.tag for tag in zhang.tags) == ['党员', '居民代表']
    assert zhang.household.room == '101' and zhang.household.area_m2 == Decimal('89.50')
    assert (await Resident.get(phone='13800000102')).status == 'pending'
    tenant = await Resident.get(phone='13800000201').prefetch_related('household')
    assert tenant.relation == 'tenant' and tenant.household.occupancy == 'rented'


async def test_importing_the_same_file_twice_creates_no_duplicates(db) -> None:
    community, actor = await _staff()
    data = xlsx_bytes(family())
    await roster.apply(actor, community.id, 'a.xlsx', data, at=AT)
    before = await _counts()
    again = await roster.apply(actor, community.id, 'a.xlsx', data, at=AT)
    assert await _counts() == before
    assert (again.households.created, again.residents.created, again.ownerships.created) == (0, 0, 0)
    assert (again.households.updated, again.residents.updated, again.ownerships.updated) == (0, 0, 0)
    assert (again.households.unchanged, again.residents.unchanged, again.ownerships.unchanged) == (3, 4, 3)
    assert again.compounds_created == again.buildings_created == 0


async def test_a_changed_file_updates_what_changed_and_leaves_the_rest(db) -> None:
    community, actor = await _staff()
    await roster.apply(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    rows = family()
    rows[0] = row(name='张桂兰', phone='13800000101', area='90.10', cert='鄂(2019)宜昌市不动产权第0000101号',
                  tags='志愿者', verified='是')
    rows[1] = row(name='李明', phone='13900000102', year='1984', relation='家属', area='90.10')
    result = await roster.apply(actor, community.id, 'b.csv', csv_bytes(rows), at=AT)
    assert (result.households.updated, result.households.unchanged) == (1, 2)
    assert (result.residents.updated, result.residents.unchanged, result.residents.created) == (2, 2, 0)
    assert (await Household.get(room='101')).area_m2 == Decimal('90.10')
    zhang = await Resident.get(phone='13800000101').prefetch_related('tags')
    assert [tag.tag for tag in zhang.tags] == ['志愿者']
    assert (await Resident.get(name='李明')).phone == '13900000102'  # found by household + name: new phone


async def test_a_resident_without_phone_is_found_again_by_household_and_name(db) -> None:
    community, actor = await _staff()
    rows = [row(name='刘奶奶', year='1938', relation='家属')]
    await roster.apply(actor, community.id, 'a.csv', csv_bytes(rows), at=AT)
    rows = [row(name='刘奶奶', year='1938', relation='家属', phone='13700000001')]
    result = await roster.apply(actor, community.id, 'b.csv', csv_bytes(rows), at=AT)
    assert (result.residents.created, result.residents.updated) == (0, 1)
    assert (await Resident.get(name='刘奶奶')).phone == '13700000001'


async def test_any_bad_row_blocks_the_whole_file_and_nothing_is_written(db) -> None:
    community, actor = await _staff()
    rows = [*family(), row(room='102', area='-5', name='坏数据', phone='12345')]
    with pytest.raises(roster.RosterRejected) as caught:
        await roster.apply(actor, community.id, 'a.csv', csv_bytes(rows), at=AT)
    assert caught.value.code == 'roster_has_errors'
    errors = {(e.row, e.column) for e in caught.value.report.errors}
    assert errors == {(7, '建筑面积(㎡)'), (7, '手机号')}
    assert set((await _counts()).values()) == {0}
    assert not await AuditEntry.filter(action='roster.imported').exists()


async def test_only_good_rows_imports_the_good_ones_when_asked_explicitly(db) -> None:
    community, actor = await _staff()
    rows = [*family(), row(room='102', area='abc', name='坏数据')]
    result = await roster.apply(actor, community.id, 'a.csv', csv_bytes(rows), only_good_rows=True, at=AT)
    assert (result.rows, result.rows_imported, result.rows_skipped) == (6, 5, 1)
    assert await Resident.all().count() == 4
    assert not await Household.filter(room='102').exists()


async def test_only_good_rows_with_no_good_row_imports_nothing(db) -> None:
    community, actor = await _staff()
    with pytest.raises(DomainError) as caught:
        await roster.apply(actor, community.id, 'a.csv', csv_bytes([row(area='0')]), only_good_rows=True, at=AT)
    assert caught.value.code == 'roster_nothing_to_import'


async def test_a_phone_used_by_a_different_resident_in_the_community_is_a_row_error(db) -> None:
    community, actor = await _staff()
    await make_resident(community, name='陈老师', phone='13800000101')
    report = await roster.preview(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    assert [(e.row, e.column) for e in report.errors] == [(2, '手机号')]
    assert '另一位居民' in report.errors[0].message
    with pytest.raises(roster.RosterRejected):
        await roster.apply(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    assert await Resident.all().count() == 1


async def test_the_same_phone_in_another_community_is_no_conflict(db) -> None:
    community, actor = await _staff()
    other = await make_community('桃花岭社区')
    await make_resident(other, name='陈老师', phone='13800000101')
    result = await roster.apply(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    assert result.residents.created == 4


async def test_an_owner_of_several_units_becomes_one_resident_owning_each(db) -> None:
    community, actor = await _staff()
    await roster.apply(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    wang = await Resident.filter(name='王建国').prefetch_related('household', 'owned_units__household')
    assert len(wang) == 1
    assert wang[0].household.room == '301'  # the first row is where he lives
    assert sorted(o.household.room for o in wang[0].owned_units) == ['202', '301']
    tenant_unit = await Household.get(room='202').prefetch_related('ownership__resident', 'members')
    assert tenant_unit.ownership.resident.name == '王建国'
    assert [m.name for m in tenant_unit.members] == ['赵小雨']


async def test_a_unit_with_a_new_owner_in_the_file_changes_its_registered_owner(db) -> None:
    community, actor = await _staff()
    await roster.apply(actor, community.id, 'a.csv', csv_bytes([row(cert='证A', phone='13800000001')]), at=AT)
    rows = [row(cert='证A', phone='13800000001', relation='家属'),
            row(cert='证A', name='周新', phone='13800000002', year='1970')]
    result = await roster.apply(actor, community.id, 'b.csv', csv_bytes(rows), at=AT)
    assert result.ownerships.updated == 1
    assert (await Ownership.get().prefetch_related('resident')).resident.name == '周新'


async def test_a_unit_without_anybody_is_imported_as_an_empty_household(db) -> None:
    community, actor = await _staff()
    rows = [row(room='502', occupancy='空置', sale='未售', name='', year='', relation='')]
    result = await roster.apply(actor, community.id, 'a.csv', csv_bytes(rows), at=AT)
    assert (result.households.created, result.residents.created) == (1, 0)
    unit = await Household.get(room='502')
    assert (unit.occupancy, unit.sale_status) == ('vacant', 'unsold')


async def test_existing_places_are_reused_by_name(db) -> None:
    community, actor = await _staff()
    await make_household(community, compound='嘉明花园', building='1栋', room='101', area='89.50')
    result = await roster.apply(actor, community.id, 'a.csv', csv_bytes([row(phone='13800000001')]), at=AT)
    assert (result.compounds_created, result.buildings_created, result.households.unchanged) == (0, 0, 1)


@pytest.mark.parametrize('encoding', ['utf-8-sig', 'utf-8', 'gb18030'])
async def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(db, encoding: str) -> None:
    community, actor = await _staff()
    data = csv_bytes(family(), encoding=encoding)
    result = await roster.apply(actor, community.id, 'a.csv', data, at=AT)
    assert result.residents.created == 4
    assert await Resident.filter(name='张桂兰').exists()


async def test_a_csv_saved_by_excel_as_xlsx_named_csv_is_read_by_its_content(db) -> None:
    community, actor = await _staff()
    result = await roster.apply(actor, community.id, '花名册.csv', xlsx_bytes(family(), title='船柴社区居民花名册'),
                                at=AT)
    assert result.residents.created == 4


@pytest.mark.parametrize(('data', 'words'), [
    (b'%PDF-1.7\n1 0 obj<<>>endobj\n' + bytes(range(256)) * 20, 'PDF'),
    (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\x00' * 600, '.xls'),
    (b'PK\x03\x04 this is not really a zip', '无法读取'),
    (bytes(range(256)) * 40, '无法读取'),
    (b'', '空'),
])
async def test_a_fake_or_corrupt_file_is_refused_as_unreadable(db, data: bytes, words: str) -> None:
    community, actor = await _staff()
    with pytest.raises(DomainError) as caught:
        await roster.preview(actor, community.id, '花名册.xlsx', data, at=AT)
    assert caught.value.code == 'file_unreadable' and words in caught.value.message


async def test_a_zip_that_is_not_a_workbook_is_refused(db) -> None:
    community, actor = await _staff()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('word/document.xml', '<w:document/>')
    with pytest.raises(DomainError) as caught:
        await roster.preview(actor, community.id, 'a.xlsx', buffer.getvalue(), at=AT)
    assert caught.value.code == 'file_unreadable' and '不是 Excel' in caught.value.message


async def test_a_file_over_5_mb_is_refused_on_the_server(db) -> None:
    community, actor = await _staff()
    data = csv_bytes(family()) + b' ' * (5 * 1024 * 1024)
    for call in (roster.preview(actor, community.id, 'a.csv', data, at=AT),
                 roster.apply(actor, community.id, 'a.csv', data, at=AT)):
        with pytest.raises(DomainError) as caught:
            await call
        assert caught.value.code == 'file_too_large'
    assert await Resident.all().count() == 0


async def test_more_than_20000_rows_are_refused(db) -> None:
    community, actor = await _staff()
    data = csv_bytes([row(room=str(i), name=f'居民{i}') for i in range(20_001)])
    with pytest.raises(DomainError) as caught:
        await roster.preview(actor, community.id, 'a.csv', data, at=AT)
    assert caught.value.code == 'roster_too_many_rows'


async def test_preview_changes_nothing_and_says_what_the_import_would_do(db) -> None:
    community, actor = await _staff()
    report = await roster.preview(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    assert report.ok and report.rows == report.good_rows == 5
    assert (report.planned.households.created, report.planned.residents.created) == (3, 4)
    assert (report.planned.compounds_created, report.planned.buildings_created) == (1, 3)
    assert report.planned.ownerships.created == 3
    assert set((await _counts()).values()) == {0}
    await roster.apply(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    again = await roster.preview(actor, community.id, 'a.csv', csv_bytes(family()), at=AT)
    assert (again.planned.households.unchanged, again.planned.residents.unchanged) == (3, 4)


async def test_an_import_is_audited_and_published(db) -> None:
    community, actor = await _staff()
    seen = []
    unsubscribe = events.subscribe('roster.imported', seen.append)
    try:
        await roster.apply(actor, community.id, '../../etc/花名册.csv', csv_bytes(family()), at=AT)
    finally:
        unsubscribe()
    entry = await AuditEntry.get(action='roster.imported')
    assert entry.actor_id == actor.account_id and entry.community_id == community.id
    assert entry.data['filename'] == '花名册.csv' and entry.data['residents']['created'] == 4
    assert entry.data['only_good_rows'] is False
    assert [e.community_id for e in seen] == [community.id]
    assert seen[0].payload['households']['created'] == 3


@pytest.mark.parametrize('role', ['committee', 'supervisor', 'volunteer'])
async def test_only_staff_and_admins_may_import(db, role: str) -> None:
    community, actor = await _staff(role)
    for call in (roster.preview(actor, community.id, 'a.csv', csv_bytes(family())),
                 roster.apply(actor, community.id, 'a.csv', csv_bytes(family()))):
        with pytest.raises(DomainError) as caught:
            await call
        assert caught.value.code == 'forbidden'


async def test_staff_of_another_community_may_not_import_here(db) -> None:
    community, _ = await _staff()
    other = await make_community('桃花岭社区')
    outsider = await principal_of(await make_account(other, 'staff'))
    with pytest.raises(DomainError) as caught:
        await roster.apply(outsider, community.id, 'a.csv', csv_bytes(family()))
    assert caught.value.code == 'forbidden'


async def test_an_api_key_imports_into_its_own_community_and_is_named_in_the_audit(db) -> None:
    community, _ = await _staff()
    admin = await principal_of(await make_account(community, 'admin'))
    key_row, _ = await apikeys.create(admin, community.id, '区平台对接')
    result = await roster.apply_with_key(key_row, 'a.csv', csv_bytes(family()), at=AT)
    assert result.residents.created == 4
    entry = await AuditEntry.get(action='roster.imported')
    assert entry.actor_id is None and entry.data['api_key'] == key_row.prefix
    revoked = await apikeys.revoke(admin, key_row.id)
    with pytest.raises(DomainError) as caught:
        await roster.apply_with_key(revoked, 'a.csv', csv_bytes(family()))
    assert caught.value.code == 'forbidden'


def test_the_excel_template_reads_back_with_its_examples_refused() -> None:
    data = roster.template_xlsx()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ['花名册', '说明']
    sheet = book['花名册']
    assert [cell.value for cell in sheet[1]] == HEADER and sheet.max_row == 3
    lists = {str(v.sqref).split(':')[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {'E': '"自住,出租,空置"', 'F': '"已售,未售"', 'K': '"业主,家属,租户"', 'M': '"是,否"'}
    assert sheet['A1'].font.bold
    notes = '\n'.join(str(c.value) for r in book['说明'].iter_rows() for c in r if c.value)
    assert '一人名下有多套房' in notes and '与房屋关系' in notes
    parsed = read(read_rows(data), this_year=2026)
    assert parsed.bad_rows == {2, 3}
    assert {e.message for e in parsed.errors} == {'这是模板里的示例，请删除这一行'}


def test_the_csv_template_starts_with_a_bom_for_excel() -> None:
    data = roster.template_csv()
    assert data.startswith(b'\xef\xbb\xbf')
    assert data.decode('utf-8-sig').splitlines()[0].split(',') == HEADER
    assert read(read_rows(data), this_year=2026).data_rows == 2


async def test_two_imports_of_the_same_file_at_once_create_no_duplicates(db) -> None:
    community, actor = await _staff()
    data = csv_bytes([*family(), row(room='102', name='刘奶奶', year='1938', relation='家属')])
    first, second = await asyncio.gather(roster.apply(actor, community.id, 'a.csv', data, at=AT),
                                         roster.apply(actor, community.id, 'a.csv', data, at=AT))
    assert sorted([first.residents.created, second.residents.created]) == [0, 5]
    assert await Resident.all().count() == 5 and await Household.all().count() == 4
    assert await Compound.all().count() == 1
