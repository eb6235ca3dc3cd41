"""扫码签到 for volunteers: /meetings/{id}/scan (the camera page) and POST /meetings/{id}/scans (its JSON endpoint).

The page only draws the frame, the live count and an empty box; assets/scanner.js owns the camera, the decoding
and the offline queue, and posts each scan here. The endpoint authenticates with the same NiceGUI session as the
page (`app.storage.user` works in plain routes: NiceGUI's RequestTrackingMiddleware puts every request in context),
accepts only `application/json` (a cross-site form cannot post it, and a cross-site fetch would need a CORS
preflight we never grant) and hands the scan to services.checkins.scan_code, which makes a replayed nonce harmless.
"""
from __future__ import annotations

import json
import math
from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse
from nicegui import app, ui

from components import session
from components.admin import no_permission, not_found
from components.frame import frame
from components.live import on_event
from components.signin import login_redirect
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from services import accounts, checkins

MAX_BODY = 4096  # bytes: a scan is {token ≤ 400, nonce ≤ 64, scanned_at}
MAX_TOKEN = 400
STATUS = {'forbidden': 403, 'not_found': 404}  # other DomainErrors of scan_code (bad_nonce) are 400
NO_STORE = {'Cache-Control': 'no-store'}


async def scan_page(meeting_id: int) -> RedirectResponse | None:
    path = f'/meetings/{meeting_id}/scan'
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(path)
    try:
        meeting = await checkins.meeting_for(user, meeting_id)
    except DomainError as e:
        with frame(t('扫码签到'), user=user, back='/meetings'):
            no_permission() if e.code == 'forbidden' else not_found(e.message)
        return None
    app.storage.user['scan_meeting'] = meeting.id  # the /c/{token} fallback checks people in to this meeting
    search = f'/meetings/{meeting.id}/checkin'
    ui.add_head_html('<link rel="stylesheet" href="/assets/scanner.css">')
    ui.add_body_html('<script src="/assets/scanner.js"></script>')
    with frame(t('扫码签到'), user=user, back=f'/meetings/{meeting.id}', nav=False):
        ui.label(meeting.title).classes('text-2xl font-bold break-all').mark('scan-title')
        ui.label(f'{local_time(meeting.starts_at)} · {meeting.place}').classes('gs-muted text-lg break-all')
        count = ui.label().classes('text-2xl font-bold').props('aria-live=polite').mark('scan-count')

        highest = {'count': 0}

        async def show_count(event=None) -> None:
            # from the event when it says (check-ins are never removed: the largest count seen is the latest)
            latest = event.payload.get('count') if event is not None else None
            if not isinstance(latest, int):
                latest = await checkins.checked_in_count(meeting.id)
            highest['count'] = max(highest['count'], latest)
            count.text = t('已签到 {n} 人', n=highest['count'])

        await show_count()
        on_event('meeting.checkin.created', show_count, community_id=meeting.community_id, at_most_every=1,
                 where=lambda event: event.payload.get('meeting_id') == meeting.id)
        box = ui.element('div').classes('gs-scanner').mark('scanner')
        ui.link(t('找不到人？按姓名/电话/房号查找'), search) \
            .classes('w-full text-xl font-bold text-center py-3 text-primary').mark('scan-search')
    config = {'meetingId': meeting.id, 'root': f'c{box.id}', 'postUrl': f'/meetings/{meeting.id}/scans',
              'searchUrl': search, 'jsqrUrl': '/assets/vendor/jsqr/jsQR.js', 'texts': texts()}
    ui.run_javascript(f'window.GongshangScanner && GongshangScanner.start({json.dumps(config, ensure_ascii=False)})')
    return None


def texts() -> dict[str, str]:
    """What scanner.js says, in the volunteer's language ('{n}' and '{reason}' are filled in by the script)."""
    return {
        'starting': t('正在打开摄像头…'),
        'aim': t('把居民个人码放进框里'),
        'insecure': t('需要安全连接 https'),
        'denied': t('没有权限，请在浏览器设置中允许使用摄像头'),
        'noCamera': t('找不到摄像头'),
        'busy': t('摄像头正被其他应用使用'),
        'cameraError': t('摄像头出错'),
        'noDecoder': t('这个浏览器不能识别二维码'),
        'noCameraTitle': t('无法使用摄像头（{reason}）'),
        'search': t('按姓名/电话/房号查找'),
        'notPersonal': t('这不是居民个人码'),
        'queued': t('待发送 {n} 条'),
        'offline': t('网络不好，已保存，恢复后自动发送'),
        'signedOut': t('登录已过期，请重新登录后再扫码'),
        'refusedUnknown': t('这次扫码没有成功，请再扫一次'),
        'pending': t('未核验'),
        'tapForSound': t('轻触这里，扫码时有提示音和振动'),
    }


# ---- POST /meetings/{id}/scans ----

def _problem(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({'code': code, 'message': message}, status_code=status, headers=NO_STORE)


class BadScan(ValueError):
    """The body is not a scan this app's scanner would send."""


def parse_scan(raw: bytes) -> tuple[str, str, datetime | None]:
    """(token, nonce, scanned_at) from the JSON body; scanned_at is aware (ISO with offset, or epoch ms)."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise BadScan from e
    if not isinstance(body, dict):
        raise BadScan
    token, nonce, scanned_at = body.get('token'), body.get('nonce'), body.get('scanned_at')
    if not isinstance(token, str) or len(token) > MAX_TOKEN or not isinstance(nonce, str):
        raise BadScan
    return token.strip(), nonce, _scan_time(scanned_at)


def _scan_time(value: object) -> datetime | None:
    if value is None:
        return None  # the server's clock
    try:
        if isinstance(value, bool):
            raise BadScan
        if isinstance(value, int | float):
            if not math.isfinite(value):
                raise BadScan
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and len(value) <= 40:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None or parsed.utcoffset() is None:
                raise BadScan  # a time without its offset could be eight hours off
            return parsed
    except (ValueError, OverflowError, OSError) as e:
        raise BadScan from e
    raise BadScan


async def _body(request: Request) -> bytes | None:
    """The request body, or None when it passes MAX_BODY (read no further than that)."""
    declared = request.headers.get('content-length') or '0'
    if not declared.isdecimal() or int(declared) > MAX_BODY:
        return None
    raw = b''
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            return None
    return raw


async def post_scan(meeting_id: int, request: Request) -> JSONResponse:
    """One scan from scanner.js: the answer (green, amber or red) as JSON, or {code, message} with a 4xx."""
    if request.headers.get('content-type', '').split(';')[0].strip().lower() != 'application/json':
        return _problem(415, 'unsupported_media_type', t('请求格式不对，请刷新页面后重试'))
    raw = await _body(request)
    if raw is None:
        return _problem(413, 'too_large', t('请求太大'))
    user = await accounts.principal(session.account_id())
    if not user.is_authenticated:
        return _problem(401, 'not_signed_in', t('登录已过期，请重新登录后再扫码'))
    try:
        token, nonce, scanned_at = parse_scan(raw)
    except BadScan:
        return _problem(400, 'bad_scan', t('扫码内容不完整，请再扫一次'))
    try:
        answer = await checkins.scan_code(user, meeting_id, token, nonce=nonce, scanned_at=scanned_at)
    except DomainError as e:
        return _problem(STATUS.get(e.code, 400), e.code, e.message)
    return JSONResponse(answer.as_json(), headers=NO_STORE)


def register() -> None:
    ui.page('/meetings/{meeting_id}/scan')(scan_page)
    app.add_api_route('/meetings/{meeting_id}/scans', post_scan, methods=['POST'], include_in_schema=False)
