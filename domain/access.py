"""Rules about roles: which roles an admin hands out, and when a role may not be taken away."""
from __future__ import annotations

from domain.errors import DomainError
from domain.permissions import ROLES

# 'resident' is not granted by hand: it follows from the person's resident record (registered, verified by staff)
GRANTABLE_ROLES = tuple(role for role in ROLES if role != 'resident')


def check_role(role: str) -> str:
    """The role if an admin may grant it. Errors: unknown_role, role_not_grantable."""
    if role == 'resident':
        raise DomainError('role_not_grantable', '居民身份来自居民登记和核验，不能直接授予')
    if role not in GRANTABLE_ROLES:
        raise DomainError('unknown_role', '没有这种角色：{role}', role=str(role)[:20])
    return role


def why_cannot_revoke(*, actor_account_id: int | None, account_id: int, role: str,
                      admins_in_community: int) -> list[DomainError]:
    """Reasons (empty: allowed) against taking `role` from `account_id` in a community with that many admins.

    A community always keeps at least one admin, so an admin cannot remove their own last admin role and
    nobody locks a community out of its own administration.
    """
    if role != 'admin' or admins_in_community > 1:
        return []
    if actor_account_id == account_id:
        return [DomainError('last_admin', '您是本社区唯一的管理员，不能撤销自己的管理员身份；请先让另一人成为管理员')]
    return [DomainError('last_admin', '这是本社区唯一的管理员，请先让另一人成为管理员')]
