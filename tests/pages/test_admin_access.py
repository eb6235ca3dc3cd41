"""Admin screens for API keys and roles: only admins get in; a new key is shown once; roles change through dialogs."""
import pytest
from nicegui import ui
from nicegui.testing import User

from models import Account, ApiKey, RoleGrant
from services import accounts, apikeys, roles
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in


async def _admin(user: User, name: str = '周主任'):
    community = await make_community()
    admin = await make_account(community, 'admin', name=name, phone='13900000001')
    await sign_in(user, admin)
    return community, admin


async def test_admin_creates_a_key_and_sees_it_once(user: User) -> None:
    community, _ = await _admin(user)
    await user.open('/admin/api-keys')
    await user.should_see('还没有接口密钥')
    user.find(marker='key-name').type('12345 热线对接')
    user.find(marker='key-create').click()
    await user.should_see('请现在复制并妥善保存', retries=20)
    full_key = user.find(marker='full-key').elements.pop().text
    assert full_key.startswith('gs_')
    row = await ApiKey.get(community_id=community.id)
    assert full_key.startswith(f'gs_{row.prefix}_')
    user.find(marker='key-copy').click()
    await user.should_see('已复制')
    user.find(marker='key-close').click()
    await user.should_not_see(marker='full-key')
    await user.should_see('12345 热线对接')
    await user.should_see(f'gs_{row.prefix}…')
    await user.should_see('从未使用')
    await user.open('/admin/api-keys')  # coming back: the prefix only, never the key
    await user.should_see(f'gs_{row.prefix}…')
    await user.should_not_see(full_key)
    assert (await apikeys.authenticate(full_key)).id == row.id


async def test_a_key_without_a_name_is_refused_with_a_message(user: User) -> None:
    await _admin(user)
    await user.open('/admin/api-keys')
    user.find(marker='key-create').click()
    await user.should_see('请填写用途')
    assert not await ApiKey.exists()


async def test_admin_revokes_a_key_after_confirming(user: User) -> None:
    community, admin = await _admin(user)
    row, _ = await apikeys.create(await principal_of(admin), community.id, '旧系统')
    await user.open('/admin/api-keys')
    await user.should_see('有效')
    user.find(marker=f'revoke-key-{row.id}').click()
    await user.should_see('吊销密钥“旧系统”？')
    user.find('取消').click()
    await user.should_not_see('吊销密钥“旧系统”？')
    assert (await ApiKey.get(id=row.id)).revoked_at is None
    user.find(marker=f'revoke-key-{row.id}').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see('密钥已吊销')
    await user.should_see('已吊销')
    assert (await ApiKey.get(id=row.id)).revoked_at is not None


@pytest.mark.parametrize('path', ['/admin/api-keys', '/admin/roles'])
@pytest.mark.parametrize('role', ['staff', 'committee', 'supervisor', 'volunteer'])
async def test_other_roles_get_no_permission(user: User, path: str, role: str) -> None:
    community = await make_community()
    someone = await make_account(community, role, name='李敏')
    await apikeys.create(await principal_of(await make_account(community, 'admin')), community.id, '对接')
    await sign_in(user, someone)
    await user.open(path)
    await user.should_see('没有权限')
    await user.should_not_see('对接')
    await user.should_not_see(marker='key-create')
    await user.should_not_see(marker='open-create')


@pytest.mark.parametrize('path', ['/admin/api-keys', '/admin/roles'])
async def test_a_visitor_is_sent_to_sign_in_first(user: User, path: str) -> None:
    await user.open(path)
    await user.should_see('工作人员')  # the sign-in page's staff tab
    await user.should_not_see(marker='key-create')
    await user.should_not_see(marker='open-create')


async def test_roles_page_lists_people_with_full_phones_for_the_admin(user: User) -> None:
    community, _ = await _admin(user)
    await make_account(community, 'staff', 'committee', name='李敏', phone='13911112222')
    await user.open('/admin/roles')
    await user.should_see('周主任')
    await user.should_see('李敏')
    await user.should_see('13911112222')
    await user.should_see('两委成员')
    await user.should_see('您是本社区唯一的管理员', retries=5)  # the reason the own admin role cannot be revoked


