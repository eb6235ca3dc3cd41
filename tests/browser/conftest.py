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
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get('CHROME_BINARY_LOCATION', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
PHONE = {'width': 360, 'height': 740, 'pixelRatio': 3}
FLAGS = ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
         '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run')

# The fake camera of the whole browser session (see docs in show_to_camera): Chromium reads this file every time a
# page opens the camera, so a test rewrites it before opening the scanner.
FAKE_CAMERA = Path(tempfile.gettempdir()) / f'gongshang-fake-camera-{os.getpid()}.y4m'
CAMERA_SIZE = (640, 480)

os.environ.setdefault('SE_OFFLINE', 'true')  # Selenium Manager must never go looking on the internet


def show_to_camera(image: Image.Image | None = None) -> None:
    """Put `image` (None: a plain grey wall) in front of the fake camera, as one looping Y4M frame.

    C420jpeg: full-range Y, Cb, Cr planes (what pillow's YCbCr gives), chroma at half width and height. Written to a
    temporary file and renamed, so a camera opening at that moment never reads half a frame.
    """
    frame = Image.new('RGB', CAMERA_SIZE, (128, 128, 128))
    if image is not None:
        picture = image.convert('RGB')
        picture.thumbnail(CAMERA_SIZE)
        frame.paste(picture, ((CAMERA_SIZE[0] - picture.width) // 2, (CAMERA_SIZE[1] - picture.height) // 2))
    y, cb, cr = frame.convert('YCbCr').split()
    half = (CAMERA_SIZE[0] // 2, CAMERA_SIZE[1] // 2)
    data = (f'YUV4MPEG2 W{CAMERA_SIZE[0]} H{CAMERA_SIZE[1]} F30:1 Ip A1:1 C420jpeg\n'.encode() + b'FRAME\n'
            + y.tobytes() + cb.resize(half, Image.Resampling.BOX).tobytes()
            + cr.resize(half, Image.Resampling.BOX).tobytes())
    part = FAKE_CAMERA.with_suffix('.part')
    part.write_bytes(data)
    part.replace(FAKE_CAMERA)


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
    # a camera that needs no permission prompt and shows FAKE_CAMERA (all three flags are needed)
    show_to_camera(None)
    for flag in ('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
                 f'--use-file-for-fake-video-capture={FAKE_CAMERA}'):
        options.add_argument(flag)
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
    FAKE_CAMERA.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _forget_service_workers(nicegui_driver: webdriver.Chrome) -> None:
    """Registrations and caches outlive a test in a session-wide browser: start every test without them."""
    origin = f'http://localhost:{Screen.PORT}'
    nicegui_driver.execute_cdp_cmd('Storage.clearDataForOrigin', {
        'origin': origin, 'storageTypes': 'service_workers,cache_storage,cookies,local_storage'})


@pytest.fixture
def base_url() -> str:
    return f'http://localhost:{Screen.PORT}'


def sign_in_as_staff(browser: Screen, phone: str, password: str) -> None:
    """On the open /login page: the 工作人员 tab, phone and password, 登录; waits until the browser has left /login."""
    browser.click('工作人员')
    browser.wait(0.5)  # the tab panel slides in; elements found before it settles go stale

    def sign_in(driver) -> bool:
        phone_input, password_input = [i for i in driver.find_elements(By.TAG_NAME, 'input') if i.is_displayed()][:2]
        phone_input.clear()
        phone_input.send_keys(phone)
        password_input.clear()
        password_input.send_keys(password)
        next(b for b in driver.find_elements(By.TAG_NAME, 'button') if b.text.endswith('登录')
             and b.is_displayed()).click()
        return True

    WebDriverWait(browser.selenium, 10, ignored_exceptions=(StaleElementReferenceException,)).until(sign_in)
    WebDriverWait(browser.selenium, 10).until(lambda d: '/login' not in d.current_url)
