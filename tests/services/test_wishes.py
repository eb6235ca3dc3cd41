"""心愿墙 services on a real database: who may claim, masked contacts, the claim race, fulfil, confirm, not done."""
import asyncio

import pytest

from domain.errors import DomainError
from models import AuditEntry, Issue, IssueEvent, Notification, ResidentTag
from services import events, issues, wishes
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of

WISHER_PHONE = '13912345678'


def _walker() -> Draft:
    return Draft(kind='wish', title='想要一个助行器', body='腿脚不便，出门需要助行器', category='elderly')


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    wisher = await make_resident(community, name='周美华', household=home, phone=WISHER_PHONE)
    neighbour = await make_resident(community, name='何建国', household=home)
    member = await make_resident(community, name='刘德明', household=home)
    await ResidentTag.create(resident=member, tag='党员')
    accounts = {
        'wisher': await make_account(community, name='周美华', resident=wisher, password=None),
        'neighbour': await make_account(community, name='何建国', resident=neighbour, password=None),
        'member': await make_account(community, name='刘德明', resident=member, password=None),
        'volunteer': await make_account(community, 'volunteer', name='王丽', phone='13700000001'),
        'volunteer2': await make_account(community, 'volunteer', name='陈刚', phone='13700000002'),
        'staff': await make_account(community, 'staff', name='李敏'),
    }
    people = {key: await principal_of(account) for key, account in accounts.items()}
    wish = await issues.raise_item(people['wisher'], _walker())
    await wishes.publish(people['staff'], wish.id)
    return {'community': community, 'wish': wish, 'accounts': accounts, **people}


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def test_a_submitted_wish_stays_off_the_wall_until_staff_publish_it(world) -> None:
    second = await issues.raise_item(world['wisher'], _walker())
    assert [c.id for c in await wishes.wall(world['volunteer'], world['community'].id)] == [world['wish'].id]
    assert (await _refusal(wishes.detail(world['volunteer'], second.id))).code == 'not_found'
    assert (await wishes.detail(world['wisher'], second.id)).card.state == 'submitted'  # the wisher follows it
    await wishes.publish(world['staff'], second.id)
    wall = await wishes.wall(world['volunteer'], world['community'].id)
    assert [c.id for c in wall] == [second.id, world['wish'].id]  # newest first


async def test_a_volunteer_claims_and_the_wisher_is_told_who(world) -> None:
    heard = []
    events.subscribe('wish.*', heard.append)
    claimed = await wishes.claim(world['volunteer'], world['wish'].id)
    assert (claimed.state, claimed.claimed_by_id) == ('claimed', world['accounts']['volunteer'].id)
    assert claimed.claimed_at is not None
    timeline = await IssueEvent.filter(issue_id=claimed.id).order_by('id')
    assert [(e.from_state, e.to_state) for e in timeline][-1] == ('open', 'claimed')
    assert await AuditEntry.filter(action='wish.moved', target_id=claimed.id).count() == 2  # published, claimed
    notice = await Notification.filter(account_id=world['accounts']['wisher'].id).order_by('-id').first()
    assert '王丽（志愿者）' in notice.text
    assert [(e.name, e.community_id) for e in heard] == [('wish.claimed', world['community'].id)]


async def test_contacts_are_masked_before_the_claim_and_full_after_for_exactly_the_two_sides(world) -> None:
    community_id = world['community'].id
    (before,) = await wishes.wall(world['volunteer'], community_id)
    assert (before.wisher.name, before.wisher.phone, before.claimer) == ('居民', '139****5678', None)
    await wishes.claim(world['volunteer'], world['wish'].id)
    (claimer_view,) = await wishes.wall(world['volunteer'], community_id)
    assert (claimer_view.wisher.name, claimer_view.wisher.phone) == ('周美华', WISHER_PHONE)
    (wisher_view,) = await wishes.wall(world['wisher'], community_id)
    assert (wisher_view.claimer.name, wisher_view.claimer.phone, wisher_view.claimer.kinds) == \
        ('王丽', '13700000001', ('志愿者',))
    for stranger in ('neighbour', 'volunteer2', 'member'):
        (seen,) = await wishes.wall(world[stranger], community_id)
        assert (seen.wisher.name, seen.wisher.phone) == ('居民', '139****5678')
        assert (seen.claimer.name, seen.claimer.phone) == ('王*', '137****0001')
    (staff_view,) = await wishes.wall(world['staff'], community_id)
    assert (staff_view.wisher.phone, staff_view.claimer.phone) == (WISHER_PHONE, '13700000001')


async def test_a_party_member_may_claim_but_a_plain_resident_may_not(world) -> None:
    (seen,) = await wishes.wall(world['neighbour'], world['community'].id)
    assert not seen.can_claim
    assert (await _refusal(wishes.claim(world['neighbour'], world['wish'].id))).code == 'forbidden'
    (seen,) = await wishes.wall(world['member'], world['community'].id)
    assert seen.can_claim
    await wishes.claim(world['member'], world['wish'].id)
    (wisher_view,) = await wishes.wall(world['wisher'], world['community'].id)
    assert wisher_view.claimer.kinds == ('党员',)


async def test_the_wisher_can_never_claim_their_own_wish_even_as_a_volunteer(world) -> None:
    await ResidentTag.create(resident_id=world['wisher'].resident_id, tag='志愿者')
    (seen,) = await wishes.wall(world['wisher'], world['community'].id)
    assert not seen.can_claim
    assert (await _refusal(wishes.claim(world['wisher'], world['wish'].id))).code == 'own_wish'
    assert (await Issue.get(id=world['wish'].id)).state == 'open'


