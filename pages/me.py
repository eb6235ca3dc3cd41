"""我的: who I am, my personal QR code, 大字模式, language, PIN, sign out."""
from __future__ import annotations

from nicegui import ui
from starlette.requests import Request

from components import session
from components.frame import error_banner, frame
from components.qr import qr_image
from components.signin import login_redirect, password_input, pin_input
from domain.errors import DomainError
from domain.i18n import LANGUAGES, t
from domain.permissions import can
from services import auth, codes, profile


async def me() -> object:
    user = await session.current_user()
    info = await profile.profile(user)
    if info is None:
        return login_redirect('/me')
    with frame(t('我的'), user=user, active='me'):
        with ui.card().classes('gs-card gap-1'):
            ui.label(info.name).classes('text-2xl font-bold').mark('me-name')
            if info.phone:
                ui.label(info.phone).classes('gs-muted')
            if info.resident_id is not None:
                ui.label(info.community).classes('text-lg')
                if info.place:
                    ui.label(info.place).classes('text-lg')
                _status(info.status, info.status_label)
                if info.tags:
                    with ui.row().classes('gap-1'):
                        for tag in info.tags:
                            ui.chip(t(tag)).props('outline color=primary')
            for community, role in info.roles:
                ui.label(f'{community} · {t(role)}').classes('gs-muted')
        if info.resident_id is not None:
            ui.button(t('我的二维码'), icon='qr_code_2', on_click=lambda: ui.navigate.to('/me/code')) \
                .classes('w-full text-xl')
        ui.button(t('我的消息'), icon='notifications', on_click=lambda: ui.navigate.to('/me/notices')).classes('w-full')
        with ui.card().classes('gs-card'):
            ui.switch(t('大字模式'), value=session.elder_mode(), on_change=lambda e: _elder(e.value)) \
                .classes('text-xl').mark('elder-switch')
            ui.label(t('字更大、颜色更清楚，适合老年人')).classes('gs-muted')
            ui.label(t('语言 / Language')).classes('text-lg mt-2')
            ui.toggle(dict(LANGUAGES), value=info.language if info.language in LANGUAGES else 'zh',
                      on_change=lambda e: _language(e.value)).props('spread no-caps').classes('w-full') \
                .mark('language')
        if info.resident_id is not None or info.has_pin:
            ui.button(t('修改数字密码') if info.has_pin else t('设置数字密码'), icon='pin',
                      on_click=lambda: ui.navigate.to('/me/pin')).classes('w-full text-lg').props('outline')
        if info.has_password:
            ui.button(t('修改密码'), icon='password', on_click=lambda: ui.navigate.to('/me/password')) \
                .classes('w-full text-lg').props('outline')
        ui.button(t('退出登录'), icon='logout', on_click=lambda: ui.navigate.to('/logout')) \
            .classes('w-full text-lg').props('outline color=grey-8')
    return None


async def pin_page(first: int = 0) -> object:
    user = await session.current_user()
    info = await profile.profile(user)
    if info is None:
        return login_redirect('/me/pin')
    need_current = info.has_pin and not session.pin_reset_allowed()
    with frame(t('设置数字密码') if not info.has_pin else t('修改数字密码'), user=user, active='me', back='/me'):
        if first:
            ui.label(t('欢迎！请设置一个 6 位数字密码，下次用手机号和它登录。')).classes('text-lg')
        ui.label(t('不要用 123456、111111 这样容易猜到的数字，也不要用手机号的后 6 位。')).classes('gs-muted')
        current = pin_input('原来的数字密码').mark('pin-current') if need_current else None
        new = pin_input('新的 6 位数字密码', new=True).mark('pin-new')
        again = pin_input('再输入一次', new=True).mark('pin-again')
        error = error_banner('').mark('pin-error')

        async def save() -> None:
            if (new.value or '') != (again.value or ''):
                error.set_text(t('两次输入的数字密码不一样'))
                return
            button.disable()
            try:
                await auth.set_pin(user.account_id, new.value or '', current_pin=current.value if current else None,
                                   reset=session.pin_reset_allowed())
            except DomainError as e:
                error.set_text(e.message)
                button.enable()
                return
            session.set_pin_reset(False)
            ui.notify(t('数字密码已保存'), type='positive')
            ui.navigate.to('/')

        button = ui.button(t('保存'), icon='check', on_click=save).classes('w-full text-xl').mark('pin-save')
    return None


async def password_page() -> object:
    user = await session.current_user()
    info = await profile.profile(user)
    if info is None:
        return login_redirect('/me/password')
    with frame(t('修改密码'), user=user, active='me', back='/me'):
        current = password_input('原密码').mark('pw-current')
        new = password_input('新密码（至少 8 位）', new=True).mark('pw-new')
        again = password_input('再输入一次', new=True).mark('pw-again')
        error = error_banner('').mark('pw-error')

        async def save() -> None:
            if (new.value or '') != (again.value or ''):
                error.set_text(t('两次输入的密码不一样'))
                return
            button.disable()
            try:
                await auth.change_password(user.account_id, current.value or '', new.value or '')
            except DomainError as e:
                error.set_text(e.message)
                button.enable()
                return
            ui.notify(t('密码已修改'), type='positive')
            ui.navigate.to('/me')

        button = ui.button(t('保存'), icon='check', on_click=save).classes('w-full text-xl').mark('pw-save')
    return None


async def code_page(request: Request) -> object:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/me/code')
    resident = await profile.my_resident(user)
    with frame(t('我的二维码'), user=user, active='me', back='/me'):
        if resident is None or not can(user, 'resident.own_code', resident):
            ui.label(t('只有登记为本社区居民的账号才有个人二维码')).classes('text-lg')
            return None
        with ui.card().classes('gs-card items-center gap-2'):
            ui.label(resident.name).classes('text-3xl font-bold').mark('code-name')
            qr_image(codes.personal_code_url(resident, codes.public_base(str(request.base_url))), size='w-full') \
                .classes('max-w-sm').mark('personal-qr')
            ui.label(t('参加议事会时出示给志愿者扫码')).classes('text-xl text-center')
            ui.label(t('请把手机屏幕调到最亮，扫码更快')).classes('gs-muted text-center')
        if not user.verified:
            ui.label(t('您的身份正在等待社区工作人员核验')).classes('text-warning')
    return None


def _status(status: str, label: str) -> None:
    color = {'verified': 'positive', 'pending': 'warning'}.get(status, 'grey-8')
    ui.label(t(label)).classes(f'text-{color} text-lg').mark('me-status')


async def _elder(on: bool) -> None:
    session.set_elder_mode(on)
    if on:  # at once, without a reload: frame.apply_shell_style adds it on the next page
        ui.query('body').classes(add='elder')
    else:
        ui.query('body').classes(remove='elder')
    await auth.set_elder_mode(await session.current_user(), on)


async def _language(language: str) -> None:
    session.set_language(language)
    await auth.set_language(await session.current_user(), language)
    ui.navigate.reload()


def register() -> None:
    ui.page('/me')(me)
    ui.page('/me/pin')(pin_page)
    ui.page('/me/password')(password_page)
    ui.page('/me/code')(code_page)
