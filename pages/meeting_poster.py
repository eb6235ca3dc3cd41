"""The meeting's check-in QR for the room: a printable poster (/meetings/{id}/poster.png|.pdf) and the projector
view (/meetings/{id}/screen) — dark, huge, readable from the back row, its count rising as people check in."""
from __future__ import annotations

from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui
from starlette.requests import Request

from components import session
from components.admin import no_permission, not_found
from components.downloads import download
from components.frame import frame
from components.live import on_event
from components.qr import qr_data_url
from components.signin import login_redirect
from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import STATES
from services import attendance, codes, posters

SCREEN_CSS = '''<style>
body.gs-screen-body { background: #111 !important; color: #fff; overflow: hidden; }
.gs-screen { min-height: 100vh; width: 100vw; padding: 3vh 4vw; }
.gs-screen-title { font-size: 6vw; line-height: 1.15; font-weight: 800; word-break: break-all; }
.gs-screen-title.gs-long { font-size: 4.4vw; }
.gs-screen-title.gs-longer { font-size: 3.4vw; }
.gs-screen-state { font-size: 3vw; font-weight: 700; color: #ef9a9a; }
.gs-screen-when { font-size: 3vw; color: #ffcdd2; }
.gs-screen-place { font-size: 2.6vw; color: #e0e0e0; }
.gs-screen-count { font-size: 13vw; line-height: 1; font-weight: 900; color: #ffeb3b;
  font-variant-numeric: tabular-nums; }
.gs-screen-count-label { font-size: 4vw; font-weight: 700; }
.gs-screen-qr { width: min(42vw, 78vh); height: min(42vw, 78vh); background: #fff; border-radius: 1vw;
  image-rendering: pixelated; }
.gs-screen-hint { font-size: 3vw; font-weight: 700; }
</style>'''


async def poster_png(request: Request, meeting_id: int) -> Response:
    return await _poster(request, meeting_id, 'png')


async def poster_pdf(request: Request, meeting_id: int) -> Response:
    return await _poster(request, meeting_id, 'pdf')


async def _poster(request: Request, meeting_id: int, fmt: str) -> Response:
    """The poster file for people who may manage the meeting; a login redirect for nobody, 403/404 otherwise."""
    base = codes.public_base(str(request.base_url))
    return await download(lambda user: posters.poster_for(user, meeting_id, base, fmt=fmt),
                          back=f'/meetings/{int(meeting_id)}', fallback=f'meeting-{int(meeting_id)}-poster.{fmt}',
                          inline=True)


async def screen_page(request: Request, meeting_id: int) -> RedirectResponse | None:
    """Full screen for the projector: title, time, place, the QR and the live count."""
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/meetings/{int(meeting_id)}/screen')
    base = codes.public_base(str(request.base_url))
    try:
        meeting = await attendance.meeting_for(user, meeting_id)
    except DomainError as e:
        with frame(t('签到大屏'), user=user, back='/meetings'):
            no_permission() if e.code == 'forbidden' else not_found(e.message)
        return None
    ui.add_head_html(SCREEN_CSS)
    ui.query('body').classes('gs-screen-body')

    @ui.refreshable
    async def board() -> None:
        try:
            fresh = await attendance.meeting_for(user, meeting_id)
            count = await attendance.count(user, meeting_id)
        except DomainError:  # the viewer's role was taken away while the screen was up
            no_permission()
            return
        with ui.row().classes('gs-screen items-center justify-between no-wrap gap-8'):
            with ui.column().classes('grow gap-4 min-w-0'):
                ui.label(fresh.title).classes(f'gs-screen-title {_title_size(fresh.title)}').mark('screen-title')
                if fresh.state in ('closed', 'cancelled'):
                    ui.label(t(STATES[fresh.state])).classes('gs-screen-state').mark('screen-state')
                ui.label(attendance.when_text(fresh.starts_at, fresh.ends_at)).classes('gs-screen-when')
                ui.label(t('地点：{place}', place=fresh.place)).classes('gs-screen-place')
                with ui.row().classes('items-baseline gap-4 pt-6 no-wrap'):
                    ui.label(t('已签到')).classes('gs-screen-count-label')
                    ui.label(str(count)).classes('gs-screen-count').mark('screen-count')
                    ui.label(t('人')).classes('gs-screen-count-label')
            if fresh.state in ('closed', 'cancelled'):
                return  # scanning would only be refused: no QR to tempt anyone
            with ui.column().classes('items-center gap-4 flex-none'):
                ui.image(qr_data_url(codes.meeting_url(fresh, base), box_size=12)).classes('gs-screen-qr') \
                    .props(f'tag=img alt="{t("签到二维码")}"').mark('screen-qr')
                ui.label(t('用手机扫码签到')).classes('gs-screen-hint')

    await board()

    on_event('meeting.*', lambda _: board.refresh(), community_id=meeting.community_id, at_most_every=1,
             where=lambda event: event.payload.get('meeting_id') == meeting.id)
    return None


def _title_size(title: str) -> str:
    """A smaller class for long titles, so three lines still fit beside the QR."""
    return 'gs-longer' if len(title) > 36 else 'gs-long' if len(title) > 20 else ''


def register() -> None:
    ui.page('/meetings/{meeting_id}/screen', title='共商')(screen_page)
    app.get('/meetings/{meeting_id}/poster.png', include_in_schema=False)(poster_png)
    app.get('/meetings/{meeting_id}/poster.pdf', include_in_schema=False)(poster_pdf)
