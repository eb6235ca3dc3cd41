from datetime import UTC, datetime

import pytest

from domain.errors import DomainError
from models import Account, AuditEntry, Compound, Resident, ResidentTag, RoleGrant
from services import events, people
from tests.support import make_account, make_community, make_household, make_resident, principal_of

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


async def _actor(community, role: str = 'staff'):
    return await principal_of(await make_account(community, role))


async def _error(call) -> DomainError:
    with pytest.raises(DomainError) as info:
        await call
    return info.value


async def test_staff_registers_a_resident_with_tags_and_the_event_is_published(db) -> None:
    community = await make_community()
    household = await make_household(community)
    staff = await _actor(community)
    seen = []
    unsubscribe = events.subscribe('resident.*', lambda e: seen.append(e.name))
    try:
        resident = await people.create_resident(staff, community.id, name=' 张桂兰 ', phone='+86 139-1234-5678',
                                                birth_year='1956', relation='owner', household_id=household.id,
                                                tags=['居民代表', '党员'], at=AT)
    finally:
        unsubscribe()
    assert (resident.name, resident.phone, resident.birth_year, resident.status) == ('张桂兰', '13912345678', 1956,
                                                                                     'pending')
    assert set(await ResidentTag.filter(resident=resident).values_list('tag', flat=True)) == {'居民代表', '党员'}
    assert seen == ['resident.created']
    entry = await AuditEntry.get(action='resident.created')
    assert entry.data['phone'] == '139****5678'  # the audit log keeps no full phone numbers


async def test_a_duplicate_phone_in_the_community_is_refused(db) -> None:
    community = await make_community()
    await make_resident(community, name='张桂兰', phone='13912345678')
    staff = await _actor(community)
    error = await _error(people.create_resident(staff, community.id, name='李四', phone='139 1234 5678'))
    assert error.code == 'phone_taken' and '张桂兰' in error.message
    assert await Resident.all().count() == 1


async def test_the_same_phone_may_live_in_another_community(db) -> None:
    other = await make_community(name='铁路坝社区')
    await make_resident(other, phone='13912345678')
    community = await make_community()
    staff = await _actor(community)
    resident = await people.create_resident(staff, community.id, name='李四', phone='13912345678')
    assert resident.community_id == community.id


async def test_changing_a_phone_to_one_already_taken_changes_nothing(db) -> None:
    community = await make_community()
    await make_resident(community, name='张桂兰', phone='13912345678')
    other = await make_resident(community, name='李四', phone='13987654321')
    staff = await _actor(community)
    error = await _error(people.update_resident(staff, other.id, name='李四', phone='13912345678', birth_year='',
                                                relation='owner', household_id=None))
    assert error.code == 'phone_taken'
    assert (await Resident.get(id=other.id)).phone == '13987654321'


async def test_a_changed_phone_follows_to_the_residents_sign_in_account(db) -> None:
    community = await make_community()
    resident = await make_resident(community, phone='13912345678')
    await make_account(community, resident=resident, password=None)
    staff = await _actor(community)
    await people.update_resident(staff, resident.id, name=resident.name, phone='13900001111', birth_year='1956',
                                 relation='owner', household_id=None)
    assert await Account.exists(resident_id=resident.id, phone='13900001111')


@pytest.mark.parametrize('field, value, code', [
    ('name', '', 'invalid_name'), ('name', '张' * 41, 'invalid_name'), ('phone', '12345', 'invalid_phone'),
    ('birth_year', '1850', 'invalid_birth_year'), ('birth_year', '五六年', 'invalid_birth_year'),
    ('relation', 'boss', 'invalid_choice'), ('household_id', 999999, 'invalid_household')])
async def test_bad_input_is_refused_with_a_stable_code(db, field, value, code) -> None:
    community = await make_community()
    staff = await _actor(community)
    values = {'name': '张桂兰', 'phone': '', 'birth_year': '', 'relation': 'owner', 'household_id': None,
              field: value}
    assert (await _error(people.create_resident(staff, community.id, **values, at=AT))).code == code
    assert not await Resident.exists()


async def test_unknown_tags_are_refused_and_known_ones_replace_the_old_set(db) -> None:
    community = await make_community()
    resident = await make_resident(community)
    staff = await _actor(community)
    assert (await _error(people.set_tags(staff, resident.id, ['党员', '楼长']))).code == 'invalid_tag'
    assert await people.set_tags(staff, resident.id, ['志愿者', '党员']) == ['党员', '志愿者']
    assert await people.set_tags(staff, resident.id, ['党员中心户']) == ['党员中心户']
    assert list(await ResidentTag.filter(resident=resident).values_list('tag', flat=True)) == ['党员中心户']


async def test_verification_records_when_and_who(db) -> None:
    community = await make_community()
    household = await make_household(community)
    pending = await make_resident(community, status='pending')
    account = await make_account(community, 'staff')
    staff = await principal_of(account)
    seen = []
    unsubscribe = events.subscribe('resident.verified', lambda e: seen.append(e.payload['resident_id']))
    try:
        resident = await people.verify(staff, pending.id, household_id=household.id, at=AT)
    finally:
        unsubscribe()
    assert (resident.status, resident.verified_at, resident.household_id) == ('verified', AT, household.id)
    entry = await AuditEntry.get(action='resident.verified')
    assert entry.actor_id == account.id and entry.target_id == pending.id
    assert seen == [pending.id]
    assert (await _error(people.verify(staff, pending.id))).code == 'already_verified'


