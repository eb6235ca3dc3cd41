"""Signing in: passwords for staff, six-digit PINs and one-time links for residents, self-registration.

Every wrong password or PIN counts against the phone number it was tried for (known account or not);
domain.lockout says how long to refuse after that many failures. Hashing runs in a worker thread so a
burst of sign-ins does not stall every other page.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import credentials, lockout
from domain.errors import DomainError
from domain.i18n import LANGUAGES
from domain.people import MAX_NAME, RELATIONS, clean_text, normalize_phone, parse_birth_year
from domain.permissions import Principal
from domain.rooms import natural_key, parse_place
from models import Account, Building, Compound, Household, LoginThrottle, Resident, RoleGrant
from services import accounts, audit, codes, events, passwords

MAX_ROOM = 20


# ---- signing in ----

async def sign_in_with_password(phone: object, password: str, *, at: datetime | None = None) -> Account:
    """The account with this phone and password (staff, committee, supervisor, admin …).

    Errors: invalid_phone, bad_credentials (same for an unknown phone), locked.
    """
    at = at or audit.now()
    phone = _phone(phone)
    account = await _check('pw', phone, password, at=at, hash_of=lambda a: a.password_hash)
    if account is None:
        raise DomainError('bad_credentials', '手机号或密码不正确')
    return account


async def sign_in_with_pin(phone: object, pin: str, *, at: datetime | None = None) -> Account:
    """The resident account with this phone and six-digit PIN.

    Errors: invalid_phone, invalid_pin, bad_credentials (same for an unknown phone), locked, resident_left.
    """
    at = at or audit.now()
    phone = _phone(phone)
    if not credentials.pin_format_ok(pin):
        raise DomainError('invalid_pin', '数字密码应为 6 位数字')
    account = await _check('pin', phone, pin, at=at, hash_of=lambda a: a.pin_hash)
    if account is None:
        raise DomainError('bad_credentials', '手机号或数字密码不正确')
    return account


async def _check(kind: str, phone: str, secret: str, *, at: datetime, hash_of) -> Account | None:
    """The account when the secret is right; None (failure counted) when wrong; raises 'locked'."""
    key = f'{kind}:{phone}'
    row = await LoginThrottle.get_or_none(key=key)
    if row is not None and row.locked_until is not None and row.locked_until > at:
        raise DomainError('locked', '错误次数太多，请 {wait}后再试', wait=lockout.minutes_text(row.locked_until - at))
    account = await Account.get_or_none(phone=phone, is_active=True)
    hashed = hash_of(account) if account is not None else None
    secret = secret if isinstance(secret, str) else ''
    ok = len(secret) <= credentials.MAX_PASSWORD and await asyncio.to_thread(passwords.verify_secret, hashed, secret)
    if not ok or account is None:
        wait = await _count_failure(key, at, row)
        if wait:
            raise DomainError('locked', '手机号或密码不正确，错误次数太多，请 {wait}后再试',
                              wait=lockout.minutes_text(wait))
        return None
    if kind == 'pin' and await _left_without_roles(account):
        raise DomainError('resident_left', '您已迁出本社区，如有疑问请联系社区工作人员')
    await LoginThrottle.filter(key=key).update(failures=0, locked_until=None)
    account.last_login_at = at
    fields = ['last_login_at']
    if passwords.needs_rehash(hashed):
        field = 'password_hash' if kind == 'pw' else 'pin_hash'
        setattr(account, field, await asyncio.to_thread(passwords.hash_secret, secret))
        fields.append(field)
    await account.save(update_fields=fields)
    return account


async def _count_failure(key: str, at: datetime, seen: LoginThrottle | None) -> timedelta:
    """Add one failure atomically (two wrong tries at the same moment both count); the wait it earns."""
    quiet_since = seen and max(filter(None, [seen.last_failure_at, seen.locked_until]), default=None)
    if seen is not None and quiet_since is not None and at - quiet_since > lockout.MAX_LOCK:
        # a day without mistakes after any lock ended: start afresh rather than punish last month's typo
        await LoginThrottle.filter(key=key, failures=seen.failures).update(failures=0)
    for _ in range(3):
        try:
            await LoginThrottle.get_or_create(key=key)
            break
        except IntegrityError:  # created by a concurrent attempt between our look and our insert
            continue
    await LoginThrottle.filter(key=key).update(failures=F('failures') + 1, last_failure_at=at)
    failures = (await LoginThrottle.get(key=key)).failures
    wait = lockout.wait_after(failures)
    if wait:  # only the attempt that saw this count sets its lock, so a later, longer lock is never shortened
        await LoginThrottle.filter(key=key, failures=failures).update(locked_until=at + wait)
    return wait


async def _left_without_roles(account: Account) -> bool:
    if account.resident_id is None:
        return False
    resident = await Resident.get_or_none(id=account.resident_id)
    return resident is not None and resident.status == 'left' and not await RoleGrant.exists(account_id=account.id)


def _phone(value: object) -> str:
    try:
        return normalize_phone(value)
    except ValueError as e:
        raise DomainError('invalid_phone', '手机号应为 11 位数字，以 1 开头') from e


# ---- the personal sign-in link ----

async def issue_login_link(actor: Principal, resident_id: int, *, at: datetime | None = None) -> str:
    """A new sign-in token for a resident (the previous one stops working); creates their account if missing.

    Errors: not_found, forbidden, resident_left, phone_in_use.
    """
    at = at or audit.now()
    resident = await codes.resident_for(actor, 'resident.issue_link', resident_id)
    if resident.status == 'left':
        raise DomainError('resident_left', '这位居民已迁出，不能发登录链接')
    async with in_transaction() as conn:
        await Resident.filter(id=resident.id).using_db(conn).update(login_version=F('login_version') + 1)
        await resident.refresh_from_db(using_db=conn)
        await accounts.account_for_resident(resident, conn)
        await audit.record('resident.login_link.issued', actor_id=actor.account_id,
                           community_id=resident.community_id, target=resident, at=at, using_db=conn)
    await events.publish('resident.login_link.issued', community_id=resident.community_id, resident_id=resident.id)
    return codes.login_token(resident, at=at)


async def redeem_login_link(token: str, *, at: datetime | None = None) -> Account:
    """Use a sign-in link once: the resident's account, signed in; a second use is refused.

    Errors: token_invalid, token_expired, token_revoked, resident_left, account_disabled, phone_in_use.
    """
    at = at or audit.now()
    resident, version = await codes.login_link_resident(token, at=at)
    async with in_transaction() as conn:
        used = await Resident.filter(id=resident.id, login_version=version).using_db(conn) \
            .update(login_version=F('login_version') + 1)
        if not used:  # someone else (a forwarded copy) got there first
            raise DomainError('token_revoked', '这个登录链接已用过或已作废，请向社区工作人员索取新的')
        account = await accounts.account_for_resident(resident, conn)
        if not account.is_active:
            raise DomainError('account_disabled', '这个账号已停用，请联系社区工作人员')
        account.last_login_at = at
        await account.save(update_fields=['last_login_at'], using_db=conn)
        await audit.record('resident.login_link.redeemed', actor_id=account.id, community_id=resident.community_id,
                           target=resident, at=at, using_db=conn)
    return account


# ---- PIN, password, preferences ----

async def set_pin(actor_account_id: int, pin: str, *, current_pin: str | None = None, reset: bool = False,
                  at: datetime | None = None) -> None:
    """Choose or change the six-digit PIN; changing needs the current one unless `reset` (just signed in by link).

    Errors: not_found, weak_pin, bad_current_pin.
    """
    account = await _account(actor_account_id)
    if problem := credentials.pin_problem(pin, phone=account.phone):
        raise DomainError('weak_pin', problem)
    if account.pin_hash and not reset and not await asyncio.to_thread(
            passwords.verify_secret, account.pin_hash, current_pin or ''):
        raise DomainError('bad_current_pin', '原来的数字密码不正确')
    account.pin_hash = await asyncio.to_thread(passwords.hash_secret, pin)
    async with in_transaction() as conn:
        await account.save(update_fields=['pin_hash'], using_db=conn)
        if account.phone:  # a fresh PIN lifts a lock earned by forgetting the old one
            await LoginThrottle.filter(key=f'pin:{account.phone}').using_db(conn).update(failures=0, locked_until=None)
        await audit.record('account.pin.set', actor_id=account.id, target=account, at=at, using_db=conn)


async def change_password(actor_account_id: int, current_password: str, new_password: str, *,
                          at: datetime | None = None) -> None:
    """Errors: not_found, bad_current_password, weak_password."""
    account = await _account(actor_account_id)
    if not await asyncio.to_thread(passwords.verify_secret, account.password_hash, current_password or ''):
        raise DomainError('bad_current_password', '原密码不正确')
    if problem := credentials.password_problem(new_password, phone=account.phone):
        raise DomainError('weak_password', problem)
    account.password_hash = await asyncio.to_thread(passwords.hash_secret, new_password)
    async with in_transaction() as conn:
        await account.save(update_fields=['password_hash'], using_db=conn)
        await audit.record('account.password.changed', actor_id=account.id, target=account, at=at, using_db=conn)


async def set_elder_mode(actor: Principal, on: bool) -> None:
    """Remember 大字模式 for this person on every phone they sign in with. Errors: not_found."""
    account = await _account(actor.account_id)
    account.elder_mode = bool(on)
    await account.save(update_fields=['elder_mode'])


async def set_language(actor: Principal, language: str) -> None:
    """Errors: not_found, invalid_language."""
    if language not in LANGUAGES:
        raise DomainError('invalid_language', '不支持这种语言')
    account = await _account(actor.account_id)
    account.language = language
    await account.save(update_fields=['language'])


async def _account(account_id: int | None) -> Account:
    account = await Account.get_or_none(id=account_id, is_active=True) if account_id is not None else None
    if account is None:
        raise DomainError('not_found', '请先登录')
    return account


# ---- self-registration from the community's poster ----

async def join_places(community_id: int) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(compound id, name, [(building id, name)]) for the self-registration form."""
    compounds = await Compound.filter(community_id=community_id).order_by('name').prefetch_related('buildings')
    return [(c.id, c.name, [(b.id, b.name) for b in sorted(c.buildings, key=lambda b: natural_key(b.name))])
            for c in sorted(compounds, key=lambda c: natural_key(c.name))]


