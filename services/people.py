"""Residents: staff add and correct them, tag them, verify them (实名核验) and record when they move away."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.people import MAX_NAME, RELATIONS, TAGS, clean_text, mask_phone, normalize_phone, parse_birth_year
from domain.permissions import Principal
from models import Account, Household, Resident, ResidentTag, RoleGrant
from services import accounts, audit, events
from services.people_views import (  # re-exported: pages import the read side from here
    PendingRow,
    ResidentDetail,
    ResidentPage,
    ResidentRow,
    detail,
    pending,
    pending_count,
    search,
)

UNCHANGED: object = object()  # "leave the household as it is"
MAX_REASON = 100


async def create_resident(actor: Principal, community_id: int, *, name: str, phone: str | None = None,
                          birth_year: object = None, relation: str = 'owner', household_id: int | None = None,
                          tags: Iterable[str] = (), verified: bool = False, at: datetime | None = None) -> Resident:
    """Register a resident; `verified=True` when staff have checked the person's identity in person.

    Errors: forbidden, invalid_name, invalid_phone, phone_taken, invalid_birth_year, invalid_choice,
    invalid_household, invalid_tag.
    """
    accounts.require(actor, 'resident.edit', community_id)
    if verified:
        accounts.require(actor, 'resident.verify', community_id)
    now = at or audit.now()
    values = await _values(community_id, name=name, phone=phone, birth_year=birth_year, relation=relation,
                           household_id=household_id, this_year=now.year)
    tag_list = _tags(tags)
    await _phone_free(community_id, values['phone'], None)
    try:
        async with in_transaction() as conn:
            resident = await Resident.create(community_id=community_id, **values,
                                             status='verified' if verified else 'pending',
                                             verified_at=now if verified else None, using_db=conn)
            for tag in tag_list:
                await ResidentTag.create(resident_id=resident.id, tag=tag, using_db=conn)
            await audit.record('resident.created', actor_id=actor.account_id, community_id=community_id,
                               target=resident, data=_audit(values, tags=tag_list), at=now, using_db=conn)
            if verified:
                await audit.record('resident.verified', actor_id=actor.account_id, community_id=community_id,
                                   target=resident, data={'in_person': True}, at=now, using_db=conn)
    except IntegrityError as e:
        raise _phone_taken() from e
    await events.publish('resident.created', community_id=community_id, resident_id=resident.id)
    if verified:
        await events.publish('resident.verified', community_id=community_id, resident_id=resident.id)
    return resident


async def update_resident(actor: Principal, resident_id: int, *, name: str, phone: str | None, birth_year: object,
                          relation: str, household_id: int | None, at: datetime | None = None) -> Resident:
    """Correct a resident's details. Errors: not_found, forbidden, invalid_name, invalid_phone, phone_taken,
    invalid_birth_year, invalid_choice, invalid_household."""
    resident = await _resident(resident_id)
    accounts.require(actor, 'resident.edit', resident)
    now = at or audit.now()
    values = await _values(resident.community_id, name=name, phone=phone, birth_year=birth_year, relation=relation,
                           household_id=household_id, this_year=now.year)
    changed = {k: v for k, v in values.items() if getattr(resident, k) != v}
    if not changed:
        return resident
    account = await Account.get_or_none(resident_id=resident.id)
    if 'phone' in changed:
        await _phone_free(resident.community_id, values['phone'], resident.id)
        if account is not None and values['phone'] and \
                await Account.filter(phone=values['phone']).exclude(id=account.id).exists():
            raise DomainError('phone_taken', '这个手机号已被另一个账号使用')
    before = {k: getattr(resident, k) for k in changed}
    try:
        async with in_transaction() as conn:
            for k, v in changed.items():
                setattr(resident, k, v)
            await resident.save(update_fields=[*changed, 'updated_at'], using_db=conn)
            if account is not None and 'phone' in changed and values['phone']:
                account.phone = values['phone']  # the resident signs in with the number staff now have on file
                await account.save(update_fields=['phone'], using_db=conn)
            await audit.record('resident.changed', actor_id=actor.account_id, community_id=resident.community_id,
                               target=resident, data={'before': _audit(before), 'after': _audit(changed)}, at=now,
                               using_db=conn)
    except IntegrityError as e:
        for k, v in before.items():
            setattr(resident, k, v)
        raise _phone_taken() from e
    await events.publish('resident.changed', community_id=resident.community_id, resident_id=resident.id)
    return resident


async def set_tags(actor: Principal, resident_id: int, tags: Iterable[str], *, at: datetime | None = None) -> list[str]:
    """Replace a resident's tags (党员, 居民代表 …). Errors: not_found, forbidden, invalid_tag."""
    resident = await _resident(resident_id)
    accounts.require(actor, 'resident.edit', resident)
    wanted = _tags(tags)
    current = set(await ResidentTag.filter(resident_id=resident.id).values_list('tag', flat=True))
    added, removed = [t for t in wanted if t not in current], sorted(current - set(wanted))
    if added or removed:
        async with in_transaction() as conn:
            if removed:
                await ResidentTag.filter(resident_id=resident.id, tag__in=removed).using_db(conn).delete()
            for tag in added:
                await ResidentTag.create(resident_id=resident.id, tag=tag, using_db=conn)
            await audit.record('resident.tags_changed', actor_id=actor.account_id, community_id=resident.community_id,
                               target=resident, data={'added': added, 'removed': removed}, at=at, using_db=conn)
        await events.publish('resident.changed', community_id=resident.community_id, resident_id=resident.id)
    return [t for t in TAGS if t in wanted]


