"""Pledging as people do it: a resident pledges on the phone and the ledger shows it, names are thanked only with
consent, an organiser confirms what arrived, bad numbers are refused in words, and the Excel ledger downloads."""
from __future__ import annotations

import asyncio
from decimal import Decimal as D

import pytest
from nicegui import ui
from nicegui.testing import User

from components import session
from components.pledge_panel import pledge_section
from models import Pledge
from services import pledges
from tests.support import make_account, make_community, make_project, make_resident, principal_of, sign_in

PHONE = '13912345678'


def _section_page(*, public: bool) -> None:
    """The section alone, as the project page and the public board embed it."""
    @ui.page('/pledge-test/{project_id}')
    async def page(project_id: int) -> None:
        await pledge_section(await session.current_user(), project_id, public=public)


@pytest.fixture
async def world(user: User):
    community = await make_community()
    zhang = await make_resident(community, name='张桂兰', phone=PHONE)
    li = await make_resident(community, name='李大爷')
    accounts = {
        'zhang': await make_account(community, name='张桂兰', resident=zhang, password=None),
        'li': await make_account(community, name='李大爷', resident=li, password=None),
        'staff': await make_account(community, 'staff', name='李敏'),
    }
    people = {key: await principal_of(account) for key, account in accounts.items()}
    project = await make_project(community)
    need = await pledges.add_need(people['staff'], project.id, kind='labour', item='刷墙志愿者', quantity='20',
                                  slot='12月6日上午')
    return {'community': community, 'project': project, 'need': need, 'accounts': accounts, **people}


async def _pledge(world, who: str, quantity: str, *, thanks: bool, kind: str = 'labour') -> Pledge:
    return await pledges.pledge(world[who], world['project'].id, need_id=world['need'].id if kind == 'labour' else None,
                                kind=kind, item='捐款', quantity=quantity, thank_publicly=thanks,
                                nonce=f'nonce-{who}-{quantity}-{kind}')


async def test_a_resident_pledges_hours_once_however_often_they_tap_and_the_ledger_shows_it(user: User, world) -> None:
    _section_page(public=False)
    await sign_in(user, world['accounts']['zhang'])
    await user.open(f'/projects/{world["project"].id}/pledge')
    await user.should_see('刷墙志愿者（投工投劳） · 12月6日上午 · 还差 20 小时')
    user.find(marker='pledge-quantity').type('4')
    submit = user.find(marker='pledge-submit')
    submit.click()
    submit.click()  # a double tap
    await user.should_see('谢谢您！已认捐', retries=30)
    await asyncio.sleep(0.2)
    (row,) = await Pledge.all()
    assert (row.name, row.quantity, row.need_id, row.thank_publicly) == ('张桂兰', D('4.00'), world['need'].id, False)
    await user.should_see(marker=f'my-pledge-{row.id}')  # 我的认捐, live
    await user.open(f'/pledge-test/{world["project"].id}')
    await user.should_see('需要 20 · 已认 4 · 已到位 0 小时')
    await user.should_see('还差 16 小时')
    await user.should_not_see(marker='pledge-thanks')  # nothing arrived and no consent: no names


async def test_a_bad_quantity_is_refused_in_words_and_nothing_is_pledged(user: User, world) -> None:
    await sign_in(user, world['accounts']['zhang'])
    await user.open(f'/projects/{world["project"].id}/pledge')
    user.find(marker='pledge-quantity').type('-3')
    user.find(marker='pledge-submit').click()
    await user.should_see('数量要大于 0', retries=30)
    user.find(marker='pledge-quantity').clear().type('两小时')
    user.find(marker='pledge-submit').click()
    await user.should_see('请填写数量（数字，如 2 或 2.5）', retries=30)
    assert await Pledge.all().count() == 0


async def test_a_resident_gives_money_without_a_need_and_ticks_consent(user: User, world) -> None:
    await sign_in(user, world['accounts']['li'])
    await user.open(f'/projects/{world["project"].id}/pledge')
    user.find(marker='pledge-need').elements.pop().value = 0  # 其他（自己填写）
    user.find(marker='pledge-kind').elements.pop().value = 'money'
    user.find(marker='pledge-quantity').type('200.5')
    user.find(marker='pledge-thanks').elements.pop().value = True
    user.find(marker='pledge-submit').click()
    await user.should_see('谢谢您！已认捐', retries=30)
    (row,) = await Pledge.all()
    assert (row.kind, row.item, row.unit, row.quantity, row.thank_publicly) == \
        ('money', '捐款', '元', D('200.50'), True)


async def test_names_are_thanked_only_with_consent_and_a_visitor_gets_a_sign_in_hint(user: User, world) -> None:
    _section_page(public=True)
    yes = await _pledge(world, 'zhang', '4', thanks=True)
    no = await _pledge(world, 'li', '3', thanks=False)
    await pledges.confirm_received(world['staff'], yes.id, received='4')
    await pledges.confirm_received(world['staff'], no.id, received='3')
    await user.open(f'/pledge-test/{world["project"].id}')
    await user.should_see(marker='pledge-thanks')
    await user.should_see('张桂兰')
    await user.should_see('刷墙志愿者 4 小时')
    await user.should_not_see('李大爷')
    await user.should_not_see(PHONE)
    await user.should_see('需要 20 · 已认 7 · 已到位 7 小时')
    await user.should_see(marker='pledge-signin')
    await user.should_not_see(marker='pledge-button')


