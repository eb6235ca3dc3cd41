"""Real-browser tests: NiceGUI's `screen` fixture driving Debian's headless Chromium at a phone viewport.

The screen plugin is loaded here (not in pyproject's addopts) so the other test folders never need a browser.
Without chromium or chromedriver these tests are skipped with the reason printed, except when CI=true:
then a missing browser is an error, so CI can never pass by skipping them.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui.testing import screen_plugin
from nicegui.testing.general_fixtures import nicegui_reset_globals  # noqa: F401  (used by `screen`)
from nicegui.testing.screen import Screen
from nicegui.testing.screen_plugin import (  # noqa: F401  (fixtures and the report hook of the plugin)
    nicegui_remove_all_screenshots,
    pytest_runtest_makereport,
    screen,
)
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get('CHROME_BINARY_LOCATION', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
PHONE = {'width': 360, 'height': 740, 'pixelRatio': 3}
FLAGS = ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
         '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run')

os.environ.setdefault('SE_OFFLINE', 'true')  # Selenium Manager must never go looking on the internet


def missing_browser() -> str:
    """Why the browser tests cannot run here ('' when they can)."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not (Path(path).is_file() and os.access(path, os.X_OK))]
    return f'not installed: {", ".join(missing)} (apt-get install chromium chromium-driver)' if missing else ''


def in_ci() -> bool:
    return os.environ.get('CI', '').lower() == 'true'


def pytest_configure(config: pytest.Config) -> None:
    screen_plugin.pytest_configure(config)
    # keep the plugin's per-test screenshots out of the working tree
    Screen.SCREENSHOT_DIR = Path(tempfile.gettempdir()) / 'gongshang-browser-screenshots' / str(os.getpid())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if (reason := missing_browser()) and terminalreporter.stats.get('skipped'):
        terminalreporter.write_line(f'browser tests skipped: {reason}', yellow=True)


@pytest.fixture(scope='session')
def nicegui_chrome_options() -> webdriver.ChromeOptions:
    """Like the plugin's options (downloads, console log capture), with our flags and a 360×740 phone screen."""
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f'--window-size={PHONE["width"]},{PHONE["height"]}')
    options.add_experimental_option('mobileEmulation', {'deviceMetrics': {**PHONE, 'mobile': True, 'touch': True}})
    options.add_experimental_option('prefs', {
        'download.default_directory': str(screen_plugin.DOWNLOAD_DIR),
        'download.prompt_for_download': False,
        'download.directory_upgrade': True,
    })
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})  # the screen fixture fails on console errors
    options.binary_location = CHROMIUM
    return options


@pytest.fixture(scope='session')
def nicegui_driver(nicegui_chrome_options: webdriver.ChromeOptions) -> Iterator[webdriver.Chrome]:
    """Debian's chromedriver, started directly (no Selenium Manager lookup)."""
    if reason := missing_browser():
        if in_ci():
            pytest.fail(f'CI=true but the browser tests cannot run: {reason}', pytrace=False)
        pytest.skip(reason)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=nicegui_chrome_options)
    driver.implicitly_wait(Screen.IMPLICIT_WAIT)
    driver.set_page_load_timeout(10)
    driver.set_script_timeout(10)
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def _forget_service_workers(nicegui_driver: webdriver.Chrome) -> None:
    """Registrations and caches outlive a test in a session-wide browser: start every test without them."""
    origin = f'http://localhost:{Screen.PORT}'
    nicegui_driver.execute_cdp_cmd('Storage.clearDataForOrigin', {
        'origin': origin, 'storageTypes': 'service_workers,cache_storage,cookies,local_storage'})


@pytest.fixture
def base_url() -> str:
    return f'http://localhost:{Screen.PORT}'
