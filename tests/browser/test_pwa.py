"""Installable app in a real browser: Chromium's installability check, the service worker and its caches,
and the offline page when the server cannot be reached."""
from __future__ import annotations

from urllib.parse import urlparse

from nicegui.server import Server
from nicegui.testing import Screen
from nicegui.version import __version__ as nicegui_version
from selenium.webdriver.common.by import By

WAIT_FOR_WORKER = '''
const done = arguments[arguments.length - 1];
const timer = setTimeout(() => done({error: 'no service worker within 8 s'}), 8000);
if (!('serviceWorker' in navigator)) { clearTimeout(timer); done({error: 'no navigator.serviceWorker'}); }
navigator.serviceWorker.ready.then(async (registration) => {
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
  }
  clearTimeout(timer);
  done({scope: registration.scope, state: registration.active.state,
        script: navigator.serviceWorker.controller.scriptURL});
}, (e) => { clearTimeout(timer); done({error: String(e)}); });
'''

CACHED = '''
const done = arguments[arguments.length - 1];
(async () => {
  const entries = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      entries.push({cache: name, url: request.url, type: response.headers.get('content-type') || ''});
    }
  }
  return entries;
})().then(done, (e) => done([{error: String(e)}]));
'''


def wait_for_worker(screen: Screen) -> dict:
    state = screen.selenium.execute_async_script(WAIT_FOR_WORKER)
    assert 'error' not in state, state
    return state


def cached_entries(screen: Screen) -> list[dict]:
    entries = screen.selenium.execute_async_script(CACHED)
    assert all('error' not in entry for entry in entries), entries
    return entries


def test_chromium_reports_the_app_installable_with_no_errors(screen: Screen) -> None:
    screen.open('/')
    manifest = screen.selenium.execute_cdp_cmd('Page.getAppManifest', {})
    assert manifest['url'].endswith('/manifest.webmanifest')
    assert manifest['errors'] == []
    assert screen.selenium.execute_cdp_cmd('Page.getInstallabilityErrors', {}) == {'installabilityErrors': []}


def test_the_service_worker_controls_the_whole_site(screen: Screen) -> None:
    screen.open('/')
    state = wait_for_worker(screen)
    assert urlparse(state['scope']).path == '/'
    assert urlparse(state['script']).path == '/sw.js'
    assert state['state'] == 'activated'


def test_after_two_pages_the_caches_hold_shared_assets_but_never_a_page(screen: Screen) -> None:
    screen.open('/')
    wait_for_worker(screen)
    screen.open('/')  # now through the worker
    screen.click('议事')  # a tab a visitor may open (议题 asks them to sign in first)
    screen.wait_for(lambda: urlparse(screen.selenium.current_url).path == '/meetings')
    screen.should_contain('还没有安排议事会')
    paths: set[str] = set()

    def runtime_cached() -> bool:
        paths.clear()
        paths.update(urlparse(entry['url']).path for entry in cached_entries(screen))
        return '/assets/app.css' in paths and f'/_nicegui/{nicegui_version}/static/nicegui.js' in paths

    screen.wait_for(runtime_cached)
    entries = cached_entries(screen)
    assert len({entry['cache'] for entry in entries}) == 1, 'one versioned cache; old ones are deleted'
    assert '/offline.html' in paths and '/manifest.webmanifest' in paths
    assert any(p.startswith(f'/_nicegui/{nicegui_version}/components/') for p in paths)
    html = [entry['url'] for entry in entries if 'text/html' in entry['type']]
    assert [urlparse(url).path for url in html] == ['/offline.html'], f'page HTML was cached: {html}'
    assert not paths & {'/', '/meetings'}
    assert not [p for p in paths if p.startswith(('/api/', '/_nicegui/client/', '/_nicegui_ws/'))
                or '/dynamic_resources/' in p]


def test_a_page_that_cannot_load_shows_the_offline_page_with_a_retry_button(screen: Screen) -> None:
    screen.open('/')
    wait_for_worker(screen)
    url = screen.url
    screen.selenium.get('about:blank')  # leave the live page before its connection goes away
    Server.instance.should_exit = True  # the phone has lost the network: nothing answers any more
    assert screen.server_thread is not None
    screen.server_thread.join(timeout=10)
    assert not screen.server_thread.is_alive()

    screen.selenium.get(url + '/issues')
    assert heading(screen) == '网络已断开'
    assert urlparse(screen.selenium.current_url).path == '/issues', 'the address stays, so 重试 reloads it'
    retry = screen.selenium.find_element(By.ID, 'gs-retry')
    assert retry.text == '重试' and retry.is_displayed()
    retry.click()
    screen.wait_for(lambda: screen.selenium.execute_script('return document.readyState') == 'complete')
    assert heading(screen) == '网络已断开'


def heading(screen: Screen) -> str:
    return screen.selenium.find_element(By.TAG_NAME, 'h1').text
