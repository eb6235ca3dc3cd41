"""Sign-in screens, the personal link, self-registration, 我的 and the personal code, as a user sees them."""
import asyncio

from nicegui import app, ui
from nicegui.testing import User

from models import Account, LoginThrottle, Resident, RoleGrant
from services import auth, codes, passwords
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

PIN = '482719'
SLOW = 50  # argon2 takes a few hundred milliseconds per check on a small machine


def _stored(user: User, key: str):
    with user:
        return app.storage.user.get(key)


async def _resident_account(community, *, name: str = '张桂兰', phone: str = '13912345678', pin: str | None = PIN,
                            **kw) -> Account:
    resident = await make_resident(community, name=name, phone=phone, **kw)
    account = await make_account(community, name=name, resident=resident, password=None)
    if pin:
        account.pin_hash = passwords.hash_secret(pin)
        await account.save()
    return account


async def _until(condition, *, tries: int = 100) -> None:
    """Wait for something the page does in the background (hashing takes a while)."""
    for _ in range(tries):
        result = condition()
        if await result if asyncio.iscoroutine(result) or hasattr(result, '__await__') else result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not reached')


def _enabled(user: User, marker: str) -> bool:
    with user:
        return all(element.enabled for element in user.find(marker=marker).elements)


async def _password_sign_in(user: User, phone: str, password: str) -> None:
    user.find('工作人员').click()
    user.find(marker='pw-phone').clear().type(phone)
    user.find(marker='pw-password').clear().type(password)
    user.find(marker='pw-submit').click()


async def _pin_sign_in(user: User, phone: str, pin: str) -> None:
    user.find(marker='pin-phone').clear().type(phone)
    user.find(marker='pin-pin').clear().type(pin)
    user.find(marker='pin-submit').click()


async def test_staff_sign_in_with_phone_and_password_lands_on_home(user: User) -> None:
    community = await make_community()
    await make_account(community, 'staff', name='李敏', phone='13800001111', password='correct horse 42')
    await user.open('/login')
    await _password_sign_in(user, '13800001111', 'correct horse 42')
    await user.should_see('李敏，您好', retries=SLOW)
    assert isinstance(_stored(user, 'account_id'), int)


async def test_a_wrong_password_is_explained_and_nobody_is_signed_in(user: User) -> None:
    community = await make_community()
    await make_account(community, 'staff', phone='13800001111', password='correct horse 42')
    await user.open('/login')
    await _password_sign_in(user, '13800001111', 'wrong horse 42')
    await user.should_see('手机号或密码不正确', retries=SLOW)
    assert _stored(user, 'account_id') is None


async def test_a_resident_signs_in_with_phone_and_pin(user: User) -> None:
    community = await make_community()
    await _resident_account(community)
    await user.open('/login')
    await _pin_sign_in(user, '13912345678', PIN)
    await user.should_see('张桂兰，您好', retries=SLOW)


async def test_a_locked_phone_is_told_how_long_to_wait(user: User) -> None:
    community = await make_community()
    await _resident_account(community)
    await user.open('/login')
    for attempt in range(1, 4):
        await _pin_sign_in(user, '13912345678', '000001')
        await _until(lambda n=attempt: LoginThrottle.exists(key='pin:13912345678', failures=n))
        await _until(lambda: _enabled(user, 'pin-submit'))
    await user.should_see('30 秒后再试', retries=SLOW)
    await _pin_sign_in(user, '13912345678', PIN)
    await user.should_see('秒后再试', retries=SLOW)
    assert _stored(user, 'account_id') is None


async def test_after_sign_in_a_local_next_path_is_followed(user: User) -> None:
    community = await make_community()
    await make_account(community, 'staff', name='李敏', phone='13800001111', password='correct horse 42')
    await user.open('/login?next=/me')
    await _password_sign_in(user, '13800001111', 'correct horse 42')
    await user.should_see('大字模式', retries=SLOW)
    assert user.back_history[-1] == '/me'


async def test_a_next_path_to_another_site_is_refused(user: User) -> None:
    community = await make_community()
    await make_account(community, 'staff', name='李敏', phone='13800001111', password='correct horse 42')
    await user.open('/login?next=//evil.example/steal')
    await _password_sign_in(user, '13800001111', 'correct horse 42')
    await user.should_see('李敏，您好', retries=SLOW)
    assert user.back_history[-1] == '/'
    assert not any('evil' in path for path in user.back_history[1:])


