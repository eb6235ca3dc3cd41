"""Signed tokens for QR codes and links: never a bare id. HMAC-SHA256 over compact JSON, URL-safe."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from domain.errors import DomainError

PURPOSES = ('code', 'login', 'join', 'meeting')  # personal QR; sign-in link; self-registration; meeting check-in QR
LOGIN_LINK_LIFETIME = timedelta(days=14)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def _mac(secret: str, purpose: str, body: str) -> str:
    key = hashlib.sha256(f'gongshang:{purpose}:{secret}'.encode()).digest()
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest()[:18])


def sign(secret: str, purpose: str, payload: dict) -> str:
    """A token only this deployment can have made, for this purpose only."""
    if purpose not in PURPOSES:
        raise ValueError(f'unknown token purpose {purpose}')
    body = _b64(json.dumps(payload, separators=(',', ':'), sort_keys=True).encode())
    return f'{body}.{_mac(secret, purpose, body)}'


def verify(secret: str, purpose: str, token: str, *, at: datetime | None = None) -> dict:
    """The payload of a genuine, unexpired token; raises DomainError('token_invalid' | 'token_expired')."""
    if not isinstance(token, str) or len(token) > 400 or token.count('.') != 1:
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    body, mac = token.split('.')
    if not hmac.compare_digest(mac, _mac(secret, purpose, body)):
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    try:
        payload = json.loads(_unb64(body))
    except ValueError as e:
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的') from e
    if not isinstance(payload, dict):
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    expires = payload.get('exp')
    if expires is not None and at is not None and at.timestamp() > expires:
        raise DomainError('token_expired', '链接已过期，请向社区工作人员索取新的')
    return payload
