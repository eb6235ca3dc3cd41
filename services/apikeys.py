"""API keys for integrations: created by an admin, shown once, stored as SHA-256, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.people import clean_text
from domain.permissions import Principal
from models import ApiKey
from services import accounts, audit, events

KEY_PREFIX = 'gs_'


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def create(actor: Principal, community_id: int, name: str, *, at: datetime | None = None) -> tuple[ApiKey, str]:
    """A new key for `community_id`; returns the row and the full key, which is never shown again.

    Errors: forbidden, invalid_name.
    """
    accounts.require(actor, 'apikey.manage', community_id)
    try:
        name = clean_text(name, max_len=60)
    except ValueError as e:
        raise DomainError('invalid_name', '名称{reason}', reason=str(e)) from e
    if not name:
        raise DomainError('invalid_name', '请填写用途，例如“12345 热线对接”')
    prefix = secrets.token_hex(4)
    key = f'{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}'
    async with in_transaction() as conn:
        row = await ApiKey.create(community_id=community_id, name=name, prefix=prefix, key_hash=_digest(key),
                                  created_by_id=actor.account_id, using_db=conn)
        await audit.record('apikey.created', actor_id=actor.account_id, community_id=community_id, target=row,
                           data={'name': name, 'prefix': prefix}, at=at, using_db=conn)
    await events.publish('apikey.created', community_id=community_id, key_id=row.id, prefix=prefix)
    return row, key


async def keys(actor: Principal, community_id: int) -> list[ApiKey]:
    """The community's keys, newest first, revoked ones included (only prefixes, never the keys). Errors: forbidden."""
    accounts.require(actor, 'apikey.manage', community_id)
    return await ApiKey.filter(community_id=community_id).order_by('-created_at', '-id')


async def revoke(actor: Principal, key_id: int, *, at: datetime | None = None) -> ApiKey:
    """Errors: not_found, forbidden."""
    row = await ApiKey.get_or_none(id=key_id)
    if row is None:
        raise DomainError('not_found', '找不到这个密钥')
    accounts.require(actor, 'apikey.manage', row)
    if row.revoked_at is None:
        row.revoked_at = at or audit.now()
        async with in_transaction() as conn:
            await row.save(update_fields=['revoked_at'], using_db=conn)
            await audit.record('apikey.revoked', actor_id=actor.account_id, community_id=row.community_id,
                               target=row, data={'prefix': row.prefix}, at=at, using_db=conn)
        await events.publish('apikey.revoked', community_id=row.community_id, key_id=row.id, prefix=row.prefix)
    return row


async def authenticate(key: str | None, *, at: datetime | None = None) -> ApiKey:
    """The live key row for a presented key. Errors: api_key_missing, api_key_invalid."""
    if not key:
        raise DomainError('api_key_missing', '缺少 API 密钥（请在请求头 X-API-Key 中提供）')
    if len(key) > 200 or not key.startswith(KEY_PREFIX):
        raise DomainError('api_key_invalid', 'API 密钥无效或已被吊销')
    row = await ApiKey.get_or_none(key_hash=_digest(key), revoked_at=None)
    if row is None:
        raise DomainError('api_key_invalid', 'API 密钥无效或已被吊销')
    row.last_used_at = at or audit.now()
    await row.save(update_fields=['last_used_at'])
    return row
