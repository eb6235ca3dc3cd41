"""The organisers' vote screens as staff use them: define a vote on a phone (and once, however often 保存 is tapped),
refused rules explained in words with nothing saved, a vote started from an approved 协商成果, opening and closing
with the reasons that block a step, paper ballots with their sheet numbers, objections answered; residents are
turned away from these screens."""
from __future__ import annotations

from datetime import timedelta

import pytest
from nicegui.testing import User

from domain.errors import DomainError
from domain.votes import Definition
from models import Ballot, Elector, Objection, Vote
from services import audit, minutes, objections, votes
from services.votes import VoteDraft
from tests.support import (
    make_account,
    make_agenda_item,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    make_vote,
    principal_of,
    sign_in,
)


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    other_home = await make_household(community, compound='嘉明花园', building='3栋', room='501')
    grandma = await make_resident(community, name='张桂兰', household=home)
    neighbour = await make_resident(community, name='何建国', household=other_home)
    staff = await make_account(community, 'staff', name='李敏')
    committee = await make_account(community, 'committee', name='陈书记')
    resident = await make_account(community, name='何建国', resident=neighbour, password=None)
    return {'community': community, 'staff': staff, 'committee': committee, 'resident': resident,
            'grandma': grandma, 'neighbour': neighbour}


def _set(user: User, marker: str, value: object) -> None:
    for element in user.find(marker=marker).elements:
        element.value = value


async def test_staff_define_a_vote_once_however_often_save_is_tapped_and_see_it_in_the_list(user: User,
                                                                                            world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/votes')
    user.find(marker='new-vote').click()
    await user.should_see(marker='vote-save', retries=30)
    await user.should_see('约 2 人', retries=30)  # the live roll preview: two verified adults
    user.find(marker='vote-title').type('嘉明花园加装充电桩')
    user.find(marker='vote-save').click()
    user.find(marker='vote-save').click()
    await user.should_see(marker='vote-state', retries=50)  # on the manage page
    await user.should_see('草稿')
    assert await Vote.filter(title='嘉明花园加装充电桩').count() == 1
    await user.open('/votes')
    await user.should_see('嘉明花园加装充电桩')
    vote = await Vote.get(title='嘉明花园加装充电桩')
    await user.should_see(marker=f'vote-state-{vote.id}')


async def test_the_form_refuses_the_278_rule_counted_by_person_with_the_service_reason_and_saves_nothing(
        user: User, world) -> None:
    staff = await principal_of(world['staff'])
    now = audit.now()
    refused = Definition(
        title='维修资金续筹', description='', ballot_type='yes_no', options=(), max_choices=1, electorate='community',
        counting='person', rule='civil_278_major', custom_turnout=None, custom_approval=None,
        channels=frozenset({'online'}), max_principals=3, results_live=True, secret=False, allow_change=False,
        opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=7), publicity_days=7)
    with pytest.raises(DomainError) as caught:
        await votes.create_vote(staff, world['community'].id, VoteDraft(definition=refused))
    await sign_in(user, world['staff'])
    await user.open('/votes/new')
    user.find(marker='vote-title').type('维修资金续筹')
    _set(user, 'rule', 'civil_278_major')
    await user.should_see('第二百七十八条')  # the rule's legal source under the select
    await user.should_see('位业主')  # the form suggests counting owners with their area …
    _set(user, 'counting', 'person')  # … but the organiser insists on counting people
    user.find(marker='vote-save').click()
    await user.should_see(caught.value.message, retries=30)
    await user.should_see(marker='vote-save')  # still on the form
    assert await Vote.all().count() == 0


async def test_a_vote_started_from_an_approved_outcome_is_prefilled_and_linked(user: User, world) -> None:
    staff = await principal_of(world['staff'])
    meeting = await make_meeting(world['community'], state='closed')
    item = await make_agenda_item(meeting, title='3栋楼道加装扶手')
    outcome = await minutes.draft_outcome(staff, item.id, kind='vote',
                                         text='议事会同意在3栋每层楼道加装不锈钢扶手，费用由维修资金列支，交3栋居民表决。')
    await minutes.submit_outcome(staff, outcome.id)
    await minutes.review_outcome(await principal_of(world['committee']), outcome.id, approve=True)
    await sign_in(user, world['staff'])
    await user.open('/votes')
    await user.should_see('待表决的协商成果')
    user.find(marker=f'start-vote-{outcome.id}').click()
    await user.should_see(marker='from-outcome', retries=30)
    assert user.find(marker='vote-title').elements.pop().value == '3栋楼道加装扶手'
    assert user.find(marker='vote-description').elements.pop().value.startswith('议事会同意在3栋每层楼道加装')
    user.find(marker='vote-save').click()
    await user.should_see(marker='vote-state', retries=50)
    vote = await Vote.get(title='3栋楼道加装扶手')
    assert vote.outcome_id == outcome.id


