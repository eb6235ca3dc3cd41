"""Admin screens for people: search, one resident, tags, verification, 迁出, and what each role may see."""
from nicegui import ui
from nicegui.testing import User

from models import Account, AuditEntry, Council, Resident, ResidentTag
from tests.support import make_account, make_community, make_household, make_resident, sign_in


async def _signed_in(user: User, *roles: str):
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    resident = await make_resident(community, name='张桂兰', household=household, phone='13912345678')
    account = await make_account(community, *(roles or ('staff',)), name='李敏')
    await sign_in(user, account)
    return community, household, resident, account


async def test_staff_finds_a_resident_by_room_and_sees_the_full_phone(user: User) -> None:
    community, _, _, _ = await _signed_in(user)
    await make_resident(community, name='王建国', phone='13987654321')
    await user.open('/admin/residents')
    await user.should_see('共 2 人', retries=20)
    user.find(marker='resident-search').type('3栋402')
    user.find(marker='resident-search-go').click()
    await user.should_see('共 1 人', retries=20)
    await user.should_see('张桂兰', retries=20)
    await user.should_not_see('王建国')
    await user.should_see('嘉明花园 3栋 402 · 13912345678', retries=20)


async def test_a_committee_member_sees_masked_phones_and_no_edit_buttons(user: User) -> None:
    _, _, resident, _ = await _signed_in(user, 'committee')
    await user.open('/admin/residents')
    await user.should_see('嘉明花园 3栋 402 · 139****5678', retries=20)
    await user.should_not_see('13912345678')
    await user.should_not_see(marker='resident-add')
    await user.open(f'/admin/residents/{resident.id}')
    await user.should_see('139****5678', retries=20)
    for marker in ('resident-edit', 'resident-leave', 'resident-link', 'tags-save'):
        await user.should_not_see(marker=marker)


async def test_a_supervisor_sees_no_edit_buttons_on_a_resident(user: User) -> None:
    community, _, _, _ = await _signed_in(user, 'supervisor')
    pending = await make_resident(community, name='刘新', status='pending')
    await user.open(f'/admin/residents/{pending.id}')
    await user.should_see('刘新', retries=20)
    for marker in ('resident-verify', 'resident-edit', 'resident-leave', 'tags-save'):
        await user.should_not_see(marker=marker)


