"""Accounts and the principal the permission rules see."""
from __future__ import annotations

from collections import defaultdict

from domain.errors import DomainError
from domain.permissions import ANONYMOUS, Principal, can
from models import Account, Resident, RoleGrant


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


async def account_for_resident(resident: Resident, conn) -> Account:
    """The resident's account: existing, an account with their phone and no resident yet, or a new one."""
    account = await Account.filter(resident_id=resident.id).using_db(conn).first()
    if account is not None:
        return account
    if resident.phone:
        account = await Account.filter(phone=resident.phone).using_db(conn).prefetch_related('resident').first()
        if account is not None:
            if account.resident is not None and account.resident.status != 'left':
                raise DomainError('phone_in_use', '这个手机号已被另一位居民的账号使用，请先核对手机号')
            account.resident_id = resident.id  # a staff member who lives here, or someone who moved in
            await account.save(update_fields=['resident_id'], using_db=conn)
            return account
    return await Account.create(name=resident.name, phone=resident.phone, resident_id=resident.id, using_db=conn)
