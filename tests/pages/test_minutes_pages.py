"""纪要 and 协商成果 on screen: staff write and send for review, the 两委 approve or return, the public reads."""
from __future__ import annotations

import pytest
from nicegui import app
from nicegui.testing import User

from models import AgendaItem, Issue, Outcome
from services import issues, minutes
from services.issues import Draft
from tests.support import (
    make_account,
    make_agenda_item,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    principal_of,
    sign_in,
)


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    accounts = {
        'author': await make_account(community, name='周美华', resident=author, password=None),
        'staff': await make_account(community, 'staff', name='王丽'),
        'committee': await make_account(community, 'committee', name='陈书记'),
    }
    staff = await principal_of(accounts['staff'])
    issue = await issues.raise_item(await principal_of(accounts['author']),
                                    Draft(kind='issue', title='3栋门口停车难', body='晚上车位不够', category='traffic'))
    for state in ('accepted', 'triaged', 'deliberating'):
        await issues.move(staff, issue.id, state)
    meeting = await make_meeting(community, title='嘉明花园议事会')
    item = await make_agenda_item(meeting, issue=issue)
    return {'community': community, 'meeting': meeting, 'item': item, 'issue': issue, **accounts}


async def _submitted(world) -> Outcome:
    staff = await principal_of(world['staff'])
    outcome = await minutes.draft_outcome(staff, world['item'].id, kind='vote', text='划定夜间临时停车位，交居民表决')
    return await minutes.submit_outcome(staff, outcome.id)


async def test_staff_write_minutes_in_place_and_anyone_reads_them_without_signing_in(user: User, world) -> None:
    item_id = world['item'].id
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    await user.should_see('3栋门口停车难')
    user.find(marker=f'minutes-{item_id}').type('大家同意先摸清车位数量')
    user.find(marker=f'minutes-save-{item_id}').click()
    await user.should_see('纪要已保存', retries=30)
    assert (await AgendaItem.get(id=item_id)).minutes == '大家同意先摸清车位数量'
    with user:  # signed out: a passer-by who scanned the poster
        app.storage.user.pop('account_id')
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    await user.should_see(marker=f'minutes-text-{item_id}')
    await user.should_see('大家同意先摸清车位数量')
    await user.should_not_see(marker=f'minutes-{item_id}')


async def test_staff_draft_then_send_for_review_and_the_public_does_not_see_it_yet(user: User, world) -> None:
    item_id = world['item'].id
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    user.find(marker=f'outcome-text-{item_id}').type('划定夜间临时停车位')
    user.find(marker=f'outcome-save-{item_id}').click()
    await user.should_see('草稿已保存', retries=30)
    await user.should_see('状态：草稿')
    user.find(marker=f'outcome-submit-{item_id}').click()
    await user.should_see('已提交审核', retries=30)
    outcome = await Outcome.get(item_id=item_id)
    assert (outcome.state, outcome.kind, outcome.text) == ('submitted', 'vote', '划定夜间临时停车位')
    await user.should_see(marker=f'outcome-state-{outcome.id}')
    await sign_in(user, world['author'])
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    await user.should_see('协商成果经党组织审核后公开')
    await user.should_not_see('划定夜间临时停车位')


async def test_the_committee_approves_from_the_queue_and_the_public_then_sees_the_outcome(user: User, world) -> None:
    outcome = await _submitted(world)
    await sign_in(user, world['committee'])
    await user.open('/outcomes/review')
    await user.should_see('划定夜间临时停车位，交居民表决')
    await user.should_see('王丽 提交于')
    user.find(marker=f'approve-{outcome.id}').click()
    await user.should_see('已通过，成果已公开', retries=30)
    await user.should_see('没有待审核的协商成果', retries=30)
    assert (await Issue.get(id=world['issue'].id)).state == 'reviewed'
    await sign_in(user, world['author'])
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    await user.should_see('划定夜间临时停车位，交居民表决')
    await user.should_see(marker=f'outcome-approved-{outcome.id}')
    await user.should_see('提交表决')


async def test_a_return_without_a_note_is_explained_and_with_one_the_writer_reads_it(user: User, world) -> None:
    outcome = await _submitted(world)
    await sign_in(user, world['committee'])
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    user.find(marker=f'return-{outcome.id}').click()
    user.find(marker='return-ok').click()
    await user.should_see('退回时请写明需要修改什么')
    user.find(marker='return-note').type('请写明车位数量和位置')
    user.find(marker='return-ok').click()
    await user.should_see('已退回', retries=30)
    assert (await Outcome.get(id=outcome.id)).state == 'returned'
    await sign_in(user, world['staff'])
    await user.open(f'/meetings/{world["meeting"].id}/minutes')
    await user.should_see('退回意见：请写明车位数量和位置')
    await user.should_see(marker=f'outcome-submit-{world["item"].id}')


async def test_the_review_queue_is_closed_to_staff_without_the_review_role(user: User, world) -> None:
    await _submitted(world)
    await sign_in(user, world['staff'])
    await user.open('/outcomes/review')
    await user.should_see(marker='no-permission')
    await user.should_not_see('划定夜间临时停车位，交居民表决')
