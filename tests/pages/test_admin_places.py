"""Admin screens for places: the drill-down with counts, editing a household, and who may see what."""
from decimal import Decimal

from nicegui import ui
from nicegui.testing import User

from models import AuditEntry, Building, Compound, Household, Ownership, RoleGrant
from tests.support import make_account, make_community, make_household, make_resident, sign_in


async def _staff(user: User, *roles: str):
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='402', area='89.50')
    owner = await make_resident(community, name='张桂兰', household=household)
    await Ownership.create(household=household, resident=owner)
    account = await make_account(community, *(roles or ('staff',)), name='李敏')
    await sign_in(user, account)
    return community, household, owner


def _set(user: User, marker: str, value: object) -> None:
    for element in user.find(marker=marker).elements:
        element.value = value


async def test_a_signed_out_visitor_is_sent_to_sign_in(user: User) -> None:
    for path in ('/admin', '/admin/places', '/admin/buildings/1', '/admin/households/1', '/admin/compounds/1'):
        response = await user.http_client.get(path, follow_redirects=False)
        assert response.status_code in {302, 303, 307}
        assert response.headers['location'].startswith('/login')


async def test_places_drill_down_shows_counts_from_compound_to_household(user: User) -> None:
    community, household, _ = await _staff(user)
    await make_resident(community, name='王建国', household=household, status='pending', relation='family')
    await user.open('/admin/places')
    await user.should_see('嘉明花园', retries=20)
    await user.should_see('1 户 · 2 位居民 · 已核验 1 · 89.50 平方米', retries=20)
    compound = await Compound.get(name='嘉明花园')
    await user.open(f'/admin/compounds/{compound.id}')
    await user.should_see('3栋', retries=20)
    building = await Building.get(name='3栋')
    await user.open(f'/admin/buildings/{building.id}')
    await user.should_see('402', retries=20)
    await user.should_see('业主：张桂兰', retries=20)
    await user.should_see('2 人：张桂兰、王建国', retries=20)
    await user.open(f'/admin/households/{household.id}')
    await user.should_see('嘉明花园 3栋 402', retries=20)
    await user.should_see('王建国', retries=20)


async def test_staff_edits_a_household_and_the_change_is_saved(user: User) -> None:
    _, household, _ = await _staff(user)
    await user.open(f'/admin/buildings/{household.building_id}')
    user.find(marker=f'edit-household-{household.id}').click()
    await user.should_see(marker='household-area', retries=20)
    user.find(marker='household-area').clear().type('92.35')
    _set(user, 'household-occupancy', 'rented')
    user.find(marker='household-certificate').type('鄂(2016)宜昌市不动产权第0012345号')
    user.find(marker='household-save').click()
    await user.should_see('已保存', retries=20)
    row = await Household.get(id=household.id)
    assert row.area_m2 == Decimal('92.35') and row.occupancy == 'rented'
    assert row.certificate_no == '鄂(2016)宜昌市不动产权第0012345号'
    assert (await Ownership.get(household_id=household.id)).resident_id is not None  # the owner stays
    await user.should_see('92.35 平方米', retries=20)


async def test_an_area_of_zero_gets_a_clear_message_and_changes_nothing(user: User) -> None:
    _, household, _ = await _staff(user)
    audits = await AuditEntry.all().count()
    await user.open(f'/admin/households/{household.id}')
    user.find(marker=f'edit-household-{household.id}').click()
    await user.should_see(marker='household-area', retries=20)
    user.find(marker='household-area').clear().type('0')
    user.find(marker='household-save').click()
    await user.should_see('面积必须大于 0', retries=20)
    assert (await Household.get(id=household.id)).area_m2 == Decimal('89.50')
    assert await AuditEntry.all().count() == audits


async def test_staff_adds_a_household_and_a_duplicate_room_is_refused(user: User) -> None:
    _, household, _ = await _staff(user)
    await user.open(f'/admin/buildings/{household.building_id}')
    user.find(marker='household-add').click()
    await user.should_see(marker='household-room', retries=20)
    user.find(marker='household-room').type('402')
    user.find(marker='household-area').type('100')
    user.find(marker='household-save').click()
    await user.should_see('3栋已有房号 402', retries=20)
    user.find(marker='household-room').clear().type('502')
    user.find(marker='household-save').click()
    await user.should_see('已保存', retries=20)
    assert await Household.filter(building_id=household.building_id).count() == 2
    await user.should_see('502', retries=20)


async def test_html_typed_as_a_compound_name_is_shown_as_text(user: User) -> None:
    await _staff(user)
    await user.open('/admin/places')
    user.find(marker='compound-add').click()
    await user.should_see(marker='compound-new-input', retries=20)
    user.find(marker='compound-new-input').type('<b>江景苑</b>')
    user.find(marker='compound-new-save').click()
    await user.should_see('已保存', retries=20)
    compound = await Compound.get(name='<b>江景苑</b>')
    await user.should_see(kind=ui.label, content='<b>江景苑</b>', retries=20)
    shown = [label for label in user.find(kind=ui.label).elements if label.text == '<b>江景苑</b>']
    assert shown, 'the name appears as the text of a label'
    assert not [e for e in user.find(kind=ui.element).elements if isinstance(e, (ui.html, ui.markdown))]
    await user.open(f'/admin/compounds/{compound.id}')
    await user.should_see(marker='compound-name', retries=20)
    assert user.find(marker='compound-name').elements.pop().text == '<b>江景苑</b>'


