"""The issue screens on a 360 px phone in a real browser: nothing spills sideways, the console stays clean."""
from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from tests.browser.conftest import PHONE


def test_raising_an_issue_and_the_wall_fit_a_360_px_phone(screen: Screen, monkeypatch) -> None:
    from services.demo import PIN
    from services.demo_data import build_plan
    resident = next(a for a in build_plan().accounts if a.role == 'resident' and a.secret == 'pin')
    monkeypatch.setenv('GONGSHANG_DEMO', '1')
    screen.open('/login?next=/issues/new', timeout=60)
    phone, pin = [i for i in screen.selenium.find_elements(By.TAG_NAME, 'input') if i.is_displayed()][:2]
    phone.send_keys(resident.phone)
    pin.send_keys(PIN)
    next(b for b in screen.selenium.find_elements(By.TAG_NAME, 'button') if b.text.endswith('登录')
         and b.is_displayed()).click()
    screen.should_contain('公开我的姓名')
    screen.should_contain('拍照或选择照片')
    for path in ('/issues/new', '/issues'):
        if path == '/issues':
            screen.open(path)
            screen.should_contain('议题墙')
        wide = screen.selenium.execute_script(
            'return [...document.querySelectorAll("body *")]'
            '.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)'
            '.map(e => e.outerHTML.slice(0, 80))')
        assert wide == [], f'{path}: elements stick out to the right: {wide}'
        assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE['width']
