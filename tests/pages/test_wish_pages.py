"""The 心愿墙 as its people use it: a volunteer claims and then sees the wisher's phone, the wisher confirms and
rates, a stranger sees masked phones only, and the loser of a race is told in words."""
from __future__ import annotations

import pytest
from nicegui.testing import User

from models import Issue
from services import issues, wishes
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

WISHER_PHONE = '13912345678'
VOLUNTEER_PHONE = '13700000001'


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    wisher = await make_resident(community, name='周美华', household=home, phone=WISHER_PHONE)
    neighbour = await make_resident(community, name='何建国', household=home)
    accounts = {
        'wisher': await make_account(community, name='周美华', resident=wisher, password=None),
        'neighbour': await make_account(community, name='何建国', resident=neighbour, password=None),
        'volunteer': await make_account(community, 'volunteer', name='王丽', phone=VOLUNTEER_PHONE),
        'volunteer2': await make_account(community, 'volunteer', name='陈刚'),
        'staff': await make_account(community, 'staff', name='李敏'),
    }
    draft = Draft(kind='wish', title='想要一个助行器', body='腿脚不便，出门需要助行器', category='elderly')
    wish = await issues.raise_item(await principal_of(accounts['wisher']), draft)
    await wishes.publish(await principal_of(accounts['staff']), wish.id)
    return {'community': community, 'wish': wish, **accounts}


async def test_a_volunteer_claims_from_the_wall_and_then_sees_the_wishers_phone(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open('/wishes')
    await user.should_see('想要一个助行器')
    await user.should_see('139****5678')
    await user.should_not_see(WISHER_PHONE)
    user.find(marker=f'claim-{world["wish"].id}').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see(WISHER_PHONE, retries=30)
    await user.should_see('心愿人：周美华')
    assert (await Issue.get(id=world['wish'].id)).claimed_by_id == world['volunteer'].id


async def test_the_loser_of_a_claim_race_is_told_who_was_first(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open('/wishes')
    user.find(marker=f'claim-{world["wish"].id}').click()
    await user.should_see(marker='confirm-ok')
    await wishes.claim(await principal_of(world['volunteer2']), world['wish'].id)  # taps first on another phone
    user.find(marker='confirm-ok').click()
    await user.should_see('这个心愿刚被 陈* 认领了', retries=30)
    await user.should_not_see(WISHER_PHONE)


async def test_the_wisher_sees_the_helper_then_confirms_and_rates(user: User, world) -> None:
    volunteer = await principal_of(world['volunteer'])
    await wishes.claim(volunteer, world['wish'].id)
    await wishes.mark_fulfilled(volunteer, world['wish'].id, note='助行器已送到家')
    await sign_in(user, world['wisher'])
    await user.open(f'/wishes/{world["wish"].id}')
    await user.should_see('已完成（待确认）')
    await user.should_see(VOLUNTEER_PHONE)
    await user.should_see('王丽（志愿者）')
    user.find(marker='wish-confirm').click()
    await user.should_see(marker='rate-ok')
    user.find(marker='rating').elements.pop().value = 'fair'
    user.find(marker='rating-comment').type('谢谢小王，很及时')
    user.find(marker='rate-ok').click()
    await user.should_see(marker='wish-rating', retries=30)
    await user.should_see('评价：基本满意')
    wish = await Issue.get(id=world['wish'].id)
    assert (wish.state, wish.rating, wish.rating_comment) == ('confirmed', 'fair', '谢谢小王，很及时')


async def test_the_wisher_says_not_done_with_a_reason(user: User, world) -> None:
    volunteer = await principal_of(world['volunteer'])
    await wishes.claim(volunteer, world['wish'].id)
    await wishes.mark_fulfilled(volunteer, world['wish'].id)
    await sign_in(user, world['wisher'])
    await user.open(f'/wishes/{world["wish"].id}')
    user.find(marker='wish-not-done').click()
    user.find(marker='not-done-ok').click()
    await user.should_see('需要写明原因')
    user.find(marker='not-done-text').type('助行器还没送到')
    user.find(marker='not-done-ok').click()
    await user.should_see('已更新', retries=30)
    await user.should_see('助行器还没送到')
    assert (await Issue.get(id=world['wish'].id)).state == 'claimed'


async def test_a_stranger_sees_masked_phones_only_and_no_claim_button(user: User, world) -> None:
    await wishes.claim(await principal_of(world['volunteer']), world['wish'].id)
    await sign_in(user, world['neighbour'])
    await user.open('/wishes')
    await user.should_see('想要一个助行器')
    await user.should_see('139****5678')
    await user.should_see('137****0001')
    await user.should_not_see(WISHER_PHONE)
    await user.should_not_see(VOLUNTEER_PHONE)
    await user.should_not_see('周美华')
    await user.should_not_see(marker=f'claim-{world["wish"].id}')
    await user.open(f'/wishes/{world["wish"].id}')
    await user.should_see('137****0001')
    await user.should_not_see(VOLUNTEER_PHONE)


async def test_an_old_notice_link_to_the_issue_screen_opens_the_wish(user: User, world) -> None:
    await sign_in(user, world['wisher'])
    await user.open(f'/issues/{world["wish"].id}')
    await user.should_see(marker='wish-title')


async def test_a_claim_elsewhere_takes_the_button_off_the_open_wall_live(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open('/issues')
    user.find(marker='to-wishes').click()
    await user.should_see(marker=f'claim-{world["wish"].id}')
    await wishes.claim(await principal_of(world['volunteer2']), world['wish'].id)
    await user.should_not_see(marker=f'claim-{world["wish"].id}', retries=30)
    await user.should_see('陈*（志愿者）')