async def test_opening_a_sign_in_link_does_not_sign_in_until_the_button_is_tapped(user: User) -> None:
    community = await make_community()
    staff = await principal_of(await make_account(community, 'staff'))
    resident = await make_resident(community, name='张桂兰', phone='13912345678')
    token = await auth.issue_login_link(staff, resident.id)
    version = (await Resident.get(id=resident.id)).login_version
    await user.open(f'/l/{token}')
    await user.should_see('欢迎，张桂兰', retries=SLOW)
    assert _stored(user, 'account_id') is None
    assert (await Resident.get(id=resident.id)).login_version == version  # a link preview used nothing up
    user.find(marker='redeem').click()
    await user.should_see('欢迎！请设置一个 6 位数字密码', retries=SLOW)
    assert isinstance(_stored(user, 'account_id'), int)
    user.find(marker='pin-new').type('593017')
    user.find(marker='pin-again').type('593017')
    user.find(marker='pin-save').click()
    await user.should_see('张桂兰，您好', retries=SLOW)
    account = await Account.get(resident_id=resident.id)
    assert passwords.verify_secret(account.pin_hash, '593017')


async def test_a_used_link_shows_an_error_and_no_name(user: User) -> None:
    community = await make_community()
    staff = await principal_of(await make_account(community, 'staff'))
    resident = await make_resident(community, name='张桂兰', phone='13912345678')
    token = await auth.issue_login_link(staff, resident.id)
    await auth.redeem_login_link(token)
    await user.open(f'/l/{token}')
    await user.should_see('这个登录链接已用过或已作废', retries=SLOW)
    await user.should_not_see('张桂兰')
    await user.open('/l/not-a-token')
    await user.should_see('二维码或链接无效', retries=SLOW)


async def test_pins_that_differ_or_are_trivial_are_refused(user: User) -> None:
    community = await make_community()
    account = await _resident_account(community, pin=None)
    await sign_in(user, account)
    await user.open('/me/pin')
    user.find(marker='pin-new').type('593017')
    user.find(marker='pin-again').type('593018')
    user.find(marker='pin-save').click()
    await user.should_see('两次输入的数字密码不一样', retries=SLOW)
    user.find(marker='pin-new').clear().type('123456')
    user.find(marker='pin-again').clear().type('123456')
    user.find(marker='pin-save').click()
    await user.should_see('太容易被猜到', retries=SLOW)
    assert (await Account.get(id=account.id)).pin_hash is None


async def test_self_registration_from_the_poster(user: User) -> None:
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='502')
    building = await household.building
    await user.open(f'/join/{codes.join_token(community)}')
    await user.should_see('欢迎加入船柴社区', retries=SLOW)
    user.find(marker='join-name').type('刘芳')
    user.find(marker='join-phone').type('13611112222')
    user.find(marker='join-birth-year').type('1961')
    with user:
        compound_select = user.find(marker='join-compound').elements.pop()
        compound_select.value = building.compound_id
        building_select = user.find(marker='join-building').elements.pop()
        assert building.id in building_select.options
        building_select.value = building.id
    user.find(marker='join-room').type('502')
    user.find(marker='join-pin').type('593017')
    user.find(marker='join-pin-again').type('593017')
    user.find(marker='join-submit').click()
    await user.should_see('已提交，等待社区核验', retries=SLOW)
    resident = await Resident.get(phone='13611112222')
    assert (resident.status, resident.household_id) == ('pending', household.id)
    assert _stored(user, 'account_id') == (await Account.get(resident_id=resident.id)).id


async def test_self_registration_with_a_taken_phone_is_refused(user: User) -> None:
    community = await make_community()
    await make_resident(community, phone='13611112222')
    await user.open(f'/join/{codes.join_token(community)}')
    user.find(marker='join-name').type('刘芳')
    user.find(marker='join-phone').type('13611112222')
    user.find(marker='join-birth-year').type('1961')
    user.find(marker='join-room').type('张家湾 12 号')
    user.find(marker='join-pin').type('593017')
    user.find(marker='join-pin-again').type('593017')
    user.find(marker='join-submit').click()
    await user.should_see('此手机号已登记，请直接登录或联系社区', retries=SLOW)
    assert await Resident.filter(phone='13611112222').count() == 1


