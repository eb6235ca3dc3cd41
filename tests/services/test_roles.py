"""Roles per community: only admins grant and revoke, a community always keeps an admin, every change is recorded."""
import pytest

from domain.errors import DomainError
from models import Account, AuditEntry, RoleGrant
from services import accounts, events, roles
from services.passwords import verify_secret
from tests.support import make_account, make_community, make_household, make_resident, principal_of


async def _admin_world():
    community = await make_community()
    admin = await make_account(community, 'admin', name='周主任')
    return community, admin, await principal_of(admin)


async def test_admin_creates_a_staff_account_that_signs_in_with_an_argon2_password(db) -> None:
    community, _, actor = await _admin_world()
    account = await roles.create_account(actor, community.id, name='李敏', phone='139 0000 1111',
                                         role='staff', password='chuanchai-2024')
    assert account.phone == '13900001111'
    assert account.password_hash.startswith('$argon2id$')
    assert 'chuanchai-2024' not in account.password_hash
    assert verify_secret(account.password_hash, 'chuanchai-2024')
    principal = await accounts.principal(account.id)
    assert principal.roles_in(community.id) == {'staff'}
    actions = await AuditEntry.filter(community_id=community.id).values_list('action', flat=True)
    assert sorted(actions) == ['account.created', 'role.granted']


@pytest.mark.parametrize(('field', 'value', 'code'), [
    ('name', '', 'invalid_name'),
    ('name', '名' * 41, 'invalid_name'),
    ('phone', '12345', 'invalid_phone'),
    ('password', 'short', 'weak_password'),
    ('password', 'aaaaaaaaaa', 'weak_password'),
    ('role', 'resident', 'role_not_grantable'),
    ('role', 'mayor', 'unknown_role'),
])
async def test_bad_input_for_a_new_account_is_refused_and_creates_nothing(db, field, value, code) -> None:
    community, _, actor = await _admin_world()
    data = {'name': '李敏', 'phone': '13900001111', 'role': 'staff', 'password': 'chuanchai-2024', field: value}
    with pytest.raises(DomainError) as e:
        await roles.create_account(actor, community.id, **data)
    assert e.value.code == code
    assert await Account.all().count() == 1  # only the admin
    assert not await AuditEntry.exists()


async def test_a_phone_that_already_has_an_account_is_refused(db) -> None:
    community, admin, actor = await _admin_world()
    with pytest.raises(DomainError) as e:
        await roles.create_account(actor, community.id, name='另一个人', phone=admin.phone, role='staff',
                                   password='chuanchai-2024')
    assert e.value.code == 'phone_taken'


@pytest.mark.parametrize('role', ['staff', 'committee', 'supervisor', 'volunteer', 'resident'])
async def test_only_an_admin_grants_roles(db, role) -> None:
    community = await make_community()
    other = await make_account(community, 'volunteer', name='刘志愿')
    if role == 'resident':
        resident = await make_resident(community)
        someone = await make_account(community, name=resident.name, resident=resident, password=None)
    else:
        someone = await make_account(community, role)
    actor = await principal_of(someone)
    with pytest.raises(DomainError) as e:
        await roles.grant(actor, other.id, community.id, 'staff')
    assert e.value.code == 'forbidden'
    with pytest.raises(DomainError) as e:
        await roles.create_account(actor, community.id, name='李敏', phone='13900001111', role='admin',
                                   password='chuanchai-2024')
    assert e.value.code == 'forbidden'
    with pytest.raises(DomainError) as e:
        await roles.members(actor, community.id)
    assert e.value.code == 'forbidden'
    assert not await RoleGrant.exists(account_id=other.id, role='staff')


async def test_an_admin_of_another_community_cannot_grant_here(db) -> None:
    here = await make_community('船柴社区')
    there = await make_community('夷陵社区')
    outsider = await principal_of(await make_account(there, 'admin'))
    staff = await make_account(here, 'volunteer')
    with pytest.raises(DomainError) as e:
        await roles.grant(outsider, staff.id, here.id, 'admin')
    assert e.value.code == 'forbidden'


async def test_granting_a_resident_volunteer_makes_their_account_and_publishes_the_event(db) -> None:
    community, admin, actor = await _admin_world()
    household = await make_household(community)
    resident = await make_resident(community, name='张桂兰', household=household)
    seen: list[events.Event] = []
    unsubscribe = events.subscribe('role.*', seen.append)
    try:
        grant = await roles.grant_to_resident(actor, resident.id, 'volunteer')
    finally:
        unsubscribe()
    account = await Account.get(resident_id=resident.id)
    assert grant.account_id == account.id and account.password_hash is None
    principal = await accounts.principal(account.id)
    assert principal.roles_in(community.id) == {'resident', 'volunteer'}
    assert [(e.name, e.payload) for e in seen] == [
        ('role.granted', {'community_id': community.id, 'account_id': account.id, 'role': 'volunteer'})]
    entry = await AuditEntry.get(action='role.granted')
    assert entry.actor_id == admin.id and entry.data == {'account_id': account.id, 'role': 'volunteer'}


async def test_granting_a_role_twice_changes_nothing(db) -> None:
    community, _, actor = await _admin_world()
    staff = await make_account(community, 'staff')
    first = await roles.grant(actor, staff.id, community.id, 'committee')
    second = await roles.grant(actor, staff.id, community.id, 'committee')
    assert first.id == second.id
    assert await AuditEntry.filter(action='role.granted').count() == 1


