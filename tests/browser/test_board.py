"""The site poster's QR, read back in Chromium with the vendored jsQR decoder, opens the project's public board on a
360 px phone: not signed in, everything a passer-by needs is there, nothing spills sideways, no phone number shows
unmasked; while the project is rated, a signed-in resident sees the three rating buttons without scrolling.

Data is made on the server's own event loop (`on_server`), as in test_projector.py.
"""
from __future__ import annotations

import asyncio
import base64
import re
import uuid
from datetime import UTC, datetime

from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import PHONE

PIN = '246810'
LEAD_PHONE = '13912345678'
TITLE = '嘉明花园3栋楼道照明改造'


def on_server(coroutine):
    """Run `coroutine` on the NiceGUI server's loop (started by the first screen.open) and return its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout=20)


async def _world(base: str, *, state: str) -> dict:
    from models import Account
    from services import budget, site_posters
    from services.passwords import hash_secret
    from tests.support import make_account, make_community, make_project, make_resident, principal_of
    community = await make_community()
    staff = await principal_of(await make_account(community, 'staff', name='王丽'))
    project = await make_project(community, title=TITLE, lead_phone=LEAD_PHONE, progress=40)
    await budget.add_budget_line(staff, project.id, source='huimin', amount='1200')
    await budget.record_spending(staff, project.id, source='huimin', amount='450.15', item='声控灯 12 个',
                                 spent_on=datetime.now(UTC).date(), receipt=None, nonce=uuid.uuid4().hex)
    if state != 'underway':
        from services import project_moves
        await project_moves.move(staff, project.id, state)  # reporting it done opens the rating round
    resident = await make_resident(community, name='钱阿姨', phone='13700000001')
    account = await make_account(community, resident=resident, name='钱阿姨', password=None)
    await Account.filter(id=account.id).update(pin_hash=hash_secret(PIN))
    _, png = await site_posters.poster_for(staff, project.id, base, fmt='png')
    return {'project_id': project.id, 'poster': png, 'resident_phone': resident.phone}


def _read_qr(screen: Screen, png: bytes) -> str | None:
    """Decode the poster's QR in the browser: the PNG drawn on a canvas, its pixels given to the vendored jsQR."""
    return screen.selenium.execute_async_script('''
        const [data, done] = arguments;
        const decode = () => {
          const image = new Image();
          image.onload = () => {
            const canvas = document.createElement('canvas');
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height);
            const code = window.jsQR(pixels.data, pixels.width, pixels.height);
            done(code ? code.data : null);
          };
          image.onerror = () => done(null);
          image.src = 'data:image/png;base64,' + data;
        };
        if (typeof window.jsQR === 'function') { decode(); return; }
        const script = document.createElement('script');
        script.src = '/assets/vendor/jsqr/jsQR.js';
        script.onload = decode;
        script.onerror = () => done(null);
        document.head.appendChild(script);
    ''', base64.b64encode(png).decode())


def _text(screen: Screen) -> str:
    return screen.selenium.execute_script('return document.body.innerText')


def _start(screen: Screen, base_url: str, *, state: str = 'underway') -> tuple[dict, str]:
    """Start the server, make the project, and read the URL out of its printed poster."""
    screen.open('/login', timeout=60)
    world = on_server(_world(base_url, state=state))
    url = _read_qr(screen, world['poster'])
    assert url == f'{base_url}/board/project/{world["project_id"]}?v=1'
    return world, url


def test_the_posters_qr_opens_the_public_board_on_a_phone_without_signing_in(screen: Screen, base_url) -> None:
    _, url = _start(screen, base_url)
    screen.selenium.get(url)
    screen.should_contain(TITLE)
    screen.should_contain('进度 40%')
    screen.should_contain('1,200.00')  # budget
    screen.should_contain('450.15')  # spent
    screen.should_contain('749.85')  # remaining
    screen.should_contain('139****5678')
    text = _text(screen)
    assert '登录' not in screen.selenium.current_url and TITLE in text
    assert LEAD_PHONE not in text and LEAD_PHONE not in screen.selenium.page_source
    assert re.findall(r'(?<!\d)1[3-9]\d{9}(?!\d)', text) == [], 'an unmasked mobile number is on the page'
    width = screen.selenium.execute_script('return [document.documentElement.scrollWidth, window.innerWidth]')
    assert width[0] <= width[1] == PHONE['width'], f'the page scrolls sideways: {width}'


def test_while_the_project_is_rated_a_resident_who_scans_sees_the_three_buttons_without_scrolling(
        screen: Screen, base_url) -> None:
    world, url = _start(screen, base_url, state='rating')
    phone, pin = [i for i in screen.selenium.find_elements(By.TAG_NAME, 'input') if i.is_displayed()][:2]
    phone.send_keys(world['resident_phone'])
    pin.send_keys(PIN)
    next(b for b in screen.selenium.find_elements(By.TAG_NAME, 'button') if b.text.endswith('登录')
         and b.is_displayed()).click()
    WebDriverWait(screen.selenium, 10).until(lambda d: '/login' not in d.current_url)
    screen.selenium.get(url)
    screen.should_contain(TITLE)
    screen.should_contain('评价中')
    for label in ('满意', '基本满意', '不满意'):
        button = next((b for b in screen.selenium.find_elements(By.TAG_NAME, 'button')
                       if b.text.split('\n')[-1].strip() == label and b.is_displayed()), None)  # after the face
        assert button is not None, f'no {label} button'
        box = screen.selenium.execute_script(
            'const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]', button)
        assert box[0] >= 0 and box[1] <= box[2], f'{label} is not on the first screen: {box}'
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE['width']
