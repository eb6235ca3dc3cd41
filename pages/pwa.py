"""Installable app: the web manifest, the service worker at /sw.js and the offline fallback page.

The service worker (assets/sw.js) caches only NiceGUI's versioned assets and our own static files, never page
HTML; `components.frame.apply_shell_style()` links the manifest and registers the worker on every page.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fastapi import Response
from nicegui import app
from nicegui.version import __version__ as nicegui_version

from components import theme
from domain.i18n import t

ASSETS = Path(__file__).resolve().parent.parent / 'assets'
SW_FILE = ASSETS / 'sw.js'
OFFLINE_FILE = ASSETS / 'offline.html'
VERSION_PLACEHOLDER = '__CACHE_VERSION__'
ICON_SIZES = (192, 512)
NO_CACHE = {'Cache-Control': 'no-cache'}


def manifest() -> dict:
    """The web app manifest: what a phone needs to put 共商 on the home screen."""
    icons = [{'src': f'/assets/icons/icon-{size}.png', 'sizes': f'{size}x{size}', 'type': 'image/png',
              'purpose': 'any'} for size in ICON_SIZES]
    icons += [{'src': f'/assets/icons/maskable-{size}.png', 'sizes': f'{size}x{size}', 'type': 'image/png',
               'purpose': 'maskable'} for size in ICON_SIZES]
    return {
        'id': '/',
        'name': t('共商', lang='zh'),
        'short_name': t('共商', lang='zh'),
        'description': t('社区议事协商：民事民提、民事民议、民事民决、民事民办、民事民评', lang='zh'),
        'lang': 'zh-CN',
        'dir': 'ltr',
        'start_url': '/',
        'scope': '/',
        'display': 'standalone',
        'theme_color': theme.PRIMARY,
        'background_color': theme.BACKGROUND,
        'categories': ['social', 'government'],
        'icons': icons,
    }


def cache_version() -> str:
    """Changes whenever anything under assets/ (the worker and the offline page included), the manifest or
    NiceGUI changes: a new version installs a new worker, which drops the old cache."""
    digest = hashlib.sha256(json.dumps(manifest(), sort_keys=True).encode())
    for path in sorted(p for p in ASSETS.rglob('*') if p.is_file()):
        digest.update(path.relative_to(ASSETS).as_posix().encode())
        digest.update(path.read_bytes())
    return f'{nicegui_version}-{digest.hexdigest()[:12]}'


def service_worker_source() -> str:
    return SW_FILE.read_text(encoding='utf-8').replace(VERSION_PLACEHOLDER, cache_version())


def register() -> None:
    # read once per build: the files only change with a new release (and a restart)
    manifest_body = json.dumps(manifest(), ensure_ascii=False, indent=2).encode()
    sw_body = service_worker_source().encode()
    offline_body = OFFLINE_FILE.read_bytes()

    async def web_manifest() -> Response:
        return Response(manifest_body, media_type='application/manifest+json', headers=NO_CACHE)

    async def service_worker() -> Response:
        # no-cache: the browser must see a new worker at once; Service-Worker-Allowed: the scope is the whole site
        return Response(sw_body, media_type='application/javascript',
                        headers={**NO_CACHE, 'Service-Worker-Allowed': '/'})

    async def offline_page() -> Response:
        return Response(offline_body, media_type='text/html; charset=utf-8', headers=NO_CACHE)

    app.add_api_route('/manifest.webmanifest', web_manifest, methods=['GET', 'HEAD'], include_in_schema=False)
    app.add_api_route('/sw.js', service_worker, methods=['GET', 'HEAD'], include_in_schema=False)
    app.add_api_route('/offline.html', offline_page, methods=['GET', 'HEAD'], include_in_schema=False)
