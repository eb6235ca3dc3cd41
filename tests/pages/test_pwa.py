"""The installable-app files as a phone receives them: manifest, icons, service worker, offline page.
(tests/browser checks the same files in a real Chromium.)"""
from __future__ import annotations

import io
import re
import shutil

from nicegui.testing import User
from nicegui.version import __version__ as nicegui_version
from PIL import Image

from components import theme
from pages import pwa


async def test_the_manifest_names_the_app_and_offers_plain_and_maskable_icons_of_192_and_512(user: User) -> None:
    response = await user.http_client.get('/manifest.webmanifest')
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('application/manifest+json')
    manifest = response.json()
    assert (manifest['name'], manifest['short_name'], manifest['lang']) == ('共商', '共商', 'zh-CN')
    assert [manifest[key] for key in ('start_url', 'scope', 'id', 'display')] == ['/', '/', '/', 'standalone']
    assert manifest['theme_color'] == theme.PRIMARY and manifest['background_color'] == theme.BACKGROUND
    assert re.search(r'[\u4e00-\u9fff]', manifest['description'])
    offered = {(icon['sizes'], icon['purpose']) for icon in manifest['icons']}
    assert offered == {('192x192', 'any'), ('512x512', 'any'), ('192x192', 'maskable'), ('512x512', 'maskable')}
    for icon in manifest['icons']:
        image = await _image(user, icon['src'])
        assert image.format == 'PNG' and f'{image.width}x{image.height}' == icon['sizes'], icon


async def test_maskable_icons_fill_the_square_and_keep_the_sign_inside_the_safe_zone(user: User) -> None:
    for size in (192, 512):
        image = (await _image(user, f'/assets/icons/maskable-{size}.png')).convert('RGBA')
        assert all(image.getpixel(corner)[3] == 255 for corner in _corners(size)), 'a maskable icon has no holes'
        centre, radius = size / 2, size * 0.4  # the maskable safe zone: a circle of 40 % of the size
        white = [(x, y) for y in range(0, size, 2) for x in range(0, size, 2) if min(image.getpixel((x, y))[:3]) > 200]
        assert white, 'the sign 共 is drawn in white'
        assert all((x - centre) ** 2 + (y - centre) ** 2 <= radius ** 2 for x, y in white)


async def test_plain_icons_are_rounded_with_transparent_corners(user: User) -> None:
    for size in (192, 512):
        image = (await _image(user, f'/assets/icons/icon-{size}.png')).convert('RGBA')
        assert all(image.getpixel(corner)[3] == 0 for corner in _corners(size))
        assert image.getpixel((size // 2, size // 8))[:3] == _rgb(theme.PRIMARY)


async def test_the_service_worker_is_served_for_the_whole_site_and_never_from_a_stale_cache(user: User) -> None:
    response = await user.http_client.get('/sw.js')
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('application/javascript')
    assert response.headers['service-worker-allowed'] == '/'
    assert response.headers['cache-control'] == 'no-cache'
    version = re.search(r"const VERSION = '([^']+)';", response.text)
    assert version and version.group(1).startswith(f'{nicegui_version}-'), 'the cache name follows each release'


async def test_the_offline_page_is_chinese_self_contained_and_offers_retry(user: User) -> None:
    response = await user.http_client.get('/offline.html')
    assert response.status_code == 200 and response.headers['content-type'].startswith('text/html')
    page = response.text
    assert '网络已断开' in page and '重试' in page and 'location.reload()' in page
    assert not re.search(r'(src|href)="(https?:)?//', page), 'nothing from another server'
    worker = (await user.http_client.get('/sw.js')).text
    for local in re.findall(r'(?:src|href)="(/[^"]*)"', page):
        assert f"'{local}'" in worker, f'{local} must be precached by the service worker to show offline'


async def test_every_page_links_the_manifest_and_registers_the_worker_without_console_errors(user: User) -> None:
    for path in ('/', '/meetings'):
        page = (await user.http_client.get(path)).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert f'<meta name="theme-color" content="{theme.PRIMARY}">' in page
        assert 'navigator.serviceWorker.register("/sw.js"' in page
        assert '"serviceWorker" in navigator' in page, 'insecure origins have no service worker: stay quiet'
        assert 'console.error' not in page.split('navigator.serviceWorker.register')[1].split('</script>')[0]


async def _image(user: User, src: str) -> Image.Image:
    response = await user.http_client.get(src)
    assert response.status_code == 200, src
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def _corners(size: int) -> list[tuple[int, int]]:
    return [(0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)]


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_any_change_to_our_static_files_gives_the_worker_a_new_cache_name(tmp_path, monkeypatch) -> None:
    assets = tmp_path / 'assets'
    shutil.copytree(pwa.ASSETS, assets)
    monkeypatch.setattr(pwa, 'ASSETS', assets)
    before = pwa.cache_version()
    assert pwa.cache_version() == before, 'the same files give the same name'
    (assets / 'app.css').write_text((assets / 'app.css').read_text() + '\n/* changed */\n')
    assert pwa.cache_version() != before
