"""Rules for PINs, passwords and where to go after signing in. Messages are plain Chinese."""
from __future__ import annotations

import re

PIN_LENGTH = 6
MIN_PASSWORD = 8
MAX_PASSWORD = 128  # hashing a megabyte-long "password" would be a cheap way to tie up the server
MAX_NEXT = 200

_PIN = re.compile(r'^[0-9]{6}\Z')
_DIGITS = '0123456789'


def pin_format_ok(pin: object) -> bool:
    """Exactly six digits (what the sign-in form accepts before looking anything up)."""
    return isinstance(pin, str) and bool(_PIN.match(pin))


def is_trivial_pin(pin: str) -> bool:
    """PINs anyone would try first: 111111, 123456, 654321, 121212, 123123 …"""
    if pin in _DIGITS or pin in _DIGITS[::-1]:  # straight runs up or down
        return True
    return any(pin == pin[:size] * (PIN_LENGTH // size) for size in (1, 2, 3))  # 000000, 121212, 123123


def pin_problem(pin: object, *, phone: str | None = None) -> str | None:
    """Why this PIN cannot be chosen, or None when it is fine."""
    if not pin_format_ok(pin):
        return '数字密码应为 6 位数字'
    assert isinstance(pin, str)
    if is_trivial_pin(pin):
        return '这个数字密码太容易被猜到，请换一个（不要用 123456、111111 这样的数字）'
    if phone and phone.endswith(pin):
        return '不要用手机号的后 6 位做数字密码，请换一个'
    return None


def password_problem(password: object, *, phone: str | None = None) -> str | None:
    """Why this password cannot be chosen, or None when it is fine."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return f'密码至少 {MIN_PASSWORD} 位'
    if len(password) > MAX_PASSWORD:
        return f'密码太长（最多 {MAX_PASSWORD} 位）'
    if len(set(password)) < 3 or (phone and phone in password):
        return '这个密码太容易被猜到，请换一个'
    return None


def safe_next(value: object) -> str:
    """A path inside this site to continue to after signing in; anything else becomes '/'.

    Only '/something' is allowed: never '//host' or '/\\host' (browsers treat both as another site),
    never a scheme, never control characters.
    """
    if not isinstance(value, str) or not value.startswith('/') or len(value) > MAX_NEXT:
        return '/'
    if value.startswith('//') or '\\' in value or any(ord(c) < 0x20 or ord(c) == 0x7f for c in value):
        return '/'
    return value
