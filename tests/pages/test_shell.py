from nicegui.testing import User


async def test_home_page_offers_sign_in_to_a_visitor(user: User) -> None:
    await user.open('/')
    await user.should_see('欢迎来到共商')
    await user.should_see('登录')
    for label in ('首页', '议题', '议事', '表决', '我的'):
        await user.should_see(label)
