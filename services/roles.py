"""Roles per community: admins create staff accounts, grant and revoke roles; every change is audited and published."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain.access import check_role, why_cannot_revoke
from domain.credentials import password_problem
from domain.errors import DomainError
from domain.i18n import t
from domain.people import MAX_NAME, clean_text, normalize_phone
from domain.permissions import ROLES, Principal
from models import Account, Community, Resident, RoleGrant
from services import accounts, audit, events
from services.passwords import hash_secret

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Member:
    """An account holding roles in one community, as the admin's list shows it (phone in full: admins only)."""
    account_id: int
    name: str
    phone: str
    roles: tuple[str, ...]  # in domain.permissions.ROLES order
    is_resident: bool  # linked to a resident record of this community
    is_active: bool


@dataclass(frozen=True)
class Candidate:
    """Someone an admin may give a role: an existing account, or a resident (an account is made on grant)."""
    kind: str  # 'account' | 'resident'
    id: int
    name: str
    phone: str
    detail: str  # the room for a resident


def _ordered(roles: set[str]) -> tuple[str, ...]:
    return tuple(role for role in ROLES if role in roles)


async def members(actor: Principal, community_id: int) -> list[Member]:
    """Accounts with granted roles in the community, admins first. Errors: forbidden."""
    accounts.require(actor, 'role.grant', community_id)
    grants = await RoleGrant.filter(community_id=community_id).prefetch_related('account__resident')
    by_account: dict[int, tuple[Account, set[str]]] = {}
    for grant in grants:
        by_account.setdefault(grant.account_id, (grant.account, set()))[1].add(grant.role)
    rows = []
    for account, roles in by_account.values():
        resident = account.resident
        rows.append(Member(
            account_id=account.id, name=account.name, phone=account.phone or '', roles=_ordered(roles),
            is_resident=bool(resident and resident.community_id == community_id and resident.status != 'left'),
            is_active=account.is_active))
    rank = {role: i for i, role in enumerate(reversed(ROLES))}  # admin first
    return sorted(rows, key=lambda m: (min(rank[r] for r in m.roles), m.name, m.account_id))


async def search(actor: Principal, community_id: int, query: str) -> list[Candidate]:
    """Residents of the community by name, phone or room, and an account by its exact phone. Errors: forbidden."""
    accounts.require(actor, 'role.grant', community_id)
    text = (query or '').strip()[:MAX_NAME]
    if not text:
        return []
    residents = await Resident.filter(
        Q(name__icontains=text) | Q(phone__contains=text) | Q(household__room=text),
        community_id=community_id).exclude(status='left').prefetch_related(
        'household__building__compound').order_by('name', 'id').limit(SEARCH_LIMIT)
    linked = set(await Account.filter(resident_id__in=[r.id for r in residents]).values_list('id', flat=True))
    found = [Candidate('resident', r.id, r.name, r.phone or '', _room(r)) for r in residents]
    try:
        phone = normalize_phone(text)
    except ValueError:
        return found
    account = await Account.get_or_none(phone=phone, is_active=True)
    if account is not None and account.id not in linked:
        found.insert(0, Candidate('account', account.id, account.name, account.phone or '', ''))
    return found


def _room(resident: Resident) -> str:
    household = resident.household
    if household is None:
        return resident.registered_room or ''
    building = household.building
    return f'{building.compound.name} {building.name} {household.room}'


async def create_account(actor: Principal, community_id: int, *, name: str, phone: str, role: str, password: str,
                         at: datetime | None = None) -> Account:
    """A new sign-in account (phone + password) holding `role` in the community.

    Errors: forbidden, invalid_name, invalid_phone, phone_taken, weak_password, unknown_role, role_not_grantable.
    """
    accounts.require(actor, 'role.grant', community_id)
    try:
        name = clean_text(name, max_len=MAX_NAME)
    except ValueError as e:
        raise DomainError('invalid_name', '姓名{reason}', reason=t(str(e))) from e
    if not name:
        raise DomainError('invalid_name', '请填写姓名')
    try:
        phone = normalize_phone(phone)
    except ValueError as e:
        raise DomainError('invalid_phone', '{reason}', reason=t(str(e))) from e
    check_role(role)
    if problem := password_problem(password, phone=phone):
        raise DomainError('weak_password', '{reason}', reason=t(problem))
    password_hash = hash_secret(password)
    if await Account.exists(phone=phone):
        raise DomainError('phone_taken', '这个手机号已经有账号了，请用“给已有的人添加角色”')
    try:
        async with in_transaction() as conn:
            account = await Account.create(name=name, phone=phone, password_hash=password_hash, using_db=conn)
            grant = await RoleGrant.create(account=account, community_id=community_id, role=role,
                                           granted_by_id=actor.account_id, using_db=conn)
            await audit.record('account.created', actor_id=actor.account_id, community_id=community_id,
                               target=account, data={'name': name, 'role': role}, at=at, using_db=conn)
            await audit.record('role.granted', actor_id=actor.account_id, community_id=community_id, target=grant,
                               data={'account_id': account.id, 'role': role}, at=at, using_db=conn)
    except IntegrityError as e:  # the same phone registered a moment ago
        raise DomainError('phone_taken', '这个手机号已经有账号了，请用“给已有的人添加角色”') from e
    await events.publish('account.created', community_id=community_id, account_id=account.id)
    await events.publish('role.granted', community_id=community_id, account_id=account.id, role=role)
    return account


