"""/admin/roster: staff upload a sheet, see errors by row and column, and import — all, or only the good rows."""
from __future__ import annotations

import io

import openpyxl
from nicegui import ui
from nicegui.testing import User

from models import AuditEntry, Household, Resident
from services import roster
from tests.roster_support import HEADER, csv_bytes, family, row, xlsx_bytes
from tests.support import make_account, make_community, make_resident, sign_in


async def _staff(user: User, *roles: str):
    community = await make_community()
    account = await make_account(community, *(roles or ('staff',)), name='李敏')
    await sign_in(user, account)
    return community


async def _upload(user: User, data: bytes, name: str = '花名册.xlsx') -> None:
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload(name=name, content_type='', _data=data)])


async def test_staff_uploads_a_good_file_sees_the_check_and_imports_it(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    await user.should_see('导入居民花名册')
    await _upload(user, xlsx_bytes(family()))
    await user.should_see(marker='roster-report', retries=30)
    await user.should_see('导入后：新增 3 户、更新 0 户；新增 4 位居民、更新 0 位；0 户未变')
    await user.should_not_see(marker='roster-errors')
    await user.should_not_see(marker='import-good')
    assert not await Resident.exists()  # a check writes nothing
    user.find(marker='import-all').click()
    await user.should_see(marker='roster-result', retries=30)
    await user.should_see('居民：新增 4，更新 0，未变 0')
    assert await Resident.all().count() == 4
    await user.should_not_see(marker='import-all')  # done: nothing left to click twice


async def test_errors_are_listed_by_row_and_column_and_block_importing_all(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    rows = [*family(), row(room='102', area='0', name='<b>坏</b>', phone='123')]
    await _upload(user, csv_bytes(rows, encoding='gb18030'), '花名册.csv')
    await user.should_see(marker='roster-errors', retries=30)
    await user.should_see(marker='error-row-7')
    with user.scope(marker='error-row-7'):
        await user.should_see('第 7 行')
        await user.should_see('建筑面积(㎡)')
        await user.should_see('面积必须大于 0')
        await user.should_see('手机号应为 11 位数字，以 1 开头')
    await user.should_see('还有 1 行有错误，不能全部导入')
    assert not user.find(marker='import-all').elements.pop().enabled
    await user.should_see('仅导入正确的 5 行')
    assert not await Resident.exists()


async def test_importing_only_the_good_rows_asks_first_and_leaves_the_bad_row_out(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    await _upload(user, csv_bytes([*family(), row(room='102', area='abc', name='坏数据')]), 'a.csv')
    await user.should_see(marker='import-good', retries=30)
    user.find(marker='import-good').click()
    await user.should_see('只导入正确的 5 行？有错误的 1 行不会导入，改正后可以再导入一次。')
    user.find('取消').click()
    await user.should_not_see('只导入正确的 5 行？有错误的 1 行不会导入，改正后可以再导入一次。')
    assert not await Resident.exists()
    user.find(marker='import-good').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see(marker='roster-result', retries=30)
    await user.should_see('有错误没有导入的行：1 行')
    assert await Resident.all().count() == 4 and not await Household.filter(room='102').exists()


async def test_an_unreadable_file_gets_a_clear_message(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    await _upload(user, b'%PDF-1.4 not a sheet', '花名册.xlsx')
    await user.should_see('这是 PDF 文件，不是表格', retries=30)
    await user.should_not_see(marker='roster-report')


async def test_a_file_over_5_mb_is_refused_on_the_server(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    await _upload(user, csv_bytes(family()) + b' ' * roster.MAX_BYTES, 'big.csv')
    await user.should_see('文件太大（超过 5 MB）', retries=30)
    assert not await Resident.exists()


async def test_clicking_import_twice_imports_once(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    await _upload(user, csv_bytes(family()), 'a.csv')
    await user.should_see(marker='import-all', retries=30)
    button = user.find(marker='import-all')
    button.click()
    button.click()  # the same button, clicked again before the first import has finished
    await user.should_see(marker='roster-result', retries=30)
    assert await AuditEntry.filter(action='roster.imported').count() == 1
    assert await Resident.all().count() == 4


async def test_staff_downloads_both_templates(user: User) -> None:
    await _staff(user)
    await user.open('/admin/roster')
    user.find(marker='template-xlsx').click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book['花名册'][1]] == HEADER and '说明' in book.sheetnames
    user.find(marker='template-csv').click()
    response = await user.download.next()
    assert response.content.startswith(b'\xef\xbb\xbf') and '小区' in response.content.decode('utf-8-sig')


async def test_templates_are_served_only_to_people_who_may_import(user: User) -> None:
    community = await make_community()
    response = await user.http_client.get('/admin/roster/template.xlsx', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')
    resident = await make_resident(community, name='张桂兰')
    await sign_in(user, await make_account(community, name='张桂兰', resident=resident, password=None))
    for kind in ('xlsx', 'csv'):
        response = await user.http_client.get(f'/admin/roster/template.{kind}', follow_redirects=False)
        assert response.status_code == 403 and '没有权限' in response.text


async def test_a_resident_gets_no_access(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    await sign_in(user, await make_account(community, name='张桂兰', resident=resident, password=None))
    await user.open('/admin/roster')
    await user.should_see(marker='no-permission')
    await user.should_not_see(ui.upload)


async def test_a_committee_member_gets_no_access(user: User) -> None:
    await _staff(user, 'committee')
    await user.open('/admin/roster')
    await user.should_see(marker='no-permission')
    await user.should_not_see(ui.upload)


async def test_a_visitor_is_sent_to_sign_in(user: User) -> None:
    response = await user.http_client.get('/admin/roster', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')
