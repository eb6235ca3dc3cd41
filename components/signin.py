"""Pieces of the sign-in screens: phone and PIN inputs sized for old fingers, and the way back to /login."""
from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from domain.credentials import safe_next
from domain.i18n import t

_BIG = 'w-full text-xl'


def phone_input(label: str = '手机号') -> ui.input:
    return ui.input(t(label)).classes(_BIG) \
        .props('outlined type=tel inputmode=numeric autocomplete=tel maxlength=13 clearable')


def pin_input(label: str = '6 位数字密码', *, new: bool = False) -> ui.input:
    """Six digits, shown as dots, with the phone's number pad."""
    autocomplete = 'new-password' if new else 'current-password'
    return ui.input(t(label), password=True, password_toggle_button=True).classes(_BIG) \
        .props(f'outlined inputmode=numeric pattern="[0-9]*" maxlength=6 autocomplete={autocomplete}')


def password_input(label: str = '密码', *, new: bool = False) -> ui.input:
    autocomplete = 'new-password' if new else 'current-password'
    return ui.input(t(label), password=True, password_toggle_button=True).classes(_BIG) \
        .props(f'outlined maxlength=128 autocomplete={autocomplete}')


def login_redirect(path: str) -> RedirectResponse:
    """Send a visitor who is not signed in to /login, coming back to `path` (one of our own routes)."""
    return RedirectResponse(f'/login?next={quote(safe_next(path), safe="/")}', status_code=303)


def finish_sign_in(account, *, to: str, pin_reset: bool = False) -> None:
    """Remember the account in this browser (with its elder mode and language) and go on to `to`.

    `pin_reset`: signed in by a personal link, so a new PIN may be chosen without the old one.
    """
    session.sign_in(account.id, elder_mode=account.elder_mode, language=account.language)
    session.set_pin_reset(pin_reset)
    ui.navigate.to(safe_next(to))
