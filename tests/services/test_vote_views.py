"""What the vote pages show: the list (drafts for organisers only), one vote with its rule in plain words."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from domain.errors import DomainError
from domain.permissions import ANONYMOUS
from models import Ownership
from services import vote_counting, vote_views, votes
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_resident,
    make_vote,
    principal_of,
)

pytestmark = pytest.mark.usefixtures('db')

AT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def world():
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402', area='88.80')
    resident = await make_resident(community, name='周美华', household=home)
    other = await make_community(name='桃山村')
    stranger = await make_resident(other, name='外村人', household=await make_household(other))
    return {
        'community': community, 'home': home, 'resident_row': resident,
        'staff': await principal_of(await make_account(community, 'staff', name='王丽')),
        'committee': await principal_of(await make_account(community, 'committee', name='陈书记')),
        'resident': await principal_of(await make_account(community, name='周美华', resident=resident,
                                                          password=None)),
        'stranger': await principal_of(await make_account(other, name='外村人', resident=stranger, password=None)),
    }


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def test_residents_see_open_and_closed_votes_but_not_drafts(world):
    c, staff = world['community'], world['staff']
    draft = await make_vote(c, actor=staff, title='草稿表决')
    running = await make_vote(c, actor=staff, title='加装电梯', open_at=AT)
    done = await make_vote(c, actor=staff, title='停车位划线', open_at=AT - timedelta(days=30))
    await votes.close_vote(None, done.id, at=AT - timedelta(days=22))
    listed = await vote_views.list_votes(world['resident'], c.id)
    assert [(v.title, v.state_label, v.verdict_label) for v in listed] == \
        [('加装电梯', '表决中', ''), ('停车位划线', '公示中', '参与不足，表决无效')]
    for_staff = await vote_views.list_votes(staff)
    assert [v.id for v in for_staff] == [running.id, draft.id, done.id]


async def test_people_of_another_community_and_visitors_see_no_votes(world):
    vote = await make_vote(world['community'], actor=world['staff'], open_at=AT)
    assert await vote_views.list_votes(world['stranger']) == []
    assert await vote_views.list_votes(world['stranger'], world['community'].id) == []
    assert await vote_views.list_votes(ANONYMOUS) == []
    assert (await _refusal(vote_views.vote_view(world['stranger'], vote.id))).code == 'not_found'
    assert (await _refusal(vote_views.vote_view(ANONYMOUS, vote.id))).code == 'not_found'


async def test_a_draft_is_not_found_for_residents_and_committee_but_shown_to_staff(world):
    draft = await make_vote(world['community'], actor=world['staff'])
    for who in ('resident', 'committee'):
        assert (await _refusal(vote_views.vote_view(world[who], draft.id))).code == 'not_found'
    view = await vote_views.vote_view(world['staff'], draft.id)
    assert (view.state_label, view.roll_heads, view.may_manage) == ('草稿', 1, True)
    assert (await _refusal(vote_views.vote_view(world['staff'], 9999))).code == 'not_found'


async def test_the_view_states_the_rule_its_source_and_the_labels(world):
    owner = world['resident_row']
    await Ownership.create(household=world['home'], resident=owner)
    vote = await make_vote(world['community'], actor=world['staff'], counting='owner', rule='civil_278_major',
                           channels=frozenset({'online', 'paper'}), open_at=AT)
    view = await vote_views.vote_view(world['resident'], vote.id)
    assert view.rule_key == 'civil_278_major'
    assert view.rule_label == '业主共同决定（筹集维修资金、改建重建、改变共有部分用途或经营）'
    assert view.rule_source == '《中华人民共和国民法典》第二百七十八条第一款第六项至第八项'
    assert view.rule_text == vote_counting.rule_for_vote(vote).describe('owner')
    assert '四分之三' in view.rule_text
    assert (view.counting_label, view.electorate_label, view.state_label) == \
        ('按业主人数和专有面积', '全社区', '表决中')
    assert [(o.label, o.kind) for o in view.options] == [('赞成', 'yes'), ('反对', 'no'), ('弃权', 'abstain')]
    assert (view.roll_heads, view.roll_area) == (1, Fraction(888, 10))
    assert view.channels == frozenset({'online', 'paper'})
    assert (view.may_manage, view.may_enter, view.may_answer) == (False, False, False)


async def test_the_permission_flags_follow_the_roles(world):
    vote = await make_vote(world['community'], actor=world['staff'], open_at=AT)
    staff = await vote_views.vote_view(world['staff'], vote.id)
    committee = await vote_views.vote_view(world['committee'], vote.id)
    assert (staff.may_manage, staff.may_enter, staff.may_answer) == (True, True, True)
    assert (committee.may_manage, committee.may_enter, committee.may_answer) == (False, False, True)


async def test_the_electorate_label_names_the_chosen_places(world):
    c = world['community']
    peach = await make_household(c, compound='桃花苑', building='5栋', room='101')
    await make_resident(c, name='桃花苑居民', household=peach)
    vote = await make_vote(c, actor=world['staff'], electorate='places',
                           building_ids=(world['home'].building_id, peach.building_id))
    view = await vote_views.vote_view(world['staff'], vote.id)
    assert view.electorate_label == '指定小区或楼栋：嘉明花园3栋、桃花苑5栋'
    assert view.roll_heads == 2


async def test_a_closed_vote_shows_its_verdict_and_the_frozen_roll(world):
    c = world['community']
    vote = await make_vote(c, actor=world['staff'], open_at=AT)
    await make_resident(c, name='后来核验', household=world['home'])
    closed = await votes.close_vote(world['staff'], vote.id, at=AT + timedelta(days=1), reason='提前结束')
    view = await vote_views.vote_view(world['resident'], vote.id)
    assert (view.state, view.verdict, view.verdict_label) == ('closed', 'not_quorate', '参与不足，表决无效')
    assert (view.closed_at, view.publicity_ends_at, view.state_reason) == \
        (closed.closed_at, closed.publicity_ends_at, '提前结束')
    assert view.roll_heads == 1