async def test_granting_the_resident_role_by_hand_is_refused(db) -> None:
    community, _, actor = await _admin_world()
    staff = await make_account(community, 'staff')
    with pytest.raises(DomainError) as e:
        await roles.grant(actor, staff.id, community.id, 'resident')
    assert e.value.code == 'role_not_grantable'


async def test_revoking_a_role_takes_it_away_and_is_audited(db) -> None:
    community, _, actor = await _admin_world()
    staff = await make_account(community, 'staff', 'committee')
    seen: list[events.Event] = []
    unsubscribe = events.subscribe('role.revoked', seen.append)
    try:
        await roles.revoke(actor, staff.id, community.id, 'committee')
    finally:
        unsubscribe()
    assert (await accounts.principal(staff.id)).roles_in(community.id) == {'staff'}
    assert await AuditEntry.filter(action='role.revoked', target_id=staff.id).count() == 1
    assert [e.payload['role'] for e in seen] == ['committee']


async def test_an_admin_cannot_remove_their_own_last_admin_role(db) -> None:
    community, admin, actor = await _admin_world()
    assert [e.code for e in await roles.revoke_blockers(actor, admin.id, community.id, 'admin')] == ['last_admin']
    with pytest.raises(DomainError) as e:
        await roles.revoke(actor, admin.id, community.id, 'admin')
    assert e.value.code == 'last_admin'
    assert '唯一的管理员' in e.value.message
    assert await RoleGrant.exists(account_id=admin.id, role='admin')
    assert not await AuditEntry.exists(action='role.revoked')


async def test_with_a_second_admin_an_admin_may_step_down(db) -> None:
    community, admin, actor = await _admin_world()
    second = await make_account(community, 'admin', name='钱副主任')
    assert await roles.revoke_blockers(actor, admin.id, community.id, 'admin') == []
    await roles.revoke(actor, admin.id, community.id, 'admin')
    assert not await RoleGrant.exists(account_id=admin.id, role='admin')
    # now the other one is the last admin and keeps the community administered
    with pytest.raises(DomainError) as e:
        await roles.revoke(await principal_of(second), second.id, community.id, 'admin')
    assert e.value.code == 'last_admin'


async def test_admin_roles_in_another_community_do_not_count_as_a_spare_admin(db) -> None:
    community, admin, actor = await _admin_world()
    there = await make_community('夷陵社区')
    await make_account(there, 'admin', name='外社区管理员')
    with pytest.raises(DomainError) as e:
        await roles.revoke(actor, admin.id, community.id, 'admin')
    assert e.value.code == 'last_admin'


async def test_members_lists_accounts_with_roles_here_admins_first_with_full_phones(db) -> None:
    community, _, actor = await _admin_world()
    staff = await make_account(community, 'staff', 'committee', name='李敏', phone='13911112222')
    elsewhere = await make_community('夷陵社区')
    await make_account(elsewhere, 'staff', name='外社区')
    rows = await roles.members(actor, community.id)
    assert [(m.name, m.roles) for m in rows] == [('周主任', ('admin',)), ('李敏', ('staff', 'committee'))]
    assert rows[1].phone == '13911112222' and rows[1].account_id == staff.id


async def test_search_finds_residents_of_this_community_only(db) -> None:
    community, _, actor = await _admin_world()
    household = await make_household(community, room='302')
    await make_resident(community, name='张桂兰', household=household)
    elsewhere = await make_community('夷陵社区')
    await make_resident(elsewhere, name='张大爷')
    await make_resident(community, name='张新来', phone='13655556666')  # registered, no household yet
    found = await roles.search(actor, community.id, '张')
    assert sorted((c.kind, c.name, c.detail) for c in found) == [('resident', '张新来', ''),
                                                                  ('resident', '张桂兰', '嘉明花园 1栋 302')]
    assert [c.name for c in await roles.search(actor, community.id, '302')] == ['张桂兰']
    assert [c.name for c in await roles.search(actor, community.id, '5555')] == ['张新来']
    assert await roles.search(actor, community.id, '  ') == []


async def test_a_resident_who_already_has_a_staff_account_with_their_phone_keeps_one_account(db) -> None:
    community, _, actor = await _admin_world()
    staff = await make_account(community, 'staff', name='李敏', phone='13911112222')
    resident = await make_resident(community, name='李敏', phone='13911112222')
    await roles.grant_to_resident(actor, resident.id, 'volunteer')
    assert await Account.filter(phone='13911112222').count() == 1
    linked = await Account.get(id=staff.id)
    assert linked.resident_id == resident.id
    assert (await accounts.principal(staff.id)).roles_in(community.id) == {'resident', 'staff', 'volunteer'}


async def test_a_phone_used_by_another_residents_account_is_refused_and_changes_nothing(db) -> None:
    community, _, _ = await _admin_world()
    first = await make_resident(community, name='张桂兰', phone='13911112222')
    await make_account(community, name='张桂兰', resident=first, password=None)
    elsewhere = await make_community('夷陵社区')
    second = await make_resident(elsewhere, name='张二', phone='13911112222')
    other_admin = await principal_of(await make_account(elsewhere, 'admin'))
    with pytest.raises(DomainError) as e:
        await roles.grant_to_resident(other_admin, second.id, 'volunteer')
    assert e.value.code == 'phone_in_use'
    assert not await RoleGrant.exists(role='volunteer')
    assert not await Account.exists(resident_id=second.id)


async def test_a_resident_who_left_cannot_be_given_a_role(db) -> None:
    community, _, actor = await _admin_world()
    resident = await make_resident(community, name='王搬走', status='left')
    with pytest.raises(DomainError) as e:
        await roles.grant_to_resident(actor, resident.id, 'volunteer')
    assert e.value.code == 'not_found'
