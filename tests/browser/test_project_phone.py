"""The project screens on a 360 px phone in a real browser: the list and one project (progress bar with its number,
milestones, a report) fit without sideways scrolling, and the console stays clean."""
from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from tests.browser.conftest import PHONE


def test_the_project_list_and_a_project_fit_a_360_px_phone(screen: Screen, monkeypatch) -> None:
    from services.demo import PIN
    from services.demo_data import build_plan
    resident = next(a for a in build_plan().accounts if a.role == 'resident' and a.secret == 'pin')
    monkeypatch.setenv('GONGSHANG_DEMO', '1')
    screen.open('/login?next=/projects', timeout=60)
    phone, pin = [i for i in screen.selenium.find_elements(By.TAG_NAME, 'input') if i.is_displayed()][:2]
    phone.send_keys(resident.phone)
    pin.send_keys(PIN)
    next(b for b in screen.selenium.find_elements(By.TAG_NAME, 'button') if b.text.endswith('登录')
         and b.is_displayed()).click()
    screen.should_contain('嘉明花园夜间临时车位和消防通道划线')
    screen.click('嘉明花园夜间临时车位和消防通道划线')
    screen.should_contain('计划节点')
    screen.should_contain('40%')
    screen.should_contain('071****1234')  # the lead's landline, masked for a resident
    for path in ('/projects', None):
        if path:
            screen.open(path)
            screen.should_contain('大家决定的事，大家一起办')
        wide = screen.selenium.execute_script(
            'return [...document.querySelectorAll("body *")]'
            '.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)'
            '.map(e => e.outerHTML.slice(0, 80))')
        assert wide == [], f'{path or "project"}: elements stick out to the right: {wide}'
        assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE['width']
