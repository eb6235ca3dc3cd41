"""/c/{token}: what a phone camera opens from a personal QR. Details only for that community's helpers."""
from __future__ import annotations

from nicegui import app, ui

from components import session
from components.frame import error_banner, frame
from domain.errors import DomainError
from domain.i18n import t
from domain.people import STATUSES
from domain.permissions import can
from pages.meeting_checkin import answer_card
from services import checkins, codes


async def code_view(token: str) -> None:
    user = await session.current_user()
    with frame(t('居民个人码'), user=user):
        try:
            resident = await codes.resolve_code(token)
        except DomainError as e:
            error_banner(e.message).classes('text-lg').mark('code-error')
            return
        if not (can(user, 'checkin.scan', resident) or can(user, 'resident.view', resident)):
            with ui.card().classes('gs-card items-center'):
                ui.icon('qr_code_2').classes('text-6xl text-primary')
                ui.label(t('这是共商居民个人码，请由志愿者扫码签到')).classes('text-xl text-center').mark('code-public')
            return
        # a volunteer with a current meeting (set by the scanner or search page) checks the person in by opening
        # the link; the nonce is derived from (meeting, resident), so a reload shows the first answer and adds nothing
        answer = await checkins.link_check_in(user, token, app.storage.user.get('scan_meeting'))
        if answer is not None:
            answer_card(answer)
        card = await codes.code_card(resident)
        with ui.card().classes('gs-card gap-1'):
            ui.label(card.name).classes('text-3xl font-bold').mark('code-name')
            ui.label(card.place or t('未填写住址')).classes('text-xl')
            color = 'text-positive' if resident.status == 'verified' else 'text-warning'
            ui.label(t(STATUSES.get(resident.status, resident.status))).classes(f'{color} text-xl').mark('code-status')
        if answer is None:
            ui.label(t('签到请使用议事会页面里的扫码签到')).classes('gs-muted')


def register() -> None:
    ui.page('/c/{token}')(code_view)
