"""The volunteer's camera scanner in a real browser: Chromium's fake camera shows a resident's personal QR (a Y4M
frame written by `show_to_camera`), the page decodes it with the vendored jsQR and posts the scan.

Data is made, and checked, on the server's own event loop (`on_server`), so the test uses the same ORM connection
as the app it drives, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

import pytest
import qrcode
from nicegui import core
from nicegui.testing import Screen
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import show_to_camera, sign_in_as_staff

PASSWORD = 'correct horse 42'


def on_server(coroutine):
    """Run `coroutine` on the NiceGUI server's loop (started by the first screen.open) and return its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout=20)


async def _world(base: str) -> dict:
    from services import codes
    from tests.support import make_account, make_community, make_household, make_meeting, make_resident
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='502')
    resident = await make_resident(community, name='张桂兰', household=home)
    meeting = await make_meeting(community, title='嘉明花园停车议事会', state='open',
                                 starts_at=datetime.now(UTC) - timedelta(minutes=10))
    volunteer = await make_account(community, 'volunteer', name='志愿者小李', password=PASSWORD)
    return {'meeting_id': meeting.id, 'resident_id': resident.id, 'volunteer_phone': volunteer.phone,
            'code_url': codes.personal_code_url(resident, base)}


async def _checkins(meeting_id: int) -> list[tuple[int, str]]:
    from models import CheckIn, ScanRecord
    rows = await CheckIn.filter(meeting_id=meeting_id).values_list('resident_id', 'method')
    return [tuple(row) for row in rows] + [('scans', await ScanRecord.filter(meeting_id=meeting_id).count())]


def _qr(text: str) -> Image.Image:
    code = qrcode.QRCode(box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color='black', back_color='white').save(buffer, format='PNG')
    return Image.open(io.BytesIO(buffer.getvalue()))


def _start(screen: Screen) -> dict:
    """Start the server, make the world, and sign the browser in as the volunteer (staff tab, phone + password)."""
    screen.open('/login', timeout=60)
    world = on_server(_world(screen.url))
    sign_in_as_staff(screen, world['volunteer_phone'], PASSWORD)
    return world


def _panel(screen: Screen) -> str:
    return screen.selenium.execute_script(
        'const p = document.querySelector(".gs-scan-panel"); return p ? p.dataset.result : ""')


def test_a_volunteer_points_the_camera_at_a_personal_code_and_sees_the_resident_checked_in(screen: Screen) -> None:
    world = _start(screen)
    show_to_camera(_qr(world['code_url']))
    screen.open(f'/meetings/{world["meeting_id"]}/scan')
    screen.should_contain('嘉明花园停车议事会')
    screen.should_contain('签到成功')
    screen.should_contain('张桂兰')
    screen.should_contain('嘉明花园 3栋 502')
    assert _panel(screen) == 'checked_in'
    screen.should_contain('已签到 1 人')  # the live count, pushed by the server
    assert on_server(_checkins(world['meeting_id'])) == [(world['resident_id'], 'scan'), ('scans', 1)]

    screen.wait(1.0)  # the code stays in view: it is sent once, not again and again
    assert on_server(_checkins(world['meeting_id']))[-1] == ('scans', 1)
    stats = screen.selenium.execute_script(
        'const s = GongshangScanner.current.stats; return {...s, seconds: (performance.now() - s.since) / 1000}')
    assert stats['decoder'] == 'jsQR' and stats['frames'] >= 3
    print(f'\njsQR at 640×480: {stats["frames"]} frames in {stats["seconds"]:.1f} s '
          f'({stats["frames"] / stats["seconds"]:.1f}/s), {stats["decodeMs"] / stats["frames"]:.1f} ms mean, '
          f'{stats["maxMs"]:.1f} ms max per frame')


