"""Screens that change by themselves: a service publishes, every open page of that community redraws."""
from nicegui.testing import User

from models import Community
from services import auth, codes
from tests.support import make_account, make_community, sign_in


async def test_a_self_registration_appears_on_the_open_pending_list_without_reload(user: User) -> None:
    community = await make_community()
    await sign_in(user, await make_account(community, 'staff', name='李敏'))
    await user.open('/admin/pending')
    await user.should_see('没有等待核验的居民')

    token = codes.join_token(await Community.get(id=community.id))  # a neighbour scans the poster on her phone
    await auth.register_self(token, '周美华', '13912340001', 1958, None, None, '嘉明花园3栋402', '258013')

    await user.should_see('周美华')  # the same page object, never reopened
    await user.should_see('自己填写：嘉明花园3栋402')
    await user.should_not_see('没有等待核验的居民')


async def test_an_event_of_another_community_does_not_touch_this_page(user: User) -> None:
    community = await make_community()
    other = await make_community('桃花岭社区')
    await sign_in(user, await make_account(community, 'staff'))
    await user.open('/admin/pending')
    token = codes.join_token(await Community.get(id=other.id))
    await auth.register_self(token, '何建国', '13912340002', 1960, None, None, '1栋101', '258013')
    await user.should_not_see('何建国')
    await user.should_see('没有等待核验的居民')
