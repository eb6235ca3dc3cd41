"""Signing in, lockout, sign-in links, PINs and self-registration against a real database."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain import lockout, tokens
from domain.errors import DomainError
from models import Account, AuditEntry, LoginThrottle, Resident
from services import auth, codes, passwords
from tests.support import make_account, make_community, make_household, make_resident, principal_of

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
PIN = '482719'


async def _error(coro) -> DomainError:
    with pytest.raises(DomainError) as e:
        await coro
    return e.value


async def _resident_with_pin(community, *, pin: str = PIN, phone: str = '13912345678', **kw) -> Account:
    resident = await make_resident(community, phone=phone, **kw)
    account = await make_account(community, name=resident.name, resident=resident, password=None)
    account.pin_hash = passwords.hash_secret(pin)
    await account.save()
    return account


# ---- passwords ----

async def test_staff_sign_in_with_phone_and_password(db) -> None:
    community = await make_community()
    staff = await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    account = await auth.sign_in_with_password('138 0000 1111', 'correct horse 42', at=T0)
    assert account.id == staff.id
    assert (await Account.get(id=staff.id)).last_login_at == T0


async def test_wrong_password_and_unknown_phone_get_the_same_message(db) -> None:
    community = await make_community()
    await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    wrong = await _error(auth.sign_in_with_password('13800001111', 'wrong horse 42', at=T0))
    unknown = await _error(auth.sign_in_with_password('13800002222', 'correct horse 42', at=T0))
    assert wrong.code == unknown.code == 'bad_credentials'
    assert wrong.message == unknown.message == '手机号或密码不正确'


async def test_a_resident_account_without_a_password_cannot_sign_in_with_one(db) -> None:
    community = await make_community()
    await _resident_with_pin(community)
    assert (await _error(auth.sign_in_with_password('13912345678', '', at=T0))).code == 'bad_credentials'


async def test_a_malformed_phone_is_explained_not_counted(db) -> None:
    error = await _error(auth.sign_in_with_password('12345', 'whatever', at=T0))
    assert error.code == 'invalid_phone'
    assert await LoginThrottle.all().count() == 0


async def test_a_disabled_account_cannot_sign_in(db) -> None:
    community = await make_community()
    staff = await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    staff.is_active = False
    await staff.save()
    assert (await _error(auth.sign_in_with_password('13800001111', 'correct horse 42', at=T0))).code == \
        'bad_credentials'


# ---- lockout ----

async def test_ten_wrong_pins_lock_the_phone_and_even_the_right_pin_is_refused_until_the_lock_ends(db) -> None:
    community = await make_community()
    await _resident_with_pin(community)
    at = T0
    for attempt in range(1, 11):
        error = await _error(auth.sign_in_with_pin('13912345678', '000001', at=at))
        assert error.code == ('locked' if lockout.wait_after(attempt) else 'bad_credentials')
        at += lockout.wait_after(attempt)  # wait out each backoff, as a patient guesser would
    assert error.code == 'locked'
    assert '480 分钟' in error.message  # 15 min · 2⁵ = 8 h
    at -= timedelta(hours=1)
    locked = await _error(auth.sign_in_with_pin('13912345678', PIN, at=at))
    assert locked.code == 'locked'
    assert locked.message == '错误次数太多，请 60 分钟后再试'
    throttle = await LoginThrottle.get(key='pin:13912345678')
    assert throttle.failures == 10  # refused attempts while locked are not checked, so not counted


async def test_a_correct_pin_after_the_lock_signs_in_and_resets_the_counter(db) -> None:
    community = await make_community()
    account = await _resident_with_pin(community)
    at = T0
    for attempt in range(1, 6):
        await _error(auth.sign_in_with_pin('13912345678', '000001', at=at))
        at += lockout.wait_after(attempt)
    assert (await auth.sign_in_with_pin('13912345678', PIN, at=at)).id == account.id
    throttle = await LoginThrottle.get(key='pin:13912345678')
    assert (throttle.failures, throttle.locked_until) == (0, None)
    # a fresh start: the next mistake costs nothing
    assert (await _error(auth.sign_in_with_pin('13912345678', '000001', at=at))).code == 'bad_credentials'


async def test_the_third_wrong_password_makes_the_next_try_wait_thirty_seconds(db) -> None:
    community = await make_community()
    await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    for _ in range(2):
        assert (await _error(auth.sign_in_with_password('13800001111', 'nope nope 1', at=T0))).code == \
            'bad_credentials'
    third = await _error(auth.sign_in_with_password('13800001111', 'nope nope 1', at=T0))
    assert (third.code, third.message) == ('locked', '手机号或密码不正确，错误次数太多，请 30 秒后再试')
    waiting = await _error(auth.sign_in_with_password('13800001111', 'correct horse 42', at=T0 + timedelta(seconds=29)))
    assert waiting.code == 'locked'
    account = await auth.sign_in_with_password('13800001111', 'correct horse 42', at=T0 + timedelta(seconds=30))
    assert account.phone == '13800001111'


async def test_unknown_phones_are_throttled_too(db) -> None:
    for _ in range(3):
        await _error(auth.sign_in_with_pin('13700000000', '000001', at=T0))
    assert (await LoginThrottle.get(key='pin:13700000000')).failures == 3


async def test_password_and_pin_failures_are_counted_apart(db) -> None:
    community = await make_community()
    await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    for _ in range(3):
        await _error(auth.sign_in_with_pin('13800001111', '000001', at=T0))
    assert (await auth.sign_in_with_password('13800001111', 'correct horse 42', at=T0)).phone == '13800001111'


async def test_two_wrong_attempts_at_the_same_moment_both_count(db) -> None:
    community = await make_community()
    await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    results = await asyncio.gather(
        auth.sign_in_with_password('13800001111', 'wrong one 111', at=T0),
        auth.sign_in_with_password('13800001111', 'wrong two 222', at=T0),
        return_exceptions=True)
    assert all(isinstance(r, DomainError) and r.code == 'bad_credentials' for r in results)
    assert (await LoginThrottle.get(key='pw:13800001111')).failures == 2


async def test_a_quiet_day_after_old_mistakes_starts_the_count_afresh(db) -> None:
    community = await make_community()
    await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    for _ in range(2):
        await _error(auth.sign_in_with_password('13800001111', 'typo typo 1', at=T0))
    later = T0 + timedelta(days=2)
    assert (await _error(auth.sign_in_with_password('13800001111', 'typo typo 1', at=later))).code == \
        'bad_credentials'
    assert (await LoginThrottle.get(key='pw:13800001111')).failures == 1


# ---- PIN ----

async def test_a_pin_is_six_digits_and_not_a_trivial_one(db) -> None:
    community = await make_community()
    account = await _resident_with_pin(community)
    for pin in ('12345', '1234567', 'abcdef', '123456', '111111', '345678'):
        assert (await _error(auth.set_pin(account.id, pin, current_pin=PIN))).code == 'weak_pin'
    assert passwords.verify_secret((await Account.get(id=account.id)).pin_hash, PIN)


async def test_changing_the_pin_needs_the_current_one_unless_just_signed_in_by_link(db) -> None:
    community = await make_community()
    account = await _resident_with_pin(community)
    assert (await _error(auth.set_pin(account.id, '593017', current_pin='000001'))).code == 'bad_current_pin'
    assert (await _error(auth.set_pin(account.id, '593017'))).code == 'bad_current_pin'
    await auth.set_pin(account.id, '593017', current_pin=PIN)
    await auth.set_pin(account.id, '604128', reset=True)
    assert (await auth.sign_in_with_pin('13912345678', '604128', at=T0)).id == account.id


async def test_a_malformed_pin_at_sign_in_is_explained(db) -> None:
    assert (await _error(auth.sign_in_with_pin('13912345678', '12ab', at=T0))).code == 'invalid_pin'


async def test_a_resident_who_left_cannot_sign_in_with_the_pin(db) -> None:
    community = await make_community()
    account = await _resident_with_pin(community, status='left')
    assert account.resident_id is not None
    assert (await _error(auth.sign_in_with_pin('13912345678', PIN, at=T0))).code == 'resident_left'


async def test_changing_a_password_checks_the_old_one_and_the_strength(db) -> None:
    community = await make_community()
    staff = await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    assert (await _error(auth.change_password(staff.id, 'wrong', 'new password 9'))).code == 'bad_current_password'
    assert (await _error(auth.change_password(staff.id, 'correct horse 42', 'short'))).code == 'weak_password'
    await auth.change_password(staff.id, 'correct horse 42', 'new password 9')
    assert (await auth.sign_in_with_password('13800001111', 'new password 9', at=T0)).id == staff.id


# ---- sign-in links ----

async def _staff_and_resident(**resident_kw):
    community = await make_community()
    staff = await principal_of(await make_account(community, 'staff'))
    resident = await make_resident(community, phone='13912345678', **resident_kw)
    return community, staff, resident


async def test_a_sign_in_link_signs_in_once_and_creates_the_account(db) -> None:
    _, staff, resident = await _staff_and_resident()
    token = await auth.issue_login_link(staff, resident.id, at=T0)
    account = await auth.redeem_login_link(token, at=T0 + timedelta(minutes=5))
    assert (account.resident_id, account.phone, account.name) == (resident.id, '13912345678', resident.name)
    assert account.password_hash is None and account.pin_hash is None
    again = await _error(auth.redeem_login_link(token, at=T0 + timedelta(minutes=6)))
    assert again.code == 'token_revoked'
    assert '索取新的' in again.message
    assert await AuditEntry.filter(action='resident.login_link.issued', target_id=resident.id).count() == 1


async def test_issuing_a_new_link_revokes_the_previous_one(db) -> None:
    _, staff, resident = await _staff_and_resident()
    first = await auth.issue_login_link(staff, resident.id, at=T0)
    second = await auth.issue_login_link(staff, resident.id, at=T0)
    assert (await _error(auth.redeem_login_link(first, at=T0))).code == 'token_revoked'
    assert (await auth.redeem_login_link(second, at=T0)).resident_id == resident.id
    assert await Account.filter(resident_id=resident.id).count() == 1


async def test_two_people_opening_a_forwarded_link_at_once_get_in_only_once(db) -> None:
    _, staff, resident = await _staff_and_resident()
    token = await auth.issue_login_link(staff, resident.id, at=T0)
    results = await asyncio.gather(auth.redeem_login_link(token, at=T0), auth.redeem_login_link(token, at=T0),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ['Account', 'DomainError']


async def test_a_sign_in_link_expires_after_fourteen_days(db) -> None:
    _, staff, resident = await _staff_and_resident()
    token = await auth.issue_login_link(staff, resident.id, at=T0)
    late = T0 + tokens.LOGIN_LINK_LIFETIME + timedelta(seconds=1)
    assert (await _error(auth.redeem_login_link(token, at=late))).code == 'token_expired'


async def test_a_resident_who_left_cannot_use_a_link(db) -> None:
    _, staff, resident = await _staff_and_resident()
    token = await auth.issue_login_link(staff, resident.id, at=T0)
    await Resident.filter(id=resident.id).update(status='left')
    assert (await _error(auth.redeem_login_link(token, at=T0))).code == 'resident_left'
    assert (await _error(auth.issue_login_link(staff, resident.id, at=T0))).code == 'resident_left'


async def test_only_staff_of_the_residents_community_issue_links(db) -> None:
    community, _, resident = await _staff_and_resident()
    other = await make_community('黄河社区')
    outsider = await principal_of(await make_account(other, 'staff'))
    volunteer = await principal_of(await make_account(community, 'volunteer'))
    for actor in (outsider, volunteer):
        assert (await _error(auth.issue_login_link(actor, resident.id, at=T0))).code == 'forbidden'


async def test_a_tampered_link_is_invalid(db) -> None:
    _, staff, resident = await _staff_and_resident()
    token = await auth.issue_login_link(staff, resident.id, at=T0)
    assert (await _error(auth.redeem_login_link(token[:-2] + 'xy', at=T0))).code == 'token_invalid'


async def test_a_staff_member_who_lives_here_gets_the_link_on_their_existing_account(db) -> None:
    community = await make_community()
    staff_account = await make_account(community, 'staff', phone='13912345678')
    staff = await principal_of(staff_account)
    resident = await make_resident(community, phone='13912345678')
    token = await auth.issue_login_link(staff, resident.id, at=T0)
    account = await auth.redeem_login_link(token, at=T0)
    assert account.id == staff_account.id and account.resident_id == resident.id


# ---- personal code ----

async def test_a_personal_code_resolves_to_its_resident(db) -> None:
    community, _, resident = await _staff_and_resident()
    token = codes.personal_code(resident)
    assert str(resident.id) not in token.split('.')[1]
    assert (await codes.resolve_code(token, community_id=community.id)).id == resident.id


async def test_a_tampered_personal_code_is_invalid(db) -> None:
    community, _, resident = await _staff_and_resident()
    neighbour = await make_resident(community, name='李建国')
    token = codes.personal_code(resident)
    body = f'{{"c":{community.id},"r":{neighbour.id},"v":1}}'.encode()
    forged = tokens._b64(body) + '.' + token.split('.')[1]  # the neighbour's id under this resident's signature
    assert (await _error(codes.resolve_code(forged))).code == 'token_invalid'


async def test_a_revoked_personal_code_is_refused_and_the_new_one_works(db) -> None:
    _, staff, resident = await _staff_and_resident()
    old = codes.personal_code(resident)
    resident = await codes.revoke_code(staff, resident.id)
    assert (await _error(codes.resolve_code(old))).code == 'token_revoked'
    assert (await codes.resolve_code(codes.personal_code(resident))).id == resident.id


async def test_a_personal_code_from_another_community_is_refused(db) -> None:
    _, _, resident = await _staff_and_resident()
    other = await make_community('黄河社区')
    error = await _error(codes.resolve_code(codes.personal_code(resident), community_id=other.id))
    assert error.code == 'wrong_community'


# ---- self-registration ----

async def _join(community, **overrides):
    household = await make_household(community, compound='嘉明花园', building='3栋', room='502')
    building = await household.building
    values = dict(name='刘芳', phone='13611112222', birth_year='1961', compound_id=building.compound_id,
                  building_id=building.id, room_text='502', pin='593017')
    values.update(overrides)
    token = codes.join_token(community)
    return household, await auth.register_self(token, values.pop('name'), values.pop('phone'),
                                               values.pop('birth_year'), values.pop('compound_id'),
                                               values.pop('building_id'), values.pop('room_text'),
                                               values.pop('pin'), at=T0, **values)


async def test_self_registration_creates_a_pending_resident_in_the_matching_household(db) -> None:
    community = await make_community()
    household, account = await _join(community)
    resident = await Resident.get(id=account.resident_id)
    assert (resident.status, resident.household_id, resident.registered_room) == ('pending', household.id,
                                                                                  '嘉明花园 3栋 502')
    assert (resident.birth_year, resident.phone) == (1961, '13611112222')
    assert (await auth.sign_in_with_pin('13611112222', '593017', at=T0)).id == account.id
    principal = await principal_of(account)
    assert principal.resident_id == resident.id and not principal.verified


async def test_self_registration_keeps_an_unknown_room_as_typed(db) -> None:
    community = await make_community()
    _, account = await _join(community, room_text='9单元909室')
    resident = await Resident.get(id=account.resident_id)
    assert resident.household_id is None and resident.registered_room == '嘉明花园 3栋 9单元909室'


async def test_a_phone_already_registered_in_the_community_is_refused(db) -> None:
    community = await make_community()
    await make_resident(community, phone='13611112222')
    with pytest.raises(DomainError) as e:
        await _join(community)
    assert (e.value.code, e.value.message) == ('phone_taken', '此手机号已登记，请直接登录或联系社区')
    assert await Resident.filter(phone='13611112222').count() == 1


async def test_a_revoked_join_poster_is_refused(db) -> None:
    community = await make_community()
    token = codes.join_token(community)
    admin = await principal_of(await make_account(community, 'admin'))
    await codes.revoke_join(admin, community.id)
    error = await _error(auth.register_self(token, '刘芳', '13611112222', '1961', None, None, '502', '593017', at=T0))
    assert error.code == 'token_revoked'
    assert await Resident.all().count() == 0


@pytest.mark.parametrize(('field', 'value', 'code'), [
    ('name', '', 'invalid_name'),
    ('name', '刘' * 41, 'invalid_name'),
    ('phone', '1361111', 'invalid_phone'),
    ('birth_year', '61', 'invalid_birth_year'),
    ('building_id', None, 'invalid_place'),
    ('room_text', '', 'invalid_room'),
    ('pin', '123456', 'weak_pin'),
    ('relation', 'landlord', 'invalid_relation'),
])
async def test_bad_self_registration_input_is_explained_and_changes_nothing(db, field, value, code) -> None:
    community = await make_community()
    with pytest.raises(DomainError) as e:
        await _join(community, **{field: value})
    assert e.value.code == code
    assert await Resident.all().count() == 0 and await Account.all().count() == 0


async def test_a_building_of_another_community_is_refused(db) -> None:
    community = await make_community()
    other = await make_community('黄河社区')
    foreign = await (await make_household(other, compound='黄河小区', building='1栋', room='101')).building
    with pytest.raises(DomainError) as e:
        await _join(community, compound_id=foreign.compound_id, building_id=foreign.id)
    assert e.value.code == 'invalid_place'


async def test_html_in_a_name_is_kept_as_typed(db) -> None:
    community = await make_community()
    _, account = await _join(community, name='<b>刘芳</b>')
    assert (await Resident.get(id=account.resident_id)).name == '<b>刘芳</b>'