async def test_admin_creates_a_staff_account_through_the_dialog(user: User) -> None:
    community, _ = await _admin(user)
    await user.open('/admin/roles')
    user.find(marker='open-create').click()
    user.find(marker='new-name').type('李敏')
    user.find(marker='new-phone').type('13911112222')
    user.find(marker='new-password').type('123')
    user.find(marker='dialog-ok').click()
    await user.should_see('密码至少')
    assert not await Account.exists(phone='13911112222')
    user.find(marker='new-password').clear().type('chuanchai-2024')
    user.find(marker='dialog-ok').click()
    await user.should_see('账号已建好')
    account = await Account.get(phone='13911112222')
    assert (await accounts.principal(account.id)).roles_in(community.id) == {'staff'}
    await user.should_see('13911112222')


async def test_granting_volunteer_to_a_resident_through_the_search(user: User) -> None:
    community, _ = await _admin(user)
    household = await make_household(community, room='302')
    resident = await make_resident(community, name='张桂兰', household=household, phone='13712345678')
    await user.open('/admin/roles')
    user.find(marker='open-find').click()
    user.find(marker='find-query').type('张桂')
    user.find(marker='find-go').click()
    await user.should_see('嘉明花园 1栋 302', retries=20)
    user.find(marker=f'pick-resident-{resident.id}').click()
    await user.should_see('已把张桂兰设为志愿者')
    account = await Account.get(resident_id=resident.id)
    principal = await accounts.principal(account.id)
    assert principal.roles_in(community.id) == {'resident', 'volunteer'}
    await user.should_see(marker=f'member-{account.id}')


async def test_revoking_a_role_asks_first_and_then_takes_it_away(user: User) -> None:
    community, _ = await _admin(user)
    staff = await make_account(community, 'staff', 'committee', name='李敏')
    await user.open('/admin/roles')
    user.find(marker=f'revoke-{staff.id}-committee').click()
    await user.should_see('撤销李敏的“两委成员”角色？')
    user.find(marker='confirm-ok').click()
    await user.should_see('已撤销')
    assert set(await RoleGrant.filter(account_id=staff.id).values_list('role', flat=True)) == {'staff'}


async def test_the_own_last_admin_role_cannot_be_revoked_from_the_page(user: User) -> None:
    _, admin = await _admin(user)
    await user.open('/admin/roles')
    button = user.find(marker=f'revoke-{admin.id}-admin').elements.pop()
    assert isinstance(button, ui.button) and not button.enabled
    assert await RoleGrant.exists(account_id=admin.id, role='admin')


async def test_a_new_volunteer_gains_volunteer_abilities_and_loses_them_on_revoke(user: User) -> None:
    community = await make_community()
    admin = await principal_of(await make_account(community, 'admin'))
    resident = await make_resident(community, name='张桂兰')
    await roles.grant_to_resident(admin, resident.id, 'volunteer')
    account = await Account.get(resident_id=resident.id)
    assert (await principal_of(account)).communities_with('checkin.scan') == [community.id]
    await roles.revoke(admin, account.id, community.id, 'volunteer')
    assert (await principal_of(account)).communities_with('checkin.scan') == []


async def test_making_a_resident_a_volunteer_opens_the_admin_menu_for_them(user: User) -> None:
    community = await make_community()
    admin = await principal_of(await make_account(community, 'admin'))
    resident = await make_resident(community, name='张桂兰')
    account = await make_account(community, name='张桂兰', resident=resident, password=None)
    await sign_in(user, account)
    await user.open('/admin')
    await user.should_see('没有权限')
    await roles.grant_to_resident(admin, resident.id, 'volunteer')
    await user.open('/admin')
    await user.should_see(marker='tile-/admin/cards')  # volunteers print personal codes for neighbours
    await user.should_not_see(marker='tile-/admin/roles')
    await user.should_not_see(marker='tile-/admin/api-keys')


async def test_the_admin_menu_offers_roles_and_api_keys_to_an_admin_only(user: User) -> None:
    await _admin(user)
    await user.open('/admin')
    await user.should_see(marker='tile-/admin/roles')
    await user.should_see(marker='tile-/admin/api-keys')
