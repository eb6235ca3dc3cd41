"""首页: where a person lands — who and where they are here, and what they can do next."""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import frame
from domain.i18n import t
from services import profile as profiles

STEPS = (  # the 五民 path, shown to visitors so they know what this is for
    ('民事民提', '提出身边的问题和微心愿'),
    ('民事民议', '坐下来一起商量'),
    ('民事民决', '受影响的居民依法表决'),
    ('民事民办', '投工投劳、出资出物'),
    ('民事民评', '服务谁、谁评价'),
)


async def home() -> None:
    user = await session.current_user()
    with frame(t('共商'), user=user, active='home'):
        if not user.is_authenticated:
            _visitor()
            return
        me = await profiles.profile(user)
        ui.label(t('{name}，您好', name=user.name)).classes('text-2xl font-bold')
        if me is not None and me.community:
            ui.label(f'{me.community} · {me.place}' if me.place else me.community) \
                .classes('gs-muted text-lg').mark('home-place')
        if user.resident_id is not None and not user.verified:
            ui.label(t('您的身份正在等待社区工作人员核验')).classes('text-warning text-lg')
        if user.resident_id is not None:
            with ui.card().classes('gs-card'):
                ui.label(t('我的二维码')).classes('text-lg font-bold')
                ui.label(t('参加议事会时出示，志愿者扫码签到')).classes('gs-muted')
                ui.button(t('打开二维码'), icon='qr_code_2', on_click=lambda: ui.navigate.to('/me/code')) \
                    .classes('w-full text-lg')
        communities = sorted(user.roles)
        if communities:  # what the community is doing with what was decided: projects, money, ratings
            with ui.card().classes('gs-card'):
                ui.label(t('公开栏')).classes('text-lg font-bold')
                ui.label(t('项目进度、经费收支、投工投劳和满意度评价')).classes('gs-muted')
                ui.button(t('查看公开栏'), icon='campaign',
                          on_click=lambda: ui.navigate.to(f'/board/{communities[0]}')) \
                    .classes('w-full text-lg').mark('home-board')
        if user.has_work_role:
            with ui.card().classes('gs-card'):
                ui.label(t('社区工作')).classes('text-lg font-bold')
                ui.label(t('居民、房屋、花名册和议事会')).classes('gs-muted')
                ui.button(t('进入管理'), icon='admin_panel_settings', on_click=lambda: ui.navigate.to('/admin')) \
                    .classes('w-full text-lg')


def _visitor() -> None:
    ui.label(t('欢迎来到共商')).classes('text-2xl font-bold')
    with ui.card().classes('gs-card gap-1'):
        for step, meaning in STEPS:
            with ui.row().classes('items-baseline gap-2 no-wrap'):
                ui.label(t(step)).classes('text-lg font-bold text-primary')
                ui.label(t(meaning)).classes('text-base')
    ui.button(t('登录'), on_click=lambda: ui.navigate.to('/login')).classes('w-full text-lg')
    ui.label(t('第一次使用？请扫描社区张贴的二维码登记，或向社区工作人员索取您的登录链接。')) \
        .classes('gs-muted text-center')


def register() -> None:
    ui.page('/')(home)