async def grant(actor: Principal, account_id: int, community_id: int, role: str, *,
                at: datetime | None = None) -> RoleGrant:
    """Give an existing account `role` in the community; granting a role it already has changes nothing.

    Errors: forbidden, not_found, unknown_role, role_not_grantable.
    """
    accounts.require(actor, 'role.grant', community_id)
    check_role(role)
    account = await Account.get_or_none(id=account_id, is_active=True)
    if account is None or not await Community.exists(id=community_id):
        raise DomainError('not_found', '找不到这个账号')
    return await _grant(actor, account, community_id, role, at=at)


async def grant_to_resident(actor: Principal, resident_id: int, role: str, *, at: datetime | None = None) -> RoleGrant:
    """Give a resident `role` (e.g. volunteer) in their community, through their account.

    The account is found or made as a first sign-in with the personal link would (services.auth): theirs, else an
    account with their phone and no other resident, else a new one without a password — the resident keeps
    signing in with their personal link and PIN.
    Errors: forbidden, not_found, unknown_role, role_not_grantable, phone_in_use.
    """
    resident = await Resident.get_or_none(id=resident_id)
    if resident is None or resident.status == 'left':
        raise DomainError('not_found', '找不到这位居民')
    accounts.require(actor, 'role.grant', resident)
    check_role(role)
    account = await Account.get_or_none(resident_id=resident.id)
    if account is None:
        account = await _account_for_resident(actor, resident, at=at)
    return await _grant(actor, account, resident.community_id, role, at=at)


async def _account_for_resident(actor: Principal, resident: Resident, *, at: datetime | None) -> Account:
    try:
        async with in_transaction() as conn:
            account = await accounts.account_for_resident(resident, conn)
            await audit.record('account.linked', actor_id=actor.account_id, community_id=resident.community_id,
                               target=account, data={'resident_id': resident.id}, at=at, using_db=conn)
    except IntegrityError:  # made a moment ago by the resident's own first sign-in
        account = await Account.get(resident_id=resident.id)
    return account


async def _grant(actor: Principal, account: Account, community_id: int, role: str, *,
                 at: datetime | None) -> RoleGrant:
    existing = await RoleGrant.get_or_none(account_id=account.id, community_id=community_id, role=role)
    if existing is not None:
        return existing
    try:
        async with in_transaction() as conn:
            row = await RoleGrant.create(account=account, community_id=community_id, role=role,
                                         granted_by_id=actor.account_id, using_db=conn)
            await audit.record('role.granted', actor_id=actor.account_id, community_id=community_id, target=row,
                               data={'account_id': account.id, 'role': role}, at=at, using_db=conn)
    except IntegrityError:  # granted by someone else at the same moment
        return await RoleGrant.get(account_id=account.id, community_id=community_id, role=role)
    await events.publish('role.granted', community_id=community_id, account_id=account.id, role=role)
    return row


async def revoke_blockers(actor: Principal, account_id: int, community_id: int, role: str) -> list[DomainError]:
    """Why this role cannot be taken away (empty: it can), for the page to explain before anyone clicks."""
    admins = await RoleGrant.filter(community_id=community_id, role='admin').count() if role == 'admin' else 0
    return why_cannot_revoke(actor_account_id=actor.account_id, account_id=account_id, role=role,
                             admins_in_community=admins)


async def revoke(actor: Principal, account_id: int, community_id: int, role: str, *,
                 at: datetime | None = None) -> None:
    """Take `role` in the community away from the account; revoking a role it lacks changes nothing.

    Errors: forbidden, unknown_role, role_not_grantable, last_admin.
    """
    accounts.require(actor, 'role.grant', community_id)
    check_role(role)
    async with in_transaction() as conn:
        # lock the community's admin grants so two admins cannot remove each other at the same moment
        admins = await RoleGrant.filter(community_id=community_id, role='admin').select_for_update() \
            .using_db(conn).values_list('account_id', flat=True)
        row = await RoleGrant.filter(account_id=account_id, community_id=community_id, role=role) \
            .using_db(conn).first()
        if row is None:
            return
        reasons = why_cannot_revoke(actor_account_id=actor.account_id, account_id=account_id, role=role,
                                    admins_in_community=len(admins))
        if reasons:
            raise reasons[0]
        await row.delete(using_db=conn)
        await audit.record('role.revoked', actor_id=actor.account_id, community_id=community_id,
                           target=await Account.get(id=account_id).using_db(conn),
                           data={'account_id': account_id, 'role': role}, at=at, using_db=conn)
    await events.publish('role.revoked', community_id=community_id, account_id=account_id, role=role)