async def verify(actor: Principal, resident_id: int, *, household_id: int | object | None = UNCHANGED,
                 at: datetime | None = None) -> Resident:
    """实名核验: a pending resident becomes verified (and may be placed in a household at the same time).

    Errors: not_found, forbidden, already_verified, resident_left, invalid_household.
    """
    resident = await _resident(resident_id)
    accounts.require(actor, 'resident.verify', resident)
    if resident.status == 'verified':
        raise DomainError('already_verified', '{name} 已经核验过了', name=resident.name)
    if resident.status == 'left':
        raise DomainError('resident_left', '{name} 已迁出，不能核验', name=resident.name)
    fields = ['status', 'verified_at', 'updated_at']
    if household_id is not UNCHANGED:
        await _household_in(resident.community_id, household_id)  # type: ignore[arg-type]
        resident.household_id = household_id  # type: ignore[assignment]
        fields.append('household_id')
    resident.status, resident.verified_at = 'verified', at or audit.now()
    async with in_transaction() as conn:
        await resident.save(update_fields=fields, using_db=conn)
        await audit.record('resident.verified', actor_id=actor.account_id, community_id=resident.community_id,
                           target=resident, data={'household_id': resident.household_id}, at=resident.verified_at,
                           using_db=conn)
    await events.publish('resident.verified', community_id=resident.community_id, resident_id=resident.id)
    return resident


async def reject_registration(actor: Principal, resident_id: int, *, reason: str = '',
                              at: datetime | None = None) -> None:
    """信息有误: remove a pending self-registration (and its sign-in account) so the person can register again.

    Errors: not_found, forbidden, not_pending, invalid_reason.
    """
    resident = await _resident(resident_id)
    accounts.require(actor, 'resident.verify', resident)
    if resident.status != 'pending':
        raise DomainError('not_pending', '{name} 不在待核验名单中', name=resident.name)
    try:
        reason = clean_text(reason, max_len=MAX_REASON)
    except ValueError as e:
        raise DomainError('invalid_reason', '原因{reason}', reason=str(e)) from e
    async with in_transaction() as conn:
        for account in await Account.filter(resident_id=resident.id).using_db(conn):
            if not await RoleGrant.filter(account_id=account.id).using_db(conn).exists():
                await account.delete(using_db=conn)
        await audit.record('resident.rejected', actor_id=actor.account_id, community_id=resident.community_id,
                           target=resident, data={'name': resident.name, 'phone': mask_phone(resident.phone),
                                                  'registered_room': resident.registered_room, 'reason': reason},
                           at=at, using_db=conn)
        await resident.delete(using_db=conn)
    await events.publish('resident.changed', community_id=resident.community_id, resident_id=resident_id,
                         change='rejected')