async def test_a_project_being_rated_takes_no_pledges(user: User, world) -> None:
    project = await make_project(world['community'], title='已完工的项目', state='rating')
    await sign_in(user, world['accounts']['zhang'])
    await user.open(f'/projects/{project.id}/pledge')
    await user.should_see('项目评价中，现在不接受认捐')
    await user.should_not_see(marker='pledge-submit')


async def test_an_organiser_confirms_a_partial_arrival_and_the_ledger_updates(user: User, world) -> None:
    row = await _pledge(world, 'zhang', '4', thanks=True)
    await sign_in(user, world['accounts']['staff'])
    await user.open(f'/projects/{world["project"].id}/pledges')
    await user.should_see('张桂兰')
    await user.should_see(PHONE)  # staff may read phones
    user.find(marker=f'confirm-{row.id}').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='received').clear().type('2.5')
    user.find(marker='confirm-ok').click()
    await user.should_see('已确认到位', retries=30)
    await user.should_see('部分到位 · 已到位 2.5 小时', retries=30)
    await user.should_see('需要 20 · 已认 4 · 已到位 2.5 小时', retries=30)
    stored = await Pledge.get(id=row.id)
    assert (stored.state, stored.received, stored.confirmed_by_id) == \
        ('partial', D('2.50'), world['accounts']['staff'].id)


async def test_the_organisers_page_shows_a_new_pledge_live(user: User, world) -> None:
    await sign_in(user, world['accounts']['staff'])
    await user.open(f'/projects/{world["project"].id}/pledges')
    await user.should_see('全部认捐（0 笔）')
    await _pledge(world, 'li', '3', thanks=False)
    await user.should_see('全部认捐（1 笔）', retries=30)
    await user.should_see('需要 20 · 已认 3 · 已到位 0 小时', retries=30)


async def test_an_organiser_adds_a_need_and_a_resident_cannot_open_the_organisers_page(user: User, world) -> None:
    await sign_in(user, world['accounts']['staff'])
    await user.open(f'/projects/{world["project"].id}/pledges')
    user.find(marker='need-add').click()
    await user.should_see(marker='need-ok')
    user.find(marker='need-kind').elements.pop().value = 'material'
    user.find(marker='need-item').type('空调')
    user.find(marker='need-unit').type('台')
    user.find(marker='need-quantity').type('1.5')
    user.find(marker='need-ok').click()
    await user.should_see('按“台”计的要填整数', retries=30)
    user.find(marker='need-quantity').clear().type('2')
    user.find(marker='need-ok').click()
    await user.should_see('需要 2 · 已认 0 · 已到位 0 台', retries=30)
    await sign_in(user, world['accounts']['zhang'])
    await user.open(f'/projects/{world["project"].id}/pledges')
    await user.should_see(marker='no-permission')


async def test_a_resident_withdraws_their_own_pledge_with_a_reason(user: User, world) -> None:
    row = await _pledge(world, 'zhang', '4', thanks=False)
    await sign_in(user, world['accounts']['zhang'])
    await user.open(f'/projects/{world["project"].id}/pledge')
    user.find(marker=f'withdraw-{row.id}').click()
    user.find(marker='withdraw-ok').click()
    await user.should_see('请写明撤回的原因', retries=30)
    user.find(marker='withdraw-reason').type('那天要出门')
    user.find(marker='withdraw-ok').click()
    await user.should_see('已撤回', retries=30)
    await user.should_see('撤回原因：那天要出门', retries=30)
    assert (await Pledge.get(id=row.id)).state == 'withdrawn'


async def test_the_excel_ledger_downloads_for_organisers_only(user: User, world) -> None:
    import io

    import openpyxl
    await _pledge(world, 'zhang', '4', thanks=True)
    await sign_in(user, world['accounts']['staff'])
    response = await user.http_client.get(f'/projects/{world["project"].id}/pledges.xlsx')
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[5]) for r in rows] == [('张桂兰', 4), ('合计', 4)]
    wide = await user.http_client.get('/pledges.xlsx')
    assert wide.status_code == 200 and 'attachment' in wide.headers['content-disposition']
    await sign_in(user, world['accounts']['zhang'])
    refused = await user.http_client.get(f'/projects/{world["project"].id}/pledges.xlsx')
    assert refused.status_code == 403
    assert (await user.http_client.get('/pledges.xlsx')).status_code == 403


async def test_the_pledge_button_goes_away_live_when_the_project_is_cancelled(user: User, world) -> None:
    from services import project_moves
    _section_page(public=False)
    await sign_in(user, world['accounts']['zhang'])
    await user.open(f'/pledge-test/{world["project"].id}')
    await user.should_see(marker='pledge-button')
    await project_moves.move(world['staff'], world['project'].id, 'cancelled', reason='业主大会否决')
    await user.should_see('项目已撤销，现在不接受认捐', retries=30)
    await user.should_not_see(marker='pledge-button')
