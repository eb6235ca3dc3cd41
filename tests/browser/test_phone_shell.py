"""The phone shell in a real browser at 360 × 740: nothing spills sideways, the bottom navigation is all there,
and the console stays free of errors (the screen fixture fails the test on any console error)."""
from __future__ import annotations

import io
import os
from pathlib import Path

from nicegui.testing import Screen
from PIL import Image
from selenium.webdriver.common.by import By

from tests.browser.conftest import PHONE

ROOT = Path(__file__).resolve().parents[2]
README_SCREENSHOT = ROOT / 'docs' / 'screenshot-phone.png'
NAV_LABELS = ('首页', '议题', '议事', '表决', '办事', '我的')


def test_the_home_page_fits_a_360_px_phone_without_sideways_scrolling(screen: Screen) -> None:
    screen.open('/')
    screen.should_contain('欢迎来到共商')
    width = screen.selenium.execute_script('return window.innerWidth')
    assert width == PHONE['width'], 'the browser is not at phone size, so this test would prove nothing'
    overflow = screen.selenium.execute_script('return document.documentElement.scrollWidth')
    assert overflow <= PHONE['width'], f'the page is {overflow} px wide on a {PHONE["width"]} px phone'
    wide = screen.selenium.execute_script(
        'return [...document.querySelectorAll("body *")]'
        '.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.outerHTML.slice(0, 80))')
    assert wide == [], f'elements stick out to the right: {wide}'


def test_the_bottom_navigation_shows_all_six_tabs_within_the_screen(screen: Screen) -> None:
    screen.open('/')
    footer = screen.selenium.find_element(By.TAG_NAME, 'footer')
    items = footer.find_elements(By.TAG_NAME, 'a')
    assert [item.text.split('\n')[-1] for item in items] == list(NAV_LABELS)
    for item in items:
        rect = screen.selenium.execute_script('const r = arguments[0].getBoundingClientRect();'
                                              'return [r.left, r.right, r.bottom, r.height]', item)
        left, right, bottom, height = rect
        assert item.is_displayed()
        assert left >= 0 and right <= PHONE['width'] and bottom <= PHONE['height'], (item.text, rect)
        assert height >= 48, f'{item.text!r} is only {height} px tall: too small to tap'


def test_a_phone_screenshot_of_the_home_page(screen: Screen, tmp_path: Path) -> None:
    """Always taken (so it can fail); written to docs/ for the README only with GONGSHANG_SCREENSHOTS=1."""
    screen.open('/')
    screen.should_contain('欢迎来到共商')
    _save_screenshot(screen, README_SCREENSHOT, tmp_path)


def test_a_demo_resident_signs_in_with_phone_and_pin_on_a_phone(screen: Screen, monkeypatch, tmp_path: Path) -> None:
    """The whole way in a real browser: demo community, 登录 with phone + PIN, greeted by name on 首页."""
    from services.demo import PIN
    from services.demo_data import build_plan
    resident = next(a for a in build_plan().accounts if a.role == 'resident' and a.secret == 'pin')
    monkeypatch.setenv('GONGSHANG_DEMO', '1')
    screen.open('/login', timeout=60)  # the demo community loads while the server starts
    phone, pin = [i for i in screen.selenium.find_elements(By.TAG_NAME, 'input') if i.is_displayed()][:2]
    phone.send_keys(resident.phone)
    pin.send_keys(PIN)
    next(b for b in screen.selenium.find_elements(By.TAG_NAME, 'button') if b.text.endswith('登录')
         and b.is_displayed()).click()
    screen.should_contain(f'{resident.name}，您好')
    screen.should_contain('我的二维码')
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE['width']
    _save_screenshot(screen, README_SCREENSHOT.with_name('screenshot-phone-resident.png'), tmp_path)


def _save_screenshot(screen: Screen, target: Path, tmp_path: Path) -> None:
    """Into docs/ only with GONGSHANG_SCREENSHOTS=1, so that ordinary runs leave the working tree alone."""
    screen.wait(0.5)  # let fonts and icons settle
    image = Image.open(io.BytesIO(screen.selenium.get_screenshot_as_png()))
    assert image.size == (PHONE['width'] * PHONE['pixelRatio'], PHONE['height'] * PHONE['pixelRatio'])
    if os.environ.get('GONGSHANG_SCREENSHOTS') != '1':
        target = tmp_path / target.name
    target.parent.mkdir(parents=True, exist_ok=True)
    # two device pixels per CSS pixel are plenty for the README and keep the repository small
    image.convert('RGB').resize((PHONE['width'] * 2, PHONE['height'] * 2), Image.Resampling.LANCZOS) \
        .save(target, optimize=True)
    assert target.stat().st_size > 10_000
