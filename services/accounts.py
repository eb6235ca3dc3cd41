"""Accounts and the principal the permission rules see."""
from __future__ import annotations

from collections import defaultdict

from domain.errors import DomainError
from domain.permissions import ANONYMOUS, Principal, can
from models import Account, RoleGrant


async def principal(account_id: int | None) -> Principal:
    """The roles of a signed-in account, per community; ANONYMOUS for nobody or a disabled account."""
    if account_id is None:
        return ANONYMOUS
    account = await Account.get_or_none(id=account_id, is_active=True).prefetch_related('resident')
    if account is None:
        return ANONYMOUS
    roles: dict[int, set[str]] = defaultdict(set)
    for grant in await RoleGrant.filter(account_id=account.id):
        roles[grant.community_id].add(grant.role)
    resident = account.resident
    if resident is not None and resident.status != 'left':
        roles[resident.community_id].add('resident')
    return Principal(
        account_id=account.id,
        roles={c: frozenset(r) for c, r in roles.items()},
        resident_id=resident.id if resident else None,
        verified=bool(resident and resident.status == 'verified'),
        name=account.name,
    )


def require(user: Principal, action: str, target: object) -> None:
    """Raise DomainError('forbidden') unless `can(user, action, target)`."""
    if not can(user, action, target):
        raise DomainError('forbidden', '没有权限进行此操作')