async def test_two_volunteers_claiming_at_once_one_wins_and_the_other_is_told(world) -> None:
    results = await asyncio.gather(wishes.claim(world['volunteer'], world['wish'].id),
                                   wishes.claim(world['volunteer2'], world['wish'].id), return_exceptions=True)
    won = [r for r in results if isinstance(r, Issue)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == 'already_claimed' and '认领了' in lost[0].message
    wish = await Issue.get(id=world['wish'].id)
    assert wish.claimed_by_id == won[0].claimed_by_id
    assert await IssueEvent.filter(issue_id=wish.id, to_state='claimed').count() == 1
    late = await _refusal(wishes.claim(world['member'], world['wish'].id))
    assert late.code == 'already_claimed'


async def test_giving_up_puts_the_wish_back_on_the_wall_for_someone_else(world) -> None:
    await wishes.claim(world['volunteer'], world['wish'].id)
    assert (await _refusal(wishes.give_up(world['volunteer'], world['wish'].id, reason=' '))).code == \
        'reason_required'
    assert (await _refusal(wishes.give_up(world['volunteer2'], world['wish'].id, reason='不想'))).code == 'forbidden'
    wish = await wishes.give_up(world['volunteer'], world['wish'].id, reason='家里有事，去不了')
    assert (wish.state, wish.claimed_by_id, wish.claimed_at) == ('open', None, None)
    (seen,) = await wishes.wall(world['volunteer2'], world['community'].id)
    assert seen.can_claim and seen.claimer is None
    await wishes.claim(world['volunteer2'], world['wish'].id)


async def test_fulfil_then_confirm_with_a_rating_stores_it_and_tells_the_claimer(world) -> None:
    await wishes.claim(world['volunteer'], world['wish'].id)
    assert (await _refusal(wishes.mark_fulfilled(world['wisher'], world['wish'].id))).code == 'forbidden'
    await wishes.mark_fulfilled(world['volunteer'], world['wish'].id, note='助行器已送到家')
    told = await Notification.filter(account_id=world['accounts']['wisher'].id).order_by('-id').first()
    assert '请确认并评价' in told.text
    assert (await _refusal(wishes.confirm(world['volunteer'], world['wish'].id, rating='satisfied'))).code == \
        'forbidden'
    wish = await wishes.confirm(world['wisher'], world['wish'].id, rating='satisfied', comment='谢谢小王')
    assert (wish.state, wish.rating, wish.rating_comment) == ('confirmed', 'satisfied', '谢谢小王')
    thanked = await Notification.filter(account_id=world['accounts']['volunteer'].id).order_by('-id').first()
    assert '满意' in thanked.text and '谢谢小王' in thanked.text
    detail = await wishes.detail(world['neighbour'], world['wish'].id)
    assert (detail.rating, detail.rating_comment) == ('满意', '')  # the comment is for the two sides
    assert not await wishes.wall(world['volunteer'], world['community'].id)  # confirmed wishes leave the wall


async def test_not_done_sends_it_back_to_the_claimer_with_the_reason(world) -> None:
    await wishes.claim(world['volunteer'], world['wish'].id)
    await wishes.mark_fulfilled(world['volunteer'], world['wish'].id)
    assert (await _refusal(wishes.not_done(world['wisher'], world['wish'].id, reason=''))).code == 'reason_required'
    wish = await wishes.not_done(world['wisher'], world['wish'].id, reason='助行器还没送到')
    assert (wish.state, wish.claimed_by_id) == ('claimed', world['accounts']['volunteer'].id)
    told = await Notification.filter(account_id=world['accounts']['volunteer'].id).order_by('-id').first()
    assert '助行器还没送到' in told.text
    detail = await wishes.detail(world['volunteer'], world['wish'].id)
    assert detail.actions == ['fulfil', 'give_up']


@pytest.mark.parametrize(('rating', 'comment', 'code'), [
    ('excellent', None, 'invalid_rating'),
    ('', None, 'invalid_rating'),
    ('fair', '好' * 501, 'invalid_comment'),
])
async def test_a_bad_rating_or_comment_is_refused_and_nothing_changes(world, rating, comment, code) -> None:
    await wishes.claim(world['volunteer'], world['wish'].id)
    await wishes.mark_fulfilled(world['volunteer'], world['wish'].id)
    refused = await _refusal(wishes.confirm(world['wisher'], world['wish'].id, rating=rating, comment=comment))
    assert refused.code == code
    wish = await Issue.get(id=world['wish'].id)
    assert (wish.state, wish.rating) == ('fulfilled', None)


async def test_the_generic_move_cannot_claim_a_wish_without_a_claimer(world) -> None:
    refused = await _refusal(issues.move(world['volunteer'], world['wish'].id, 'claimed'))
    assert refused.code == 'illegal_transition'
    assert (await Issue.get(id=world['wish'].id)).claimed_by_id is None


async def test_the_buttons_each_person_gets_follow_the_lifecycle(world) -> None:
    wish_id = world['wish'].id
    assert (await wishes.detail(world['volunteer'], wish_id)).actions == ['claim']
    assert (await wishes.detail(world['wisher'], wish_id)).actions == []
    assert (await wishes.detail(world['staff'], wish_id)).actions == ['claim', 'reject']
    await wishes.claim(world['volunteer'], wish_id)
    await wishes.mark_fulfilled(world['volunteer'], wish_id)
    assert (await wishes.detail(world['wisher'], wish_id)).actions == ['confirm', 'not_done']
    assert (await wishes.detail(world['volunteer'], wish_id)).actions == []