@pytest.mark.parametrize('role', ['committee', 'supervisor', 'volunteer'])
async def test_only_staff_and_admins_verify_and_edit(db, role) -> None:
    community = await make_community()
    pending = await make_resident(community, status='pending')
    actor = await _actor(community, role)
    assert (await _error(people.verify(actor, pending.id))).code == 'forbidden'
    assert (await _error(people.set_tags(actor, pending.id, ['党员']))).code == 'forbidden'
    assert (await _error(people.mark_left(actor, pending.id))).code == 'forbidden'
    assert (await Resident.get(id=pending.id)).status == 'pending'


async def test_moving_away_revokes_links_and_codes_and_keeps_the_record(db) -> None:
    community = await make_community()
    household = await make_household(community)
    resident = await make_resident(community, household=household)
    staff = await _actor(community)
    left = await people.mark_left(staff, resident.id, at=AT)
    assert (left.status, left.household_id, left.code_version, left.login_version) == ('left', None, 2, 2)
    assert (await AuditEntry.get(action='resident.left')).data == {'household_id': household.id}
    assert (await _error(people.mark_left(staff, resident.id))).code == 'already_left'
    assert (await _error(people.verify(staff, resident.id))).code == 'resident_left'


async def test_rejecting_a_self_registration_removes_it_and_its_account_but_not_staff_accounts(db) -> None:
    community = await make_community()
    pending = await make_resident(community, status='pending', phone='13955556666')
    await Account.create(name='乱填', phone='13955556666', resident=pending)
    staff = await _actor(community)
    await people.reject_registration(staff, pending.id, reason='不是本社区居民', at=AT)
    assert not await Resident.exists(id=pending.id) and not await Account.exists(phone='13955556666')
    colleague = await make_resident(community, status='pending', phone='13977778888')
    account = await make_account(community, 'volunteer', resident=colleague)
    await people.reject_registration(staff, colleague.id)
    assert await Account.exists(id=account.id) and await RoleGrant.exists(account_id=account.id)
    verified = await make_resident(community)
    assert (await _error(people.reject_registration(staff, verified.id))).code == 'not_pending'


async def test_search_by_name_phone_room_with_filters_and_pages(db) -> None:
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    zhang = await make_resident(community, name='张桂兰', household=household, phone='13912345678')
    await make_resident(community, name='张三', phone='13900000001', status='pending')
    await make_resident(community, name='李走了', status='left')
    for n in range(25):
        await make_resident(community, name=f'王{n:02d}')
    staff = await _actor(community)
    search = people.search
    assert [r.id for r in (await search(staff, community.id, query='3栋402')).rows] == [zhang.id]
    assert [r.id for r in (await search(staff, community.id, query='嘉明花园3栋402')).rows] == [zhang.id]
    assert [r.id for r in (await search(staff, community.id, query='5678')).rows] == [zhang.id]
    assert {r.name for r in (await search(staff, community.id, query='张')).rows} == {'张桂兰', '张三'}
    assert (await search(staff, community.id, query='张', status='pending')).total == 1
    assert (await search(staff, community.id, query='走了')).total == 0  # moved away: only when asked
    assert (await search(staff, community.id, status='left')).total == 1
    await people.set_tags(staff, zhang.id, ['党员'])
    assert [r.name for r in (await search(staff, community.id, tag='党员')).rows] == ['张桂兰']
    compound = await Compound.get(name='嘉明花园')
    assert [r.name for r in (await search(staff, community.id, compound_id=compound.id)).rows] == ['张桂兰']
    page = await search(staff, community.id, query='王', page=2)
    assert (page.total, page.page, page.pages, len(page.rows)) == (25, 2, 2, 5)
    assert (await search(staff, community.id, query='王', page=99)).page == 2


async def test_search_masks_phones_for_readers_who_are_not_staff(db) -> None:
    community = await make_community()
    await make_resident(community, name='张桂兰', phone='13912345678')
    committee = await _actor(community, 'committee')
    staff = await _actor(community)
    assert (await people.search(committee, community.id)).rows[0].phone == '139****5678'
    assert (await people.search(staff, community.id)).rows[0].phone == '13912345678'
    assert (await people.detail(committee, (await Resident.get(name='张桂兰')).id)).phone == '139****5678'


async def test_pending_lists_self_registrations_with_the_room_they_typed(db) -> None:
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    typed = await Resident.create(community=community, name='刘新', phone='13955556666', status='pending',
                                  registered_room='嘉明花园 3栋 402室')
    await make_resident(community, name='已核验')
    staff = await _actor(community)
    rows = await people.pending(staff, community.id)
    assert [(r.id, r.registered_room, r.suggested_household_id) for r in rows] == [
        (typed.id, '嘉明花园 3栋 402室', household.id)]
    assert await people.pending_count(staff, community.id) == 1
