"""The bookkeeping page and the money section as staff and residents use them: staff record a spending and see the
totals change, an over-budget spending needs a reason, a resident sees the money without any form."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from components.project_money import allowance_section, money_section
from models import BudgetLine, Spending
from services import budget
from tests.support import make_account, make_community, make_project, make_resident, principal_of, sign_in

D = Decimal


def _jpeg(size=(900, 1200)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, (250, 250, 240)).save(buffer, format='JPEG')
    return buffer.getvalue()


@pytest.fixture
async def world(user: User):
    community = await make_community()
    project = await make_project(community)
    resident = await make_resident(community, name='周美华')
    accounts = {
        'staff': await make_account(community, 'staff', name='李敏'),
        'resident': await make_account(community, name='周美华', resident=resident, password=None),
    }
    staff = await principal_of(accounts['staff'])
    await budget.add_budget_line(staff, project.id, source='huimin', amount='20000', note='惠民资金')
    return {'community': community, 'project': project, 'staff_principal': staff, **accounts}


async def _fill_spending(user: User, *, amount: str, item: str = '声控灯 12 个') -> None:
    user.find(marker='spend-amount').type(amount)
    user.find(marker='spend-item').type(item)
    user.find(marker='spend-payee').type('宜昌明亮灯具店')


async def _upload(user: User, data: bytes, name: str) -> None:
    upload = user.find(marker='receipt').elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload(name=name, content_type='image/jpeg', _data=data)])


async def test_staff_record_a_spending_with_a_receipt_and_see_the_totals_change(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await user.should_see('20,000.00')
    await user.should_see(marker='money-spent')
    await _fill_spending(user, amount='1,280.50')
    await _upload(user, _jpeg(), '发票.jpg')
    await user.should_see(marker='receipt-ready')
    user.find(marker='spend-submit').click()
    await user.should_see('18,719.50', retries=30)  # 结余 redrawn live after the commit
    await user.should_see('声控灯 12 个')
    row = await Spending.get(project_id=world['project'].id)
    assert (row.amount, row.over_budget, row.receipt_key is not None) == (D('1280.50'), False, True)
    await user.should_see(marker=f'receipt-{row.id}')


async def test_a_double_tap_records_once(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await _fill_spending(user, amount='300')
    button = user.find(marker='spend-submit')
    button.click()
    button.click()
    await user.should_see('19,700.00', retries=30)
    assert await Spending.filter(project_id=world['project'].id).count() == 1


async def test_an_over_budget_spending_without_a_reason_shows_the_message_and_stores_nothing(user, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await _fill_spending(user, amount='25000')
    user.find(marker='spend-submit').click()
    await user.should_see(marker='over-message', retries=30)
    await user.should_see('超出“惠民资金”的剩余预算 5,000.00 元')
    user.find(marker='over-ok').click()  # no reason typed
    await user.should_see('请写明超支原因')
    user.find('取消').click()
    await user.should_see('超出“惠民资金”的剩余预算 5,000.00 元')  # under the form now
    assert await Spending.all().count() == 0


async def test_an_over_budget_spending_with_a_reason_is_stored_and_flagged_in_red(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await _fill_spending(user, amount='25000')
    user.find(marker='spend-submit').click()
    await user.should_see(marker='over-reason', retries=30)
    user.find(marker='over-reason').type('居民议事会同意追加路灯')
    user.find(marker='over-ok').click()
    await user.should_see('超预算：居民议事会同意追加路灯', retries=30)
    await user.should_see(marker='money-over')
    row = await Spending.get(project_id=world['project'].id)
    assert (row.over_budget, row.over_reason) == (True, '居民议事会同意追加路灯')


async def test_a_bad_amount_is_explained_and_nothing_is_stored(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await _fill_spending(user, amount='1.234')
    user.find(marker='spend-submit').click()
    await user.should_see('支出金额最多精确到分（小数点后两位）', retries=30)
    assert await Spending.all().count() == 0


async def test_a_fake_receipt_is_refused_on_arrival(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await _upload(user, b'%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF', '发票.jpg')
    await user.should_see('这不是照片文件，请选择 JPG 或 PNG 照片')
    await user.should_not_see(marker='receipt-ready')


async def test_staff_void_a_spending_with_a_reason_and_it_stays_struck_through(user: User, world) -> None:
    row = await budget.record_spending(world['staff_principal'], world['project'].id, source='huimin', amount='500',
                                       item='油漆', spent_on=(await _today()), receipt=None, nonce='nonce-paint')
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await user.should_see('19,500.00')
    user.find(marker=f'void-{row.id}').click()
    await user.should_see(marker='void-reason')
    user.find(marker='void-reason').type('重复录入')
    user.find(marker='void-ok').click()
    await user.should_see('已作废：重复录入', retries=30)
    await user.should_not_see(marker=f'void-{row.id}')
    assert (await Spending.get(id=row.id)).void_reason == '重复录入'


async def test_staff_add_a_budget_line(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    user.find(marker='line-source').elements.pop().value = 'residents'
    user.find(marker='line-amount').type('3,000')
    user.find(marker='line-submit').click()
    await user.should_see('23,000.00', retries=30)
    await user.should_see(marker='money-source-residents')
    assert await BudgetLine.filter(source='residents').count() == 1


async def test_a_closed_project_shows_its_books_read_only(user: User, world) -> None:
    await budget.record_spending(world['staff_principal'], world['project'].id, source='huimin', amount='800',
                                 item='灯具', spent_on=(await _today()), receipt=None, nonce='nonce-closed')
    await world['project'].filter(id=world['project'].id).update(state='closed')
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/money')
    await user.should_see(marker='money-closed')
    await user.should_see('19,200.00')
    await user.should_not_see(marker='spend-form')
    await user.should_not_see(marker='budget-form')
    await user.should_not_see('作废')


async def test_a_resident_may_not_open_the_bookkeeping_page(user: User, world) -> None:
    await sign_in(user, world['resident'])
    await user.open(f'/projects/{world["project"].id}/money')
    await user.should_see(marker='no-permission')
    await user.should_not_see(marker='spend-form')


async def test_a_resident_sees_the_money_section_without_forms_or_the_record_link(user: User, world) -> None:
    await budget.record_spending(world['staff_principal'], world['project'].id, source='huimin', amount='800',
                                 item='灯具', spent_on=(await _today()), receipt=None, nonce='nonce-lamps')
    project_id = world['project'].id

    @ui.page('/test-money')
    async def page() -> None:
        from components import session
        await money_section(await session.current_user(), project_id)

    await sign_in(user, world['resident'])
    await user.open('/test-money')
    await user.should_see('19,200.00')
    await user.should_see('灯具')
    await user.should_not_see(marker='money-record-link')
    await user.should_not_see(marker='spend-form')
    await user.should_not_see('记账：李敏')  # who typed it in is for staff


async def test_staff_see_the_record_link_in_the_section_but_not_on_the_public_board(user: User, world) -> None:
    project_id = world['project'].id

    @ui.page('/test-money-staff')
    async def page() -> None:
        from components import session
        user_ = await session.current_user()
        await money_section(user_, project_id)
        ui.label('公开栏')
        await money_section(user_, project_id, public=True)

    await sign_in(user, world['staff'])
    await user.open('/test-money-staff')
    await user.should_see(marker='money-record-link')
    assert len(user.find(marker='money-record-link').elements) == 1
    assert len(user.find(marker='money-section').elements) == 2


async def test_the_section_redraws_when_someone_else_records_a_spending(user: User, world) -> None:
    project_id = world['project'].id

    @ui.page('/test-money-live')
    async def page() -> None:
        from components import session
        await money_section(await session.current_user(), project_id, public=True)

    await user.open('/test-money-live')  # a visitor on the public board
    await user.should_see('20,000.00')
    await user.should_not_see(marker='money-record-link')
    await budget.record_spending(world['staff_principal'], project_id, source='huimin', amount='2500', item='电线',
                                 spent_on=(await _today()), receipt=None, nonce='nonce-wires')
    await user.should_see('17,500.00', retries=30)
    await user.should_see('电线')


async def test_the_board_shows_how_much_of_the_years_huimin_allowance_is_committed(user: User, world) -> None:
    community_id = world['community'].id
    year = (await _today()).year

    @ui.page('/test-allowance')
    async def page() -> None:
        await allowance_section(community_id, year=year)

    await user.open('/test-allowance')
    await user.should_see('200,000.00')  # an urban community's year
    await user.should_see('还可安排 180,000.00 元')  # the fixture's 20,000 line
    await budget.add_budget_line(world['staff_principal'], world['project'].id, source='huimin', amount='190000')
    await user.should_see('已安排的超出全年额度 10,000.00 元', retries=40)


async def _today():
    from datetime import datetime

    from domain.meetings import LOCAL
    return datetime.now(LOCAL).date()
