"""登录: staff with phone + password, residents with phone + six-digit PIN or their personal link; 退出登录."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components import session
from components.frame import error_banner, frame
from components.signin import finish_sign_in, password_input, phone_input, pin_input
from domain.credentials import safe_next
from domain.errors import DomainError
from domain.i18n import t
from models import Account
from services import auth, codes
from services.audit import now


async def login(next: str = '/') -> None:
    user = await session.current_user()
    target = safe_next(next)
    with frame(t('登录'), user=user, active='me'):
        if user.is_authenticated:
            ui.label(t('您已登录：{name}', name=user.name)).classes('text-lg')
            ui.button(t('继续'), on_click=lambda: ui.navigate.to(target)).classes('w-full text-lg')
            ui.button(t('退出登录'), on_click=lambda: ui.navigate.to('/logout')) \
                .classes('w-full text-lg').props('outline')
            return
        with ui.tabs().classes('w-full text-lg') as tabs:
            resident_tab = ui.tab('resident', t('居民'), icon='person')
            staff_tab = ui.tab('staff', t('工作人员'), icon='badge')
        with ui.tab_panels(tabs, value=resident_tab).classes('w-full bg-transparent'):
            with ui.tab_panel(resident_tab).classes('gap-3 px-0'):
                _pin_form(target)
            with ui.tab_panel(staff_tab).classes('gap-3 px-0'):
                _password_form(target)


async def logout() -> None:
    session.sign_out()
    with frame(t('退出登录'), active='me'):
        ui.label(t('您已退出登录')).classes('text-xl')
        ui.button(t('重新登录'), on_click=lambda: ui.navigate.to('/login')).classes('w-full text-lg')
        ui.button(t('回到首页'), on_click=lambda: ui.navigate.to('/')).classes('w-full text-lg').props('outline')


async def link(token: str) -> None:
    """/l/{token}: the personal sign-in link. Opening it (or a link preview fetching it) changes nothing."""
    ui.add_head_html('<meta name="referrer" content="no-referrer">')  # the token must not leak onwards
    user = await session.current_user()
    with frame(t('登录'), user=user, active='me', nav=False):
        try:
            resident, _ = await codes.login_link_resident(token, at=now())
        except DomainError as e:
            error_banner(e.message).classes('text-lg')
            ui.button(t('回到首页'), on_click=lambda: ui.navigate.to('/')).classes('w-full text-lg')
            return
        ui.label(t('欢迎，{name}', name=resident.name)).classes('text-2xl font-bold')
        ui.label(t('点下面的按钮登录共商。这个链接只能用一次，请不要转发给别人。')).classes('gs-muted text-lg')
        error = error_banner('')

        async def redeem() -> None:
            button.disable()
            try:
                account = await auth.redeem_login_link(token)
            except DomainError as e:
                error.set_text(e.message)
                return
            finish_sign_in(account, to='/' if account.pin_hash else '/me/pin?first=1', pin_reset=True)

        button = ui.button(t('登录'), icon='login', on_click=redeem).classes('w-full text-xl').mark('redeem')


def _pin_form(target: str) -> None:
    _sign_in_form(target, t('用手机号和 6 位数字密码登录。第一次使用请扫描社区发给您的登录二维码。'),
                  pin_input, auth.sign_in_with_pin, marker='pin', secret_marker='pin-pin')
    ui.label(t('忘记数字密码？请找社区工作人员重新发登录二维码。')).classes('gs-muted')


def _password_form(target: str) -> None:
    _sign_in_form(target, t('社区工作人员、两委、监督委员会成员用手机号和密码登录。'),
                  password_input, auth.sign_in_with_password, marker='pw', secret_marker='pw-password')


def _sign_in_form(target: str, intro: str, secret_input: Callable[[], ui.input],
                  sign_in: Callable[[object, str], Awaitable[Account]], *, marker: str, secret_marker: str) -> None:
    """Phone and a secret (PIN or password); a refusal empties the secret and says why, success goes on to `target`."""
    ui.label(intro).classes('gs-muted')
    phone = phone_input().mark(f'{marker}-phone')
    secret = secret_input().mark(secret_marker)
    error = error_banner('').mark(f'{marker}-error')

    async def submit() -> None:
        if button.enabled is False:
            return
        button.disable()
        try:
            account = await sign_in(phone.value, secret.value or '')
        except DomainError as e:
            error.set_text(e.message)
            secret.set_value('')
            button.enable()
            return
        finish_sign_in(account, to=target)

    secret.on('keydown.enter', submit)
    button = ui.button(t('登录'), icon='login', on_click=submit).classes('w-full text-xl').mark(f'{marker}-submit')


def register() -> None:
    ui.page('/login')(login)
    ui.page('/logout')(logout)
    ui.page('/l/{token}')(link)
