"""共商 Gongshang: builds the app and calls ui.run(). `python main.py --help` lists every action."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from nicegui import app, ui

import pages
from domain.errors import DomainError
from services import config, db

ASSETS = Path(__file__).resolve().parent / 'assets'


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog='python main.py',
        description='共商 Gongshang — 社区议事协商 (五民工作法). Without an action it serves the app.')
    parser.add_argument('--port', type=int, default=None, help='port to serve on (default: $PORT or 8080)')
    parser.add_argument('--host', default=None, help='address to listen on (default: $HOST or 0.0.0.0)')
    parser.add_argument('--https', action='store_true',
                        help='serve HTTPS (also $HTTPS=1): with $GONGSHANG_TLS_CERT/_KEY, else a self-signed LAN '
                             'certificate generated into the data folder; phones need it for the camera and the app')
    parser.add_argument('--demo', action='store_true',
                        help='load the demo community 船柴社区 (idempotent), print sign-in details, then serve')
    parser.add_argument('--migrate', action='store_true', help='apply database migrations and exit')
    parser.add_argument('--create-admin', metavar='PHONE',
                        help='create (or reset) an admin account for --community and exit; asks for the password')
    parser.add_argument('--community', metavar='STREET/COMMUNITY',
                        help='with --create-admin: the community, e.g. 西陵街道/船柴社区 (created if missing)')
    parser.add_argument('--name', default='管理员', help='with --create-admin: the display name')
    return parser.parse_args(argv)


def build(settings: config.Settings, *, demo: bool = False, background: bool = False) -> None:
    """Wire settings, database, static files and pages into NiceGUI's app."""
    config.use(settings)

    async def after_start() -> None:
        if demo:
            from services import demo as demo_service
            report = await demo_service.load()
            print(demo_service.sign_in_sheet(report, base_url=settings.public_url or f'http://localhost:{settings.port}'),
                  flush=True)
        if background:  # a real server (not test fixtures): keep start-up objects out of every later collection
            from services import runtime
            runtime.settle_memory()

    # meetings planned ahead and reminders, votes closed at their deadline and made final (not under test fixtures)
    from services import background as background_work
    db.register(app, settings.database_url, after_start=after_start,
                background=background_work.run if background else None)
    app.add_static_files('/assets', ASSETS)
    pages.register_all()


async def _run_action(args: argparse.Namespace, settings: config.Settings) -> int:
    async with db.connected(settings.database_url):
        if args.create_admin:
            import getpass

            from services import setup
            password = os.environ.get('GONGSHANG_ADMIN_PASSWORD') or getpass.getpass('新密码 / new password: ')
            try:
                message = await setup.create_admin(phone=args.create_admin, name=args.name,
                                                   community_path=args.community or '', password=password)
            except DomainError as e:
                print(e.message, file=sys.stderr)
                return 1
            print(message)
    return 0


def _real_run() -> bool:
    """False when NiceGUI's test fixtures execute this file: then sys.argv belongs to pytest."""
    return not os.environ.get('NICEGUI_USER_SIMULATION') and 'PYTEST_CURRENT_TEST' not in os.environ


args = parse_args(sys.argv[1:]) if _real_run() and __name__ == '__main__' else parse_args([])
settings = config.load()
if args.port:
    settings = config.Settings(**{**settings.__dict__, 'port': args.port})
if args.host:
    settings = config.Settings(**{**settings.__dict__, 'host': args.host})

if args.migrate or args.create_admin:
    sys.exit(asyncio.run(_run_action(args, settings)))

build(settings, demo=args.demo or os.environ.get('GONGSHANG_DEMO') == '1', background=_real_run())

if __name__ in {'__main__', '__mp_main__'}:
    tls_files = {}
    if args.https or os.environ.get('HTTPS') == '1':
        from urllib.parse import urlparse

        from services import tls
        public_host = urlparse(settings.public_url).hostname if settings.public_url else None
        certificate = tls.ensure(settings.data_dir, extra_names=[public_host] if public_host else [])
        tls_files = {'ssl_certfile': str(certificate.cert), 'ssl_keyfile': str(certificate.key)}
        if certificate.generated:
            print(f'HTTPS 证书（自签名）适用于：{", ".join(certificate.names)}；'
                  f'手机可下载 /tls/{tls.CERT_NAME} 安装为受信任证书', flush=True)
    ui.run(**tls_files,
        title='共商', host=settings.host, port=settings.port, language='zh-CN', storage_secret=settings.secret,
        favicon=ASSETS / 'icons' / 'icon-192.png', reload=False, show=False,
        fastapi_docs={'title': '共商 Gongshang API', 'version': '1'},
        viewport='width=device-width, initial-scale=1, viewport-fit=cover',
        # no per-message compression on the websocket: it costs ~170 KB of server memory per connected phone and
        # CPU on every push, for small JSON updates on a LAN (bench/checkin.py)
        ws_per_message_deflate=False,
    )