async def test_me_shows_the_residents_home_status_and_tags(user: User) -> None:
    from models import ResidentTag
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='1栋', room='101')
    account = await _resident_account(community, household=household)
    await ResidentTag.create(resident_id=account.resident_id, tag='党员')
    await sign_in(user, account)
    await user.open('/me')
    for text in ('张桂兰', '船柴社区', '嘉明花园 1栋 101', '已核验', '党员', '我的二维码', '大字模式', '退出登录'):
        await user.should_see(text, retries=SLOW)


async def test_me_sends_a_visitor_to_sign_in(user: User) -> None:
    await user.open('/me')
    await user.should_see(marker='pin-submit', retries=SLOW)


async def test_elder_mode_is_remembered_on_the_account_for_the_next_sign_in(user: User) -> None:
    community = await make_community()
    account = await _resident_account(community)
    await sign_in(user, account)
    await user.open('/me')
    user.find(marker='elder-switch').click()
    for _ in range(50):
        if (await Account.get(id=account.id)).elder_mode:
            break
        await asyncio.sleep(0.02)
    assert (await Account.get(id=account.id)).elder_mode is True
    assert _stored(user, 'elder') is True
    await user.open('/logout')
    await user.should_see('您已退出登录', retries=SLOW)
    with user:
        app.storage.user['elder'] = False  # as on another phone
    await user.open('/login')
    await _pin_sign_in(user, '13912345678', PIN)
    await user.should_see('张桂兰，您好', retries=SLOW)
    assert _stored(user, 'elder') is True


async def test_switching_to_english_is_remembered(user: User) -> None:
    community = await make_community()
    account = await _resident_account(community)
    await sign_in(user, account)
    await user.open('/me')
    with user:
        user.find(marker='language').elements.pop().value = 'en'
    await user.should_see('Large text', retries=SLOW)
    assert (await Account.get(id=account.id)).language == 'en'


async def test_my_code_page_shows_a_large_qr_with_my_name(user: User) -> None:
    community = await make_community()
    account = await _resident_account(community)
    await sign_in(user, account)
    await user.open('/me/code')
    await user.should_see('张桂兰', retries=SLOW)
    await user.should_see('参加议事会时出示给志愿者扫码', retries=SLOW)
    with user:
        image = user.find(marker='personal-qr').elements.pop()
    assert image.source.startswith('data:image/png;base64,')


async def test_a_personal_code_shows_nothing_personal_to_a_stranger(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    await user.open(f'/c/{codes.personal_code(resident)}')
    await user.should_see('这是共商居民个人码，请由志愿者扫码签到', retries=SLOW)
    await user.should_not_see('张桂兰')


async def test_a_personal_code_shows_the_name_to_a_volunteer_of_that_community(user: User) -> None:
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='1栋', room='101')
    resident = await make_resident(community, name='张桂兰', household=household)
    volunteer = await make_account(community, 'volunteer', name='志愿者小周')
    await sign_in(user, volunteer)
    await user.open(f'/c/{codes.personal_code(resident)}')
    await user.should_see('张桂兰', retries=SLOW)
    await user.should_see('嘉明花园 1栋 101', retries=SLOW)
    await user.should_see('已核验', retries=SLOW)