async def test_staff_open_then_close_early_with_a_reason_and_finalising_shows_what_blocks_it(user: User,
                                                                                           world) -> None:
    vote = await make_vote(world['community'], actor=await principal_of(world['staff']), title='小区大门改造')
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}/manage')
    user.find(marker='vote-open').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see('表决中', retries=50)
    await user.should_see(marker='vote-close')
    user.find(marker='vote-close').click()
    await user.should_see(marker='close-ok')
    user.find(marker='close-reason').type('议事会决定改期')
    user.find(marker='close-ok').click()
    await user.should_see('公示中', retries=50)
    assert (await Vote.get(id=vote.id)).state == 'closed'
    reasons = await votes.why_cannot_finalise(vote.id)
    assert reasons  # the 公示 period has only begun
    await user.should_see(reasons[0])
    assert not user.find(marker='vote-finalise').elements.pop().enabled


async def test_residents_are_turned_away_from_the_vote_form_and_the_manage_page(user: User, world) -> None:
    vote = await make_vote(world['community'], actor=await principal_of(world['staff']), opened=True)
    await sign_in(user, world['resident'])
    await user.open('/votes')
    await user.should_see('加装电梯')  # the open vote, with its state and closing time
    await user.should_see(marker=f'vote-closes-{vote.id}')
    await user.should_not_see(marker='new-vote')
    await user.should_not_see(marker=f'manage-{vote.id}')
    await user.open('/votes/new')
    await user.should_see(marker='no-permission')
    await user.should_not_see(marker='vote-save')
    await user.open(f'/votes/{vote.id}/manage')
    await user.should_see(marker='no-permission')
    await user.should_not_see(marker='vote-close')
    await user.open(f'/votes/{vote.id}/paper')
    await user.should_see(marker='no-permission')


async def test_paper_entry_stores_the_ballot_with_its_sheet_number_and_refuses_the_same_sheet_twice(
        user: User, world) -> None:
    staff_account = world['staff']
    vote = await make_vote(world['community'], actor=await principal_of(staff_account), opened=True,
                           channels=frozenset({'online', 'paper'}))
    yes = (await vote.options.all().order_by('position')).pop(0)
    grandma = await Elector.get(vote_id=vote.id, resident_id=world['grandma'].id)
    neighbour = await Elector.get(vote_id=vote.id, resident_id=world['neighbour'].id)
    await sign_in(user, staff_account)
    await user.open(f'/votes/{vote.id}/paper')
    user.find(marker='elector-search').type('张桂兰')
    user.find(marker='elector-find').click()
    await user.should_see(marker=f'elector-{grandma.id}', retries=30)
    user.find(marker=f'elector-{grandma.id}').click()
    await user.should_see('投票人：张桂兰')
    _set(user, 'choices', yes.id)
    user.find(marker='sheet-no').type('A-0001')
    user.find(marker='paper-enter').click()
    user.find(marker='paper-enter').click()
    await user.should_see('已录入 1 张', retries=50)
    await user.should_see(marker='sheet-A-0001')
    await user.should_see('张桂兰 · 李敏')  # for whom, and who typed it in
    stored = await Ballot.get(vote_id=vote.id)
    assert (stored.sheet_no, stored.channel, stored.entered_by_id, stored.choices) == \
        ('A-0001', 'paper', staff_account.id, [yes.id])

    user.find(marker='elector-search').type('何建国')
    user.find(marker='elector-find').click()
    await user.should_see(marker=f'elector-{neighbour.id}', retries=30)
    user.find(marker=f'elector-{neighbour.id}').click()
    _set(user, 'choices', yes.id)
    user.find(marker='sheet-no').type('A-0001')
    user.find(marker='paper-enter').click()
    await user.should_see(marker='paper-problem', retries=30)
    assert user.find(marker='paper-problem').elements.pop().text
    assert await Ballot.filter(vote_id=vote.id).count() == 1


async def test_an_objection_is_answered_on_the_manage_page_and_everyone_reads_the_answer(user: User, world) -> None:
    staff = await principal_of(world['staff'])
    vote = await make_vote(world['community'], actor=staff, opened=True, title='小区大门改造')
    await votes.close_vote(staff, vote.id, reason='议事会决定提前计票')
    await objections.file_objection(await principal_of(world['resident']), vote.id, '我家没有收到投票通知',
                                    nonce='objection-1')
    objection = await Objection.get(vote_id=vote.id)
    await sign_in(user, world['committee'])
    await user.open(f'/votes/{vote.id}/manage')
    await user.should_see('我家没有收到投票通知')
    await user.should_not_see(marker='vote-cancel')  # answering is all the committee does here
    user.find(marker=f'answer-text-{objection.id}').type('经核实，通知已于投票前三天张贴在3栋楼道')
    user.find(marker=f'dismiss-{objection.id}').click()
    await user.should_see('答复（异议不成立）：经核实，通知已于投票前三天张贴在3栋楼道', retries=50)
    answered = await Objection.get(id=objection.id)
    assert answered.upheld is False and answered.answered_by_id == world['committee'].id


