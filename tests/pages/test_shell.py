from nicegui.testing import User

from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in


async def test_home_page_offers_sign_in_to_a_visitor(user: User) -> None:
    await user.open('/')
    await user.should_see('欢迎来到共商')
    await user.should_see('登录')
    for label in ('首页', '议题', '议事', '表决', '我的'):
        await user.should_see(label)


async def test_signed_in_staff_is_greeted_by_name_and_sees_the_admin_button(user: User) -> None:
    community = await make_community()
    staff = await make_account(community, 'staff', name='李敏')
    await sign_in(user, staff)
    await user.open('/')
    await user.should_see('李敏，您好')
    await user.should_see(marker='admin-entry')


async def test_a_resident_sees_no_admin_button(user: User) -> None:
    community = await make_community()
    resident = await make_resident(community, name='张桂兰')
    account = await make_account(community, name='张桂兰', resident=resident, password=None)
    await sign_in(user, account)
    await user.open('/')
    await user.should_see('张桂兰，您好')
    await user.should_not_see(marker='admin-entry')


async def test_the_meetings_tab_shows_the_councils_of_the_residents_community(user: User) -> None:
    from services import councils
    community = await make_community()
    staff = await principal_of(await make_account(community, 'staff'))
    await councils.create_council(staff, community.id)
    resident = await make_resident(community, name='刘淑芬')
    await sign_in(user, await make_account(community, name='刘淑芬', resident=resident, password=None))
    await user.open('/meetings')
    await user.should_see('船柴社区议事协商委员会')
    await user.should_see('社区议事协商委员会（4+N）')
    await user.should_see('0 个席位已有人，4 个空缺')


async def test_a_resident_sees_their_community_and_home_on_the_home_page(user: User) -> None:
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    resident = await make_resident(community, name='周美华', household=home)
    await sign_in(user, await make_account(community, name='周美华', resident=resident, password=None))
    await user.open('/')
    await user.should_see('船柴社区 · 嘉明花园 3栋 402')
    await user.should_see('打开二维码')
    await user.should_not_see('进入管理')


async def test_pages_are_served_in_simplified_chinese_with_quasars_zh_cn_language_pack(user: User) -> None:
    await user.open('/')
    html = (await user.http_client.get('/')).text
    assert '<html lang="zh-CN">' in html
    assert 'lang/zh-CN.umd.prod.js' in html