def test_a_qr_that_is_not_a_personal_code_is_refused_in_red_without_a_request(screen: Screen) -> None:
    world = _start(screen)
    show_to_camera(_qr('https://weixin.qq.com/g/some-group'))
    screen.open(f'/meetings/{world["meeting_id"]}/scan')
    screen.should_contain('这不是居民个人码')
    assert _panel(screen) == 'refused'
    assert on_server(_checkins(world['meeting_id'])) == [('scans', 0)]
    token = world['code_url'].rsplit('/', 1)[1]
    read = {text: screen.selenium.execute_script('return GongshangScanner.tokenOf(arguments[0])', text) for text in (
        world['code_url'], f'https://gongshang.example.cn/c/{token}', f' {token}\n', world['code_url'] + '?from=card',
        world['code_url'].replace('/c/', '/m/'), 'https://weixin.qq.com/g/some-group', '张桂兰', '')}
    assert list(read.values()) == [token, token, token, token, None, None, None, None], read


def test_scans_without_signal_wait_on_the_phone_survive_a_reload_and_count_once_when_the_network_returns(
        screen: Screen) -> None:
    world = _start(screen)
    screen.allowed_js_errors.append('ERR_BLOCKED_BY_CLIENT')  # the failed POSTs are the point of this test
    driver = screen.selenium
    driver.execute_cdp_cmd('Network.enable', {})
    driver.execute_cdp_cmd('Network.setBlockedURLs', {'urls': ['*/scans']})
    try:
        show_to_camera(_qr(world['code_url']))
        screen.open(f'/meetings/{world["meeting_id"]}/scan')
        screen.should_contain('待发送 1 条')
        screen.should_contain('网络不好，已保存，恢复后自动发送')
        assert on_server(_checkins(world['meeting_id'])) == [('scans', 0)]

        show_to_camera(None)  # the resident has walked on; the volunteer reloads the page
        screen.open(f'/meetings/{world["meeting_id"]}/scan')
        screen.should_contain('待发送 1 条')
        queued = driver.execute_script(
            f'return JSON.parse(localStorage.getItem("gongshang.scan-queue.{world["meeting_id"]}"))')
        assert len(queued) == 1 and len(queued[0]['nonce']) == 32
    finally:
        driver.execute_cdp_cmd('Network.setBlockedURLs', {'urls': []})
    driver.execute_script('window.dispatchEvent(new Event("online"))')
    screen.should_contain('签到成功')
    screen.should_contain('张桂兰')
    assert driver.find_element(By.CSS_SELECTOR, '.gs-scan-recent').text.endswith('张桂兰 · 签到成功')
    WebDriverWait(driver, 5).until(lambda d: not d.find_element(By.CSS_SELECTOR, '.gs-scan-queue').is_displayed())
    assert driver.execute_script(
        f'return localStorage.getItem("gongshang.scan-queue.{world["meeting_id"]}")') is None
    assert on_server(_checkins(world['meeting_id'])) == [(world['resident_id'], 'scan'), ('scans', 1)]


@pytest.fixture
def camera_denied(screen: Screen):
    """The volunteer said no to the camera: the browser's permission for this site is 'denied'."""
    script = screen.selenium.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': '''
        if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));'''})
    yield
    screen.selenium.execute_cdp_cmd('Page.removeScriptToEvaluateOnNewDocument', {'identifier': script['identifier']})


def test_without_camera_permission_the_page_says_why_and_offers_the_search(screen: Screen, camera_denied) -> None:
    world = _start(screen)
    screen.open(f'/meetings/{world["meeting_id"]}/scan')
    screen.should_contain('无法使用摄像头（没有权限，请在浏览器设置中允许使用摄像头）')
    button = screen.selenium.find_element(By.CSS_SELECTOR, '.gs-scan-search-button')
    assert button.text == '按姓名/电话/房号查找'
    assert button.get_attribute('href').endswith(f'/meetings/{world["meeting_id"]}/checkin')
    assert not screen.selenium.find_element(By.CSS_SELECTOR, '.gs-scan-video-box').is_displayed()
    assert not screen.selenium.find_element(By.CSS_SELECTOR, '.gs-scan-panel').is_displayed()
