"""A resident raises an issue with a real photo on a 360 px phone: the browser uploads it, the server re-encodes it,
and the detail page shows our own JPEG of at most 1600 px. The screen fixture fails the test on console errors."""
from __future__ import annotations

import io
import os
import random
import re
from pathlib import Path

from nicegui.testing import Screen
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import PHONE

ROOT = Path(__file__).resolve().parents[2]
WALL_SCREENSHOT = ROOT / 'docs' / 'screenshot-wall.png'
TITLE = '楼道路灯坏了，晚上很黑'


def _photo(path: Path) -> Path:
    """A real camera-sized JPEG with some texture (a flat colour would compress to almost nothing)."""
    image = Image.new('RGB', (2400, 1800), (90, 130, 170))
    rng = random.Random(7)
    for _ in range(400):
        x, y = rng.randrange(2300), rng.randrange(1700)
        image.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)), (x, y, x + 100, y + 100))
    image.save(path, format='JPEG', quality=85)
    return path


def _sign_in_as_demo_resident(screen: Screen, monkeypatch, next_path: str) -> None:
    from services.demo import PIN
    from services.demo_data import build_plan
    resident = next(a for a in build_plan().accounts if a.role == 'resident' and a.secret == 'pin')
    monkeypatch.setenv('GONGSHANG_DEMO', '1')
    screen.open(f'/login?next={next_path}', timeout=60)  # the demo community loads while the server starts
    phone, pin = [i for i in screen.selenium.find_elements(By.TAG_NAME, 'input') if i.is_displayed()][:2]
    phone.send_keys(resident.phone)
    pin.send_keys(PIN)
    next(b for b in screen.selenium.find_elements(By.TAG_NAME, 'button') if b.text.endswith('登录')
         and b.is_displayed()).click()


def _field(screen: Screen, label: str, tag: str = 'input'):
    return screen.selenium.find_element(By.XPATH, f'//label[.//*[normalize-space(text())="{label}"]]//{tag}')


def test_a_resident_attaches_a_camera_photo_on_a_phone_and_sees_it_on_the_issue(screen: Screen, monkeypatch,
                                                                                tmp_path: Path) -> None:
    _sign_in_as_demo_resident(screen, monkeypatch, '/issues/new')
    screen.should_contain('拍照或选择照片')
    assert screen.selenium.execute_script('return window.innerWidth') == PHONE['width']

    _field(screen, '标题').send_keys(TITLE)
    _field(screen, '详细情况', 'textarea').send_keys('晚上很黑，老人出门不安全')
    _field(screen, '类别').click()  # a q-select opens its menu
    screen.click('照明/路灯')
    screen.wait(0.3)

    # q-uploader keeps its <input type=file> hidden; Selenium may still send a path to it
    screen.selenium.find_element(By.CSS_SELECTOR, 'input[type=file]').send_keys(str(_photo(tmp_path / 'lamp.jpg')))
    screen.should_contain('已选 1 张')  # our re-encoded thumbnail arrived
    assert screen.selenium.execute_script(
        'return [...document.images].some(i => i.src.startsWith("data:image/jpeg") && i.complete)')
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE['width']

    submit = next(b for b in screen.selenium.find_elements(By.TAG_NAME, 'button')
                  if b.text.strip().endswith('提交') and b.is_displayed())
    screen.selenium.execute_script('arguments[0].scrollIntoView({block: "center"})', submit)
    submit.click()
    WebDriverWait(screen.selenium, 15).until(lambda d: re.search(r'/issues/\d+$', d.current_url))
    screen.should_contain(TITLE)

    photo = re.compile(r'/photos/[0-9a-f]{64}\.jpg$')
    WebDriverWait(screen.selenium, 10).until(lambda d: d.execute_script(
        'return [...document.images].some(i => /\\/photos\\/[0-9a-f]{64}\\.jpg$/.test(i.src)'
        ' && i.complete && i.naturalWidth > 0)'))
    shown = screen.selenium.execute_script(
        'return [...document.images].map(i => [i.src, i.naturalWidth, i.naturalHeight])')
    stored = [(src, w, h) for src, w, h in shown if photo.search(src)]
    assert len(stored) == 1, shown
    _, width, height = stored[0]
    assert (width, height) == (1600, 1200)  # re-encoded to at most 1600 px, the proportions kept

    screen.open('/issues')
    screen.should_contain('议题墙')
    screen.should_contain(TITLE)
    _save_wall(screen, tmp_path)


def _save_wall(screen: Screen, tmp_path: Path) -> None:
    """Into docs/ only with GONGSHANG_SCREENSHOTS=1, so that ordinary runs leave the working tree alone."""
    screen.wait(0.5)  # let fonts and icons settle
    image = Image.open(io.BytesIO(screen.selenium.get_screenshot_as_png()))
    target = WALL_SCREENSHOT if os.environ.get('GONGSHANG_SCREENSHOTS') == '1' else tmp_path / WALL_SCREENSHOT.name
    target.parent.mkdir(parents=True, exist_ok=True)
    image.convert('RGB').resize((PHONE['width'] * 2, PHONE['height'] * 2), Image.Resampling.LANCZOS) \
        .save(target, optimize=True)
    assert target.stat().st_size > 10_000
