"""The 线上议事厅 as residents and staff use it: post, propose, reply, see others' posts arrive live, hide."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from nicegui.testing import User

from models import HallPost, ResidentTag
from services import hall, issues
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

TITLE = '3栋门口路灯坏了'


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    backbone = await make_resident(community, name='刘德明', household=home)
    await ResidentTag.create(resident=backbone, tag='居民骨干')
    pending = await make_resident(community, name='孙小梅', household=home, status='pending')
    accounts = {
        'author': await make_account(community, name='周美华', resident=author, password=None),
        'backbone': await make_account(community, name='刘德明', resident=backbone, password=None),
        'pending': await make_account(community, name='孙小梅', resident=pending, password=None),
        'staff': await make_account(community, 'staff', name='王丽'),
    }
    issue = await issues.raise_item(await principal_of(accounts['author']),
                                    Draft(kind='issue', title=TITLE, body='晚上很黑', category='lighting'))
    return {'community': community, 'issue': issue, **accounts}


async def test_the_issue_page_leads_to_its_hall_with_the_number_of_posts(user: User, world) -> None:
    await hall.post(await principal_of(world['backbone']), world['issue'].id, '换成太阳能路灯')
    await sign_in(user, world['author'])
    await user.open(f'/issues/{world["issue"].id}')
    await user.should_see('线上议事厅（1 条）')
    user.find(marker='hall-link').click()
    await user.should_see(marker='hall-title')
    await user.should_see('换成太阳能路灯')


async def test_the_issue_page_counts_its_own_new_post_even_inside_a_burst_about_another_issue(user: User,
                                                                                              world) -> None:
    backbone = await principal_of(world['backbone'])
    other = await issues.raise_item(await principal_of(world['author']),
                                    Draft(kind='issue', title='垃圾桶太少', body='不够用', category='sanitation'))
    await sign_in(user, world['author'])
    await user.open(f'/issues/{world["issue"].id}')
    await user.should_see('线上议事厅（0 条）')
    await hall.post(backbone, other.id, '多放两个桶')  # redraws nothing here, at once
    await hall.post(backbone, world['issue'].id, '换成太阳能路灯')  # this one waits for the end of the interval
    await hall.post(backbone, other.id, '分类的桶')  # the latest event of the burst is the other issue's
    await user.should_see('线上议事厅（1 条）', retries=30)


async def test_a_resident_posts_a_proposal_which_is_listed_first_under_residents_proposals(user: User, world) -> None:
    await hall.post(await principal_of(world['author']), world['issue'].id, '晚上太黑，老人不敢下楼')
    await sign_in(user, world['backbone'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    await user.should_see('居民方案')
    await user.should_see(marker='no-proposals')
    user.find(marker='hall-body').type('换成太阳能路灯，不用走电')
    user.find(marker='hall-proposal').click()
    user.find(marker='hall-send').click()
    await user.should_see('已发表', retries=30)
    row = await HallPost.get(body='换成太阳能路灯，不用走电')
    assert (row.proposal, row.author_name) == (True, '刘德明')
    await user.should_see(marker=f'proposal-{row.id}')
    await user.should_see(marker=f'backbone-{row.id}')
    await user.should_not_see(marker='no-proposals')
    await user.should_see('共 2 条发言')


async def test_a_double_tap_on_post_stores_one_post(user: User, world) -> None:
    await sign_in(user, world['author'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    user.find(marker='hall-body').type('晚上太黑，老人不敢下楼')
    user.find(marker='hall-send').click()
    user.find(marker='hall-send').click()
    await user.should_see('已发表', retries=30)
    await user.should_see('共 1 条发言', retries=30)
    assert await HallPost.filter(issue_id=world['issue'].id).count() == 1


async def test_a_too_short_post_is_explained_and_nothing_is_stored(user: User, world) -> None:
    await sign_in(user, world['author'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    user.find(marker='hall-body').type('好')
    user.find(marker='hall-send').click()
    await user.should_see('请写下您的看法（至少 2 个字）')
    assert not await HallPost.exists()


async def test_a_reply_appears_under_its_post(user: User, world) -> None:
    first = await hall.post(await principal_of(world['author']), world['issue'].id, '晚上太黑，老人不敢下楼')
    await sign_in(user, world['staff'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    user.find(marker=f'reply-{first.id}').click()
    user.find(marker='reply-body').type('已联系物业，明天来修')
    user.find(marker='reply-send').click()
    await user.should_see('已发表', retries=30)
    reply = await HallPost.get(body='已联系物业，明天来修')
    assert (reply.parent_id, reply.author_name) == (first.id, '社区工作者 王丽')
    await user.should_see(marker=f'body-{reply.id}')
    await user.should_see('社区工作者 王丽')


async def test_a_pending_resident_reads_the_thread_but_gets_no_composer(user: User, world) -> None:
    await hall.post(await principal_of(world['author']), world['issue'].id, '晚上太黑，老人不敢下楼')
    await sign_in(user, world['pending'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    await user.should_see('晚上太黑，老人不敢下楼')
    await user.should_see('实名核验后才能在议事厅发言，请联系社区工作人员')
    await user.should_not_see(marker='composer')


async def test_a_post_made_on_another_phone_appears_live(user: User, create_user: Callable[[], User],
                                                        world) -> None:
    await sign_in(user, world['author'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    await user.should_see(marker='composer')
    other = create_user()
    await sign_in(other, world['backbone'])
    await other.open(f'/issues/{world["issue"].id}/hall')
    other.find(marker='hall-body').type('换成太阳能路灯，不用走电')
    other.find(marker='hall-send').click()
    await other.should_see(marker='post-1', retries=30)  # (a toast is not checked here: with two simulated
    await user.should_see('换成太阳能路灯，不用走电', retries=30)  # users it may be captured by either one)


async def test_staff_hide_a_post_with_a_reason_and_residents_see_only_the_reason(user: User, world) -> None:
    rude = await hall.post(await principal_of(world['backbone']), world['issue'].id, '物业都是骗子，打 13912345678')
    await sign_in(user, world['staff'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    user.find(marker=f'hide-{rude.id}').click()
    user.find(marker='hide-ok').click()
    await user.should_see('隐藏时请写明原因，发言人会收到')
    user.find(marker='hide-reason').type('含有他人电话号码')
    user.find(marker='hide-ok').click()
    await user.should_see('此条已被隐藏：含有他人电话号码', retries=30)
    await user.should_see('物业都是骗子，打 13912345678')  # staff still read it, struck through
    await sign_in(user, world['author'])
    await user.open(f'/issues/{world["issue"].id}/hall')
    await user.should_see('此条已被隐藏：含有他人电话号码')
    await user.should_not_see('物业都是骗子')
