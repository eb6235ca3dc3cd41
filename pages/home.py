"""首页: where a resident lands — their community, what they can do next."""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import frame
from domain.i18n import t


async def home() -> None:
    user = await session.current_user()
    with frame(t('共商'), user=user, active='home'):
        if not user.is_authenticated:
            ui.label(t('欢迎来到共商')).classes('text-2xl font-bold')
            ui.label(t('民事民提、民事民议、民事民决、民事民办、民事民评')).classes('gs-muted')
            ui.button(t('登录'), on_click=lambda: ui.navigate.to('/login')).classes('w-full text-lg')
            return
        ui.label(t('{name}，您好', name=user.name)).classes('text-2xl font-bold')
        if user.resident_id is not None and not user.verified:
            ui.label(t('您的身份正在等待社区工作人员核验')).classes('text-warning text-lg')
        with ui.card().classes('gs-card'):
            ui.label(t('我的二维码')).classes('text-lg font-bold')
            ui.label(t('参加议事会时出示，志愿者扫码签到')).classes('gs-muted')
            ui.button(t('打开二维码'), icon='qr_code_2', on_click=lambda: ui.navigate.to('/me/code')) \
                .classes('w-full text-lg')


def register() -> None:
    ui.page('/')(home)
