"""/dashboard in a real browser: the bundled ECharts draws all three charts without a console error, they stack on a
phone and stand two by two on a projector, and a move of an issue redraws the funnel without a reload."""
from __future__ import annotations

import asyncio

from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import PHONE, sign_in_as_staff

PASSWORD = 'correct horse 42'
PROJECTOR = {'width': 1280, 'height': 720, 'deviceScaleFactor': 1, 'mobile': False}


def on_server(coroutine):
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout=20)


async def _world() -> dict:
    from models import Compound
    from services import issues
    from services.issues import Draft
    from tests.support import make_account, make_community, principal_of
    community = await make_community()
    garden = await Compound.create(community=community, name='嘉明花园')
    staff_account = await make_account(community, 'staff', name='李敏', password=PASSWORD)
    staff = await principal_of(staff_account)
    made = []
    for title in ('3栋门口路灯坏了', '垃圾桶满了'):
        draft = Draft(kind='issue', title=title, body='', category='lighting', compound_id=garden.id)
        made.append(await issues.record_for_resident(staff, community.id, draft, channel='phone', author_name='居民'))
    await issues.move(staff, made[0].id, 'accepted')
    return {'phone': staff_account.phone, 'staff': staff, 'issue_id': made[0].id}


async def _triage(world: dict) -> None:
    from services import issues
    await issues.move(world['staff'], world['issue_id'], 'triaged')


def _boxes(screen: Screen) -> list[dict]:
    """Where each chart is, and whether ECharts drew its canvas."""
    return screen.selenium.execute_script(
        'return [...document.querySelectorAll(".nicegui-echart")].map(e => { const r = e.getBoundingClientRect();'
        ' return {x: Math.round(r.left), y: Math.round(r.top), canvas: !!e.querySelector("canvas")}; })')


def _step(screen: Screen, number: int) -> str | None:
    return screen.selenium.execute_script(
        f'const e = document.querySelector(".gs-dash-step-{number}"); return e && e.innerText')


def test_the_charts_draw_stack_on_a_phone_stand_side_by_side_on_a_projector_and_redraw_live(screen: Screen) -> None:
    try:
        screen.open('/login', timeout=60)
        world = on_server(_world())
        sign_in_as_staff(screen, world['phone'], PASSWORD)
        screen.open('/dashboard')
        screen.should_contain('共 2 件公共议题')
        WebDriverWait(screen.selenium, 5).until(lambda _: all(b['canvas'] for b in _boxes(screen)) and
                                                len(_boxes(screen)) == 3)
        phone = _boxes(screen)
        assert len({b['x'] for b in phone}) == 1 and phone[0]['y'] < phone[1]['y'] < phone[2]['y']  # stacked
        screen.selenium.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', PROJECTOR)
        WebDriverWait(screen.selenium, 5).until(lambda _: len({b['x'] for b in _boxes(screen)}) == 2)
        assert _step(screen, 2) == '0'
        on_server(_triage(world))
        WebDriverWait(screen.selenium, 5).until(lambda _: _step(screen, 2) == '1')
    finally:
        screen.selenium.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
            'width': PHONE['width'], 'height': PHONE['height'], 'deviceScaleFactor': PHONE['pixelRatio'],
            'mobile': True})