async def mark_left(actor: Principal, resident_id: int, *, at: datetime | None = None) -> Resident:
    """迁出: the resident no longer lives here; their sign-in link and personal code stop working.

    Errors: not_found, forbidden, already_left.
    """
    resident = await _resident(resident_id)
    accounts.require(actor, 'resident.edit', resident)
    if resident.status == 'left':
        raise DomainError('already_left', '{name} 已经迁出了', name=resident.name)
    old_household = resident.household_id
    resident.status, resident.household_id = 'left', None
    resident.code_version += 1
    resident.login_version += 1
    async with in_transaction() as conn:
        await resident.save(update_fields=['status', 'household_id', 'code_version', 'login_version', 'updated_at'],
                            using_db=conn)
        await audit.record('resident.left', actor_id=actor.account_id, community_id=resident.community_id,
                           target=resident, data={'household_id': old_household}, at=at, using_db=conn)
    await events.publish('resident.changed', community_id=resident.community_id, resident_id=resident.id,
                         change='left')
    return resident


# --- guards ------------------------------------------------------------------------------------------------

async def _values(community_id: int, *, name: object, phone: object, birth_year: object, relation: str,
                  household_id: int | None, this_year: int) -> dict:
    try:
        name_text = clean_text(name, max_len=MAX_NAME)
    except ValueError as e:
        raise DomainError('invalid_name', '姓名{reason}', reason=str(e)) from e
    if not name_text:
        raise DomainError('invalid_name', '请填写姓名')
    phone_text = None
    if phone is not None and str(phone).strip():
        try:
            phone_text = normalize_phone(phone)
        except ValueError as e:
            raise DomainError('invalid_phone', '{reason}', reason=str(e)) from e
    year = None
    if birth_year is not None and str(birth_year).strip():
        try:
            year = parse_birth_year(birth_year, this_year=this_year)
        except ValueError as e:
            raise DomainError('invalid_birth_year', '{reason}', reason=str(e)) from e
    if relation not in RELATIONS:
        raise DomainError('invalid_choice', '请选择与户的关系（业主、家属或租户）')
    await _household_in(community_id, household_id)
    return {'name': name_text, 'phone': phone_text, 'birth_year': year, 'relation': relation,
            'household_id': household_id}


def _tags(tags: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(tags))
    unknown = [t for t in wanted if t not in TAGS]
    if unknown:
        raise DomainError('invalid_tag', '未知标签：{tags}', tags='、'.join(str(t)[:12] for t in unknown))
    return [t for t in TAGS if t in wanted]


async def _household_in(community_id: int, household_id: int | None) -> None:
    if household_id is not None and \
            not await Household.exists(id=household_id, building__compound__community_id=community_id):
        raise DomainError('invalid_household', '请选择本社区的一户')


async def _phone_free(community_id: int, phone: str | None, resident_id: int | None) -> None:
    if phone is None:
        return
    query = Resident.filter(community_id=community_id, phone=phone)
    if resident_id is not None:
        query = query.exclude(id=resident_id)
    other = await query.first()
    if other is not None:
        raise DomainError('phone_taken', '手机号 {phone} 已登记给本社区的 {name}', phone=phone, name=other.name)


def _phone_taken() -> DomainError:
    return DomainError('phone_taken', '这个手机号已经登记过了')


def _audit(values: dict, **extra: object) -> dict:
    data = {k: (mask_phone(v) if k == 'phone' else v) for k, v in values.items()}
    return {**data, **extra}


async def _resident(resident_id: int) -> Resident:
    resident = await Resident.get_or_none(id=resident_id)
    if resident is None:
        raise DomainError('not_found', '找不到这位居民')
    return resident


__all__ = [
    'UNCHANGED', 'PendingRow', 'ResidentDetail', 'ResidentPage', 'ResidentRow', 'create_resident', 'detail',
    'mark_left', 'pending', 'pending_count', 'reject_registration', 'search', 'set_tags', 'update_resident', 'verify',
]