async def register_self(token: str, name: str, phone: object, birth_year: object, compound_id: int | None,
                        building_id: int | None, room_text: str, pin: str, *, relation: str = 'owner',
                        at: datetime | None = None) -> Account:
    """A pending resident (staff verify later) and their account with this PIN, ready to sign in.

    Errors: token_invalid, token_revoked, invalid_name, invalid_phone, invalid_birth_year, invalid_place,
    invalid_room, invalid_relation, weak_pin, phone_taken.
    """
    at = at or audit.now()
    community = await codes.join_community(token)
    name = _text(name, MAX_NAME, 'invalid_name', '请填写姓名')
    phone = _phone(phone)
    try:
        year = parse_birth_year(birth_year, this_year=at.year)
    except ValueError as e:
        raise DomainError('invalid_birth_year', str(e)) from e
    compound = await Compound.get_or_none(id=compound_id, community_id=community.id) if compound_id else None
    building = await Building.get_or_none(id=building_id, compound_id=compound.id) \
        if compound is not None and building_id else None
    if building is None and await Compound.exists(community_id=community.id):
        raise DomainError('invalid_place', '请选择您住的小区和楼栋')
    room = _text(room_text, MAX_ROOM, 'invalid_room', '请填写房号，例如 2单元502')
    if relation not in RELATIONS:
        raise DomainError('invalid_relation', '请选择您是业主、家属还是租户')
    if problem := credentials.pin_problem(pin, phone=phone):
        raise DomainError('weak_pin', problem)
    if await Resident.exists(community_id=community.id, phone=phone) or await Account.exists(phone=phone):
        raise _phone_taken()
    rooms = [room, *filter(None, [parse_place(room, []).room])]  # '2单元502室' is household '502'
    household = await Household.filter(building_id=building.id, room__in=rooms).first() if building else None
    place = ' '.join(part for part in (compound and compound.name, building and building.name, room) if part)
    pin_hash = await asyncio.to_thread(passwords.hash_secret, pin)
    try:
        async with in_transaction() as conn:
            resident = await Resident.create(
                community_id=community.id, household=household, name=name, phone=phone, birth_year=year,
                relation=relation, status='pending', registered_room=place,
                using_db=conn)
            account = await Account.create(name=name, phone=phone, pin_hash=pin_hash, resident=resident,
                                           last_login_at=at, using_db=conn)
            await audit.record('resident.self_registered', actor_id=account.id, community_id=community.id,
                               target=resident, data={'room': place, 'matched': household is not None},
                               at=at, using_db=conn)
    except IntegrityError as e:  # the same phone registered a moment ago by a second tap or a second phone
        raise _phone_taken() from e
    await events.publish('resident.registered', community_id=community.id, resident_id=resident.id)
    return account


def _phone_taken() -> DomainError:
    return DomainError('phone_taken', '此手机号已登记，请直接登录或联系社区')


def _text(value: object, max_len: int, code: str, missing: str) -> str:
    try:
        text = clean_text(value, max_len=max_len)
    except ValueError as e:
        raise DomainError(code, str(e)) from e
    if not text:
        raise DomainError(code, missing)
    return text
