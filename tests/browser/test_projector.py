"""The vote on the projector in a real browser: ballots cast through the service while the page is open change
its counts within a couple of seconds, without a reload; with results hidden only the turnout moves.

Data is made and ballots are cast on the server's own event loop (`on_server`), as in test_scanner.py.
"""
from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from pathlib import Path

from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import PHONE, sign_in_as_staff

PASSWORD = 'correct horse 42'
SHOTS = Path(tempfile.gettempdir()) / 'gongshang-browser-screenshots'
PROJECTOR = {'width': 1280, 'height': 720, 'deviceScaleFactor': 1, 'mobile': False}


def on_server(coroutine):
    """Run `coroutine` on the NiceGUI server's loop (started by the first screen.open) and return its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout=20)


async def _world(results_live: bool) -> dict:
    from tests.support import make_account, make_community, make_resident, make_vote, principal_of
    community = await make_community()
    voters = []
    for n in range(3):
        resident = await make_resident(community, name=f'居民{n + 1}')
        voters.append(await principal_of(await make_account(community, resident=resident, name=resident.name)))
    organiser = await make_account(community, 'staff', name='李敏', password=PASSWORD)
    vote = await make_vote(community, actor=await principal_of(organiser), opened=True, title='三栋加装电梯',
                           results_live=results_live)
    options = {o.kind: o.id for o in await vote.options.all()}
    return {'vote_id': vote.id, 'organiser_phone': organiser.phone, 'voters': voters, 'options': options}


async def _cast(voter, vote_id: int, option_id: int) -> None:
    from services import ballots
    await ballots.cast_ballot(voter, vote_id, [option_id], nonce=uuid.uuid4().hex)


def _start(screen: Screen, *, results_live: bool = True) -> dict:
    """Start the server, make the world, sign in as the organiser and open the projector page at 1280×720."""
    screen.open('/login', timeout=60)
    world = on_server(_world(results_live))
    sign_in_as_staff(screen, world['organiser_phone'], PASSWORD)
    screen.open(f'/votes/{world["vote_id"]}/screen')
    screen.should_contain('三栋加装电梯')
    screen.selenium.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', PROJECTOR)
    screen.selenium.execute_script('window.gsSamePage = true')  # gone if the page reloads
    return world


def _restore_phone(screen: Screen) -> None:
    screen.selenium.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': PHONE['width'], 'height': PHONE['height'], 'deviceScaleFactor': PHONE['pixelRatio'], 'mobile': True})


def _text(screen: Screen) -> str:
    return screen.selenium.execute_script('return document.body.innerText')


def _seconds_until(screen: Screen, text: str, *, within: float = 5.0) -> float:
    began = time.monotonic()
    WebDriverWait(screen.selenium, within, poll_frequency=0.05).until(lambda _: text in _text(screen))
    return time.monotonic() - began


def test_ballots_cast_while_the_projector_is_open_change_its_counts_without_reload(screen: Screen) -> None:
    try:
        world = _start(screen)
        yes, no = world['options']['yes'], world['options']['no']
        screen.should_contain('已投 0/3 人')
        assert screen.find_by_css('.gs-vs-qr').is_displayed()
        WebDriverWait(screen.selenium, 3).until(lambda _: '还剩 6天' in _text(screen))  # the browser's own clock

        on_server(_cast(world['voters'][0], world['vote_id'], yes))
        assert _seconds_until(screen, '已投 1/3 人') < 2
        assert '1 票 100.0%' in _text(screen)
        on_server(_cast(world['voters'][1], world['vote_id'], no))
        assert _seconds_until(screen, '已投 2/3 人') < 2
        shown = _text(screen)
        assert shown.count('1 票 50.0%') == 2  # 赞成 and 反对
        assert '0 票 0.0%' in shown  # 弃权
        widths = screen.selenium.execute_script(
            'return [...document.querySelectorAll(".gs-vs-fill")].map(e => e.style.width)')
        assert widths == ['66.7%', '50%', '50%', '0%']  # turnout 2/3, then each option's share
        assert screen.selenium.execute_script('return window.gsSamePage') is True
        assert screen.selenium.execute_script('return [innerWidth, innerHeight]') == [1280, 720]
        screen.wait(0.5)  # the bars slide to their new width
        screen.selenium.save_screenshot(str(SHOTS / 'projector-live.png'))
    finally:
        _restore_phone(screen)


def test_with_results_hidden_the_projector_moves_only_the_turnout(screen: Screen) -> None:
    try:
        world = _start(screen, results_live=False)
        screen.should_contain('各选项票数在表决结束后公布')
        on_server(_cast(world['voters'][0], world['vote_id'], world['options']['yes']))
        assert _seconds_until(screen, '已投 1/3 人') < 2
        shown = _text(screen)
        assert '票 ' not in shown and '赞成' not in shown and '100.0%' not in shown
        assert screen.selenium.execute_script('return window.gsSamePage') is True
    finally:
        _restore_phone(screen)