async def test_a_compound_with_buildings_cannot_be_deleted_and_says_why(user: User) -> None:
    await _staff(user)
    compound = await Compound.get(name='嘉明花园')
    await user.open(f'/admin/compounds/{compound.id}')
    user.find(marker='compound-delete').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await user.should_see('“嘉明花园”还有 1 栋楼，请先删除楼栋', retries=20)
    assert await Compound.exists(id=compound.id)


async def test_a_supervisor_sees_the_places_but_no_edit_buttons(user: User) -> None:
    _, household, _ = await _staff(user, 'supervisor')
    await user.open('/admin/places')
    await user.should_see('嘉明花园', retries=20)
    await user.should_not_see(marker='compound-add')
    await user.open(f'/admin/buildings/{household.building_id}')
    await user.should_see('402', retries=20)
    await user.should_not_see(marker=f'edit-household-{household.id}')
    await user.should_not_see(marker='household-add')
    await user.open(f'/admin/households/{household.id}')
    await user.should_see('张桂兰', retries=20)
    await user.should_not_see(marker=f'edit-household-{household.id}')
    await user.should_not_see(marker='household-delete')


async def test_a_resident_gets_no_permission_on_the_places_screens(user: User) -> None:
    community = await make_community()
    household = await make_household(community)
    resident = await make_resident(community, name='张桂兰', household=household)
    account = await make_account(community, name='张桂兰', resident=resident, password=None)
    await sign_in(user, account)
    for path in ('/admin', '/admin/places', f'/admin/buildings/{household.building_id}',
                 f'/admin/households/{household.id}'):
        await user.open(path)
        await user.should_see('没有权限', retries=20)
        await user.should_not_see('89.50')


async def test_staff_of_another_community_gets_no_permission_on_our_household(user: User) -> None:
    ours = await make_community()
    household = await make_household(ours)
    other = await make_community(name='铁路坝社区')
    account = await make_account(other, 'staff', name='外社区')
    await sign_in(user, account)
    await user.open(f'/admin/households/{household.id}')
    await user.should_see('没有权限', retries=20)


async def test_an_owner_of_several_units_is_shown_on_each_household(user: User) -> None:
    community, _, owner = await _staff(user)
    shop = await make_household(community, compound='嘉明花园', building='3栋', room='商铺1', area='45.20')
    await Ownership.create(household=shop, resident=owner)
    await user.open(f'/admin/households/{shop.id}')
    await user.should_see('此业主名下共 2 套房屋（表决时按一人计）', retries=20)
    await user.should_see('嘉明花园 3栋 402', retries=20)


async def test_the_admin_menu_shows_only_the_tiles_a_role_may_use(user: User) -> None:
    community, _, _ = await _staff(user, 'supervisor')
    await make_resident(community, name='新来的', status='pending')
    await user.open('/admin')
    await user.should_see(marker='tile-/admin/places', retries=20)
    await user.should_see(marker='tile-/admin/residents', retries=20)
    await user.should_see(marker='tile-/admin/councils', retries=20)
    await user.should_see(marker='pending-count', retries=20)
    for path in ('/admin/roster', '/admin/roles', '/admin/api-keys', '/admin/join-poster'):
        await user.should_not_see(marker=f'tile-{path}')


async def test_someone_working_in_two_communities_picks_one_and_it_is_remembered(user: User) -> None:
    first = await make_community()
    second = await make_community(name='铁路坝社区')
    await make_household(first, compound='嘉明花园')
    await make_household(second, compound='铁路小区')
    account = await make_account(first, 'staff', name='李敏')
    await RoleGrant.create(account=account, community=second, role='staff')
    await sign_in(user, account)
    await user.open('/admin/places')
    await user.should_see('嘉明花园', retries=20)
    await user.should_not_see('铁路小区')
    picker = user.find(marker='community-picker').elements.pop()
    assert set(picker.options.values()) == {'西陵街道 船柴社区', '西陵街道 铁路坝社区'}
    picker.value = second.id
    await user.should_see('铁路小区', retries=20)
    await user.open('/admin/residents')
    assert user.find(marker='community-picker').elements.pop().value == second.id
    await user.open('/admin/places')
    await user.should_see('铁路小区', retries=20)
    await user.should_not_see('嘉明花园')


async def test_a_single_community_needs_no_picker(user: User) -> None:
    await _staff(user)
    await user.open('/admin/places')
    await user.should_see('嘉明花园', retries=20)
    await user.should_not_see(marker='community-picker')
