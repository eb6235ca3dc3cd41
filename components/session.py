"""Who is using this browser: the account id lives in NiceGUI's per-browser user storage."""
from __future__ import annotations

from nicegui import app

from domain.i18n import LANGUAGES, set_language_source
from domain.permissions import Principal
from services import accounts


def _language() -> str:
    return app.storage.user.get('lang', 'zh')


set_language_source(_language)


def account_id() -> int | None:
    value = app.storage.user.get('account_id')
    return value if isinstance(value, int) else None


async def current_user() -> Principal:
    """The principal of this browser (ANONYMOUS when nobody is signed in)."""
    return await accounts.principal(account_id())


def sign_in(account_id_: int, *, elder_mode: bool, language: str) -> None:
    app.storage.user['account_id'] = account_id_
    app.storage.user['elder'] = elder_mode
    app.storage.user['lang'] = language if language in LANGUAGES else 'zh'


def sign_out() -> None:
    for key in ('account_id', 'pin_reset'):
        app.storage.user.pop(key, None)


def elder_mode() -> bool:
    return bool(app.storage.user.get('elder', False))


def set_elder_mode(on: bool) -> None:
    app.storage.user['elder'] = bool(on)


def set_language(language: str) -> None:
    app.storage.user['lang'] = language if language in LANGUAGES else 'zh'


def set_pin_reset(allowed: bool) -> None:
    """Just signed in with a personal link: a new PIN may be chosen without the old one."""
    app.storage.user['pin_reset'] = bool(allowed)


def pin_reset_allowed() -> bool:
    return bool(app.storage.user.get('pin_reset', False))