async def test_a_resident_gets_no_permission_on_the_people_screens(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    account = await make_account(community, name='张桂兰', resident=resident, password=None)
    await sign_in(user, account)
    for path in ('/admin/residents', f'/admin/residents/{resident.id}', '/admin/pending'):
        await user.open(path)
        await user.should_see('没有权限', retries=20)


async def test_signed_out_visitors_are_sent_to_sign_in(user: User) -> None:
    for path in ('/admin/residents', '/admin/residents/1', '/admin/pending', '/admin/councils'):
        response = await user.http_client.get(path, follow_redirects=False)
        assert response.headers['location'].startswith('/login')


async def test_staff_registers_a_resident_whose_html_name_is_shown_as_text(user: User) -> None:
    await _signed_in(user)
    await user.open('/admin/residents')
    user.find(marker='resident-add').click()
    await user.should_see(marker='resident-name', retries=20)
    user.find(marker='resident-name').type('<script>alert(1)</script>')
    user.find(marker='resident-phone').type('139 0000 1111')
    user.find(marker='resident-year').type('1988')
    user.find(marker='resident-save').click()
    await user.should_see(marker='resident-name-shown', retries=20)
    resident = await Resident.get(phone='13900001111')
    assert resident.name == '<script>alert(1)</script>' and resident.status == 'verified'
    assert user.find(marker='resident-name-shown').elements.pop().text == '<script>alert(1)</script>'
    assert not [e for e in user.find(kind=ui.element).elements if isinstance(e, (ui.html, ui.markdown))]


async def test_a_duplicate_phone_is_refused_in_the_dialog_and_nothing_is_added(user: User) -> None:
    await _signed_in(user)
    await user.open('/admin/residents')
    user.find(marker='resident-add').click()
    await user.should_see(marker='resident-name', retries=20)
    user.find(marker='resident-name').type('张三')
    user.find(marker='resident-phone').type('13912345678')
    user.find(marker='resident-save').click()
    await user.should_see('手机号 13912345678 已登记给本社区的 张桂兰', retries=20)
    assert await Resident.all().count() == 1


async def test_staff_sets_tags_and_marks_a_resident_as_moved_away(user: User) -> None:
    _, _, resident, _ = await _signed_in(user)
    await user.open(f'/admin/residents/{resident.id}')
    await user.should_see(marker='tag-党员', retries=20)
    user.find(marker='tag-党员').click()
    user.find(marker='tag-志愿者').click()
    user.find(marker='tags-save').click()
    await user.should_see('标签已保存', retries=20)
    assert set(await ResidentTag.filter(resident_id=resident.id).values_list('tag', flat=True)) == {'党员', '志愿者'}
    user.find(marker='resident-leave').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await user.should_see('已记录迁出', retries=20)
    row = await Resident.get(id=resident.id)
    assert row.status == 'left' and row.household_id is None
    await user.should_see('已迁出', retries=20)
    await user.should_not_see(marker='resident-leave')


async def test_staff_sees_the_links_to_the_sign_in_link_and_the_printed_card(user: User) -> None:
    _, _, resident, _ = await _signed_in(user)
    await user.open(f'/admin/residents/{resident.id}')
    await user.should_see(marker='resident-link', retries=20)
    await user.should_see(marker='resident-card', retries=20)


async def test_pending_registration_shows_the_typed_room_and_staff_verifies_into_a_household(user: User) -> None:
    community, household, _, account = await _signed_in(user)
    pending = await Resident.create(community=community, name='刘新', phone='13955556666', status='pending',
                                    registered_room='嘉明花园3栋402', relation='tenant')
    await user.open('/admin/pending')
    await user.should_see('自己填写：嘉明花园3栋402', retries=20)
    select = user.find(marker=f'pending-household-{pending.id}').elements.pop()
    assert select.value == household.id  # the typed room was read and the household suggested
    user.find(marker=f'verify-{pending.id}').click()
    await user.should_see('刘新 已通过核验', retries=20)
    row = await Resident.get(id=pending.id)
    assert row.status == 'verified' and row.household_id == household.id and row.verified_at is not None
    entry = await AuditEntry.get(action='resident.verified', target_id=pending.id)
    assert entry.actor_id == account.id
    await user.should_see('没有等待核验的居民', retries=20)


async def test_wrong_registration_is_removed_with_its_account(user: User) -> None:
    community, _, _, _ = await _signed_in(user)
    pending = await Resident.create(community=community, name='乱填', phone='13955556666', status='pending',
                                    registered_room='不知道')
    await Account.create(name='乱填', phone='13955556666', resident=pending)
    await user.open('/admin/pending')
    user.find(marker=f'reject-{pending.id}').click()
    await user.should_see(marker='reject-confirm', retries=20)
    user.find(marker='reject-confirm').click()
    await user.should_see('已删除这条登记', retries=20)
    assert not await Resident.exists(id=pending.id)
    assert not await Account.exists(phone='13955556666')
    assert (await AuditEntry.get(action='resident.rejected')).data['reason'] == '姓名或手机号不对'


async def test_a_supervisor_sees_the_pending_list_without_verify_buttons(user: User) -> None:
    community, _, _, _ = await _signed_in(user, 'supervisor')
    pending = await make_resident(community, name='刘新', status='pending')
    await user.open('/admin/pending')
    await user.should_see('刘新', retries=20)
    await user.should_not_see(marker=f'verify-{pending.id}')
    await user.should_not_see(marker=f'reject-{pending.id}')


async def test_councils_page_staff_fills_a_missing_seat_with_a_resident(user: User) -> None:
    community, _, resident, _ = await _signed_in(user)
    await user.open('/admin/councils')
    user.find(marker='council-create-community').click()
    await user.should_see('还缺：两委成员、居（村）民代表、常住外来人口代表、社会组织代表', retries=20)
    council = await Council.get(community_id=community.id)
    user.find(marker=f'fill-{council.id}-resident_rep').click()
    await user.should_see(marker='seat-search', retries=20)
    user.find(marker='seat-search').type('张桂兰')
    user.find(marker='seat-search-go').click()
    await user.should_see(marker=f'seat-candidate-{resident.id}', retries=20)
    user.find(marker=f'seat-candidate-{resident.id}').click()
    user.find(marker='seat-save').click()
    await user.should_see('还缺：两委成员、常住外来人口代表、社会组织代表', retries=20)
    await user.should_see('张桂兰', retries=20)


async def test_a_supervisor_sees_councils_without_edit_buttons(user: User) -> None:
    community, _, _, _ = await _signed_in(user, 'supervisor')
    await Council.create(community=community, level='community', name='船柴社区议事协商委员会')
    await user.open('/admin/councils')
    await user.should_see('船柴社区议事协商委员会', retries=20)
    await user.should_not_see(marker='council-create-community')
    council = await Council.get(community_id=community.id)
    await user.should_not_see(marker=f'fill-{council.id}-resident_rep')