async def test_a_volunteer_of_another_community_sees_nothing_personal(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    other = await make_community('黄河社区')
    await sign_in(user, await make_account(other, 'volunteer'))
    await user.open(f'/c/{codes.personal_code(resident)}')
    await user.should_see('这是共商居民个人码', retries=SLOW)
    await user.should_not_see('张桂兰')


async def test_a_revoked_personal_code_says_so(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    token = codes.personal_code(resident)
    await codes.revoke_code(await principal_of(await make_account(community, 'staff')), resident.id)
    await user.open(f'/c/{token}')
    await user.should_see('这个个人码已作废', retries=SLOW)


async def test_html_in_a_name_is_shown_as_text(user: User) -> None:
    community = await make_community()
    name = '<img src=x onerror=alert(1)>'
    resident = await make_resident(community, name=name)
    await sign_in(user, await make_account(community, 'staff'))
    await user.open(f'/c/{codes.personal_code(resident)}')
    await user.should_see(name, retries=SLOW)
    await user.should_not_see(kind=ui.html)


async def test_staff_issue_a_sign_in_qr_for_a_resident(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    await sign_in(user, await make_account(community, 'staff'))
    await user.open(f'/admin/residents/{resident.id}/link')
    await user.should_see('以前发的登录二维码就不能再用了', retries=SLOW)
    user.find(marker='issue-link').click()
    await user.should_see(marker='link-qr', retries=SLOW)
    with user:
        url = user.find(marker='link-url').elements.pop().text
    assert '/l/' in url
    assert (await auth.redeem_login_link(url.rsplit('/l/', 1)[1])).resident_id == resident.id


async def test_a_resident_cannot_issue_sign_in_links(user: User) -> None:
    community = await make_community()
    account = await _resident_account(community)
    other = await make_resident(community, name='李建国')
    await sign_in(user, account)
    await user.open(f'/admin/residents/{other.id}/link')
    await user.should_see('没有权限进行此操作', retries=SLOW)
    await user.should_not_see(marker='issue-link')


async def test_a_building_card_sheet_has_one_card_per_resident_living_there(user: User) -> None:
    community = await make_community()
    h1 = await make_household(community, compound='嘉明花园', building='1栋', room='1001')
    h2 = await make_household(community, compound='嘉明花园', building='1栋', room='201')
    await make_resident(community, name='张桂兰', household=h1)
    await make_resident(community, name='李建国', household=h2)
    await make_resident(community, name='王搬走', household=h2, status='left')
    await sign_in(user, await make_account(community, 'volunteer'))
    await user.open(f'/admin/cards?building={(await h1.building).id}')
    await user.should_see('张桂兰', retries=SLOW)
    await user.should_see('李建国', retries=SLOW)
    await user.should_not_see('王搬走')
    with user:
        assert len(user.find(marker='card').elements) == 2


async def test_the_join_poster_can_be_revoked(user: User) -> None:
    community = await make_community()
    old = codes.join_token(community)
    await sign_in(user, await make_account(community, 'staff'))
    await user.open('/admin/join-poster')
    await user.should_see(marker='join-qr', retries=SLOW)
    user.find(marker='revoke-join').click()
    user.find(marker='confirm-revoke').click()
    await user.should_see('旧二维码已作废', retries=SLOW)
    await user.open(f'/join/{old}')
    await user.should_see('这个登记二维码已停用', retries=SLOW)


async def test_a_resident_gets_no_permission_on_the_join_poster(user: User) -> None:
    community = await make_community()
    await sign_in(user, await _resident_account(community, pin=None))
    await user.open('/admin/join-poster')
    await user.should_see(marker='no-permission', retries=SLOW)
    await user.should_see('没有权限')
    await user.should_not_see(marker='join-qr')


async def test_the_join_poster_is_of_the_community_being_worked_on_or_the_one_the_address_names(user: User) -> None:
    first = await make_community()
    second = await make_community(name='铁路坝社区')
    account = await make_account(first, 'staff')
    await RoleGrant.create(account=account, community=second, role='staff')
    await sign_in(user, account)
    await user.open('/admin/join-poster')
    await user.should_see('船柴社区', retries=SLOW)
    await user.should_not_see(marker='community-picker')  # a printed page
    await user.open('/admin')
    user.find(marker='community-picker').elements.pop().value = second.id
    await user.open('/admin/join-poster')
    await user.should_see('铁路坝社区', retries=SLOW)
    await user.should_not_see('船柴社区')
    await user.open(f'/admin/join-poster?community={first.id}')
    await user.should_see('船柴社区', retries=SLOW)
    await user.should_not_see('铁路坝社区')


async def test_a_single_card_shows_the_name_as_text_and_the_community(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='<b>张桂兰</b>')
    await sign_in(user, await make_account(community, 'staff'))
    await user.open(f'/admin/residents/{resident.id}/card')
    await user.should_see('<b>张桂兰</b>', retries=SLOW)
    await user.should_see('船柴社区')
    await user.should_see(marker='card')


async def test_a_stranger_cannot_print_cards(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    await sign_in(user, await make_account(await make_community('黄河社区'), 'staff'))
    await user.open(f'/admin/residents/{resident.id}/card')
    await user.should_see('没有权限进行此操作', retries=SLOW)
    await user.should_not_see('张桂兰')