async def test_opening_is_refused_with_the_reason_while_the_on_site_meeting_is_missing(user: User, world) -> None:
    vote = await make_vote(world['community'], actor=await principal_of(world['staff']),
                           channels=frozenset({'online', 'onsite'}))
    reasons = await votes.why_cannot_open(vote.id)
    assert reasons
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}/manage')
    for reason in reasons:
        await user.should_see(reason)
    assert not user.find(marker='vote-open').elements.pop().enabled
    assert (await Vote.get(id=vote.id)).state == 'draft'


async def test_staff_change_a_draft_and_the_form_shows_what_was_saved(user: User, world) -> None:
    vote = await make_vote(world['community'], actor=await principal_of(world['staff']), title='加装电梯',
                           channels=frozenset({'online', 'paper'}), publicity_days=10)
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}/edit')
    assert user.find(marker='vote-title').elements.pop().value == '加装电梯'
    assert user.find(marker='channel-paper').elements.pop().value is True
    assert user.find(marker='publicity-days').elements.pop().value == 10
    _set(user, 'vote-title', '1栋加装电梯')
    user.find(marker='vote-save').click()
    await user.should_see(marker='vote-state', retries=50)
    changed = await Vote.get(id=vote.id)
    assert (changed.title, changed.publicity_days, sorted(changed.channels)) == ('1栋加装电梯', 10, ['online', 'paper'])


async def test_a_single_choice_vote_keeps_the_options_typed_and_drops_a_removed_row(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/votes/new')
    user.find(marker='vote-title').type('3栋楼道颜色')
    _set(user, 'ballot-type', 'single')
    user.find(marker='option-0').type('浅灰')
    user.find(marker='option-1').type('米黄')
    user.find(marker='option-add').click()
    await user.should_see(marker='option-2')
    user.find(marker='option-2').type('粉红')
    user.find(marker='option-add').click()
    await user.should_see(marker='option-3')
    user.find(marker='option-remove-3').click()  # the empty row, added by mistake
    await user.should_not_see(marker='option-3')
    user.find(marker='vote-save').click()
    await user.should_see(marker='vote-state', retries=50)
    vote = await Vote.get(title='3栋楼道颜色')
    labels = await vote.options.all().order_by('position').values_list('label', flat=True)
    assert (vote.ballot_type, list(labels)) == ('single', ['浅灰', '米黄', '粉红'])


async def test_a_proxy_ballot_records_who_brought_it(user: User, world) -> None:
    vote = await make_vote(world['community'], actor=await principal_of(world['staff']), opened=True,
                           channels=frozenset({'online', 'paper', 'proxy'}))
    no = (await vote.options.all().order_by('position'))[1]
    grandma = await Elector.get(vote_id=vote.id, resident_id=world['grandma'].id)
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}/paper')
    user.find(marker='elector-search').type('402')
    user.find(marker='elector-find').click()
    await user.should_see(marker=f'elector-{grandma.id}', retries=30)
    user.find(marker=f'elector-{grandma.id}').click()
    _set(user, 'choices', no.id)
    user.find(marker='sheet-no').type('W-007')
    user.find(marker='proxy-search').type('何建国')
    user.find(marker='proxy-find').click()
    await user.should_see(marker=f'proxy-{world["neighbour"].id}', retries=30)
    user.find(marker=f'proxy-{world["neighbour"].id}').click()
    await user.should_see('受托人：何建国')
    user.find(marker='paper-enter').click()
    await user.should_see('已录入 1 张', retries=50)
    stored = await Ballot.get(vote_id=vote.id)
    assert (stored.channel, stored.proxy_id, stored.sheet_no, stored.choices) == \
        ('proxy', world['neighbour'].id, 'W-007', [no.id])


async def test_a_custom_rule_is_saved_as_the_exact_fractions_typed(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/votes/new')
    user.find(marker='vote-title').type('议事规则修订')
    _set(user, 'rule', 'custom')
    await user.should_see(marker='approval-num')
    _set(user, 'turnout-none', True)
    _set(user, 'approval-num', 2)
    _set(user, 'approval-den', 3)
    _set(user, 'approval-strict', False)  # 三分之二以上: the boundary passes
    user.find(marker='vote-save').click()
    await user.should_see(marker='vote-state', retries=50)
    vote = await Vote.get(title='议事规则修订')
    assert (vote.rule, vote.turnout_num, vote.approval_num, vote.approval_den, vote.approval_strict) == \
        ('custom', None, 2, 3, False)
