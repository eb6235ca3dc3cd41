"""The vote screens as residents use them: a verified resident votes in three taps and keeps a receipt code; a
household member sees who voted; refusals say why; hidden results show only turnout; a double tap casts once; the
receipt page finds the code; the result page shows the figures and takes objections in 公示; the printable notice
carries the rule and the figures; a secret vote never shows who chose what."""
from __future__ import annotations

from datetime import timedelta

import pytest
from nicegui.testing import User

from models import Ballot, VoteOption
from services import audit, ballots, tallies, votes
from tests.support import make_account, make_community, make_household, make_resident, make_vote, principal_of, sign_in


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='1栋', room='502')
    other = await make_household(community, compound='嘉明花园', building='1栋', room='601')
    people = {
        'zhang': await make_resident(community, name='张桂兰', household=home),
        'li': await make_resident(community, name='李国强', household=home),
        'wang': await make_resident(community, name='王秀英', household=other),
        'sun': await make_resident(community, name='孙小梅', household=other, status='pending'),
    }
    accounts = {key: await make_account(community, name=r.name, resident=r, password=None)
                for key, r in people.items()}
    staff = await make_account(community, 'staff', name='李敏')
    return {'community': community, 'staff': staff, **accounts}


async def _vote(world, **overrides):
    return await make_vote(world['community'], actor=await principal_of(world['staff']), opened=True, **overrides)


async def _option(vote, kind: str) -> int:
    return (await VoteOption.get(vote_id=vote.id, kind=kind)).id


async def _cast(world, who: str, vote, kind: str = 'yes', nonce: str = 'n-0001-abcdef'):
    return await ballots.cast_ballot(await principal_of(world[who]), vote.id, [await _option(vote, kind)],
                                     nonce=nonce)


async def test_a_verified_resident_votes_in_three_taps_and_keeps_the_receipt_code(user: User, world) -> None:
    vote = await _vote(world)
    await sign_in(user, world['zhang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('加装电梯')
    await user.should_see('已投 0 人（共 3 人）', retries=30)  # the live hub's first count
    yes = await _option(vote, 'yes')
    user.find(marker=f'option-{yes}').click()
    user.find(marker='vote-submit').click()
    await user.should_see(marker='vote-confirm-choice')  # the dialog repeats the choice
    user.find(marker='vote-confirm').click()
    await user.should_see('凭回执码可查询您的选票已计入', retries=30)
    ballot = await Ballot.get(vote_id=vote.id)
    await user.should_see(f'回执码 {ballot.receipt}')
    await user.should_see('您的选择：赞成')
    assert ballot.choices == [yes]
    assert (await tallies.current_tally(vote.id)).counted == 1
    await user.should_not_see(marker='vote-submit')
    user.find(marker='receipt-link').click()  # the receipt card leads to the check, the code filled in
    await user.should_see('已计入', retries=30)


async def test_a_double_tap_on_confirm_stores_one_ballot(user: User, world) -> None:
    vote = await _vote(world)
    await sign_in(user, world['zhang'])
    await user.open(f'/votes/{vote.id}')
    user.find(marker=f'option-{await _option(vote, "no")}').click()
    user.find(marker='vote-submit').click()
    await user.should_see(marker='vote-confirm')
    user.find(marker='vote-submit').click()  # a second tap on 投票 opens no second dialog
    confirm = user.find(marker='vote-confirm')
    assert len(confirm.elements) == 1
    confirm.trigger('click')  # both taps reach the server, as a resend after a reconnect would
    confirm.trigger('click')
    await user.should_see('凭回执码可查询您的选票已计入', retries=30)
    assert await Ballot.filter(vote_id=vote.id).count() == 1
    assert (await tallies.current_tally(vote.id)).counted == 1


async def test_a_multiple_choice_ballot_counts_the_ticks_up_to_k(user: User, world) -> None:
    vote = await _vote(world, ballot_type='multiple', options=('修路', '装灯', '建棚'), max_choices=2)
    ids = list(await VoteOption.filter(vote_id=vote.id).order_by('position').values_list('id', flat=True))
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('已选 0/2')
    user.find(marker=f'option-{ids[0]}').click()
    user.find(marker=f'option-{ids[2]}').click()
    await user.should_see('已选 2/2')
    user.find(marker=f'option-{ids[1]}').click()  # a third tick is refused
    await user.should_see('最多选 2 项')
    await user.should_see('已选 2/2')
    user.find(marker='vote-submit').click()
    await user.should_see('修路、建棚')
    user.find(marker='vote-confirm').click()
    await user.should_see('凭回执码可查询您的选票已计入', retries=30)
    assert (await Ballot.get(vote_id=vote.id)).choices == sorted([ids[0], ids[2]])


async def test_a_second_household_member_sees_who_voted_and_no_buttons(user: User, world) -> None:
    vote = await _vote(world, counting='household')
    await _cast(world, 'zhang', vote)
    await sign_in(user, world['li'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('本户已由 张桂兰 投票')
    await user.should_not_see(marker=f'option-{await _option(vote, "yes")}')
    await user.should_not_see(marker='vote-submit')


async def test_an_unverified_resident_is_told_why_they_cannot_vote(user: User, world) -> None:
    vote = await _vote(world)
    await sign_in(user, world['sun'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('您现在不能投票')
    await user.should_see('实名核验')
    await user.should_not_see(marker='vote-submit')


async def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(user: User, world) -> None:
    vote = await _vote(world)
    await user.open(f'/votes/{vote.id}')
    await user.should_see('登录')
    await user.should_not_see('加装电梯')
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('加装电梯')
    await user.should_see('您现在不能投票')  # staff without a resident record


async def test_a_bad_address_says_the_vote_cannot_be_found(user: User, world) -> None:
    await sign_in(user, world['zhang'])
    for path in ('/votes/99999', '/votes/abc/receipt', '/votes/12345678901234'):
        await user.open(path)
        await user.should_see('找不到这次表决')


async def test_hidden_results_show_only_the_turnout_until_close(user: User, world) -> None:
    vote = await _vote(world, results_live=False)
    await _cast(world, 'zhang', vote)
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('已投 1 人（共 3 人）', retries=30)  # the live hub's first count
    await user.should_not_see(marker='vote-bar-0')
    await user.should_not_see('赞成：1 票')


async def test_live_results_move_when_a_neighbour_votes(user: User, world) -> None:
    vote = await _vote(world)
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('赞成：0 票（0.0%）')
    await _cast(world, 'zhang', vote)
    await user.should_see('已投 1 人（共 3 人）', retries=30)
    await user.should_see('赞成：1 票（100.0%）', retries=30)


async def test_a_changeable_ballot_offers_a_change_until_close(user: User, world) -> None:
    vote = await _vote(world, allow_change=True)
    await _cast(world, 'zhang', vote, 'yes')
    await sign_in(user, world['zhang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('您的选择：赞成')
    user.find(marker='vote-change').click()
    user.find(marker=f'option-{await _option(vote, "no")}').click()
    user.find(marker='vote-submit').click()
    user.find(marker='vote-confirm').click()
    await user.should_see('您的选择：反对', retries=30)
    assert await Ballot.filter(vote_id=vote.id).count() == 2
    assert (await tallies.current_tally(vote.id)).result.options[1].heads == 1  # 反对 counts, 赞成 no longer


async def test_a_closed_vote_shows_the_verdict_and_no_buttons(user: User, world) -> None:
    vote = await _vote(world)
    await _cast(world, 'zhang', vote, 'yes')
    await votes.close_vote(await principal_of(world['staff']), vote.id, reason='大家都投了')
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('表决结果：通过')
    await user.should_not_see(marker='vote-submit')
    await user.should_see(marker='vote-result-link')


async def test_the_receipt_page_finds_a_counted_code_and_never_shows_the_choice(user: User, world) -> None:
    vote = await _vote(world)
    cast = await _cast(world, 'zhang', vote, 'no')
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}/receipt')
    user.find(marker='receipt-input').type(cast.receipt.lower())
    user.find(marker='receipt-check').click()
    await user.should_see('已计入', retries=30)
    await user.should_not_see('反对')
    user.find(marker='receipt-input').clear()
    user.find(marker='receipt-input').type('AAAA-BBBB')
    user.find(marker='receipt-check').click()
    await user.should_see('未找到这个回执码', retries=30)


async def test_the_receipt_page_says_when_a_ballot_was_replaced_by_a_change(user: User, world) -> None:
    vote = await _vote(world, allow_change=True)
    first = await _cast(world, 'zhang', vote, 'yes')
    await _cast(world, 'zhang', vote, 'no', nonce='n-0002-abcdef')
    await sign_in(user, world['zhang'])
    await user.open(f'/votes/{vote.id}/receipt?code={first.receipt}')
    await user.should_see('已被更改后的选票取代')


async def test_a_vote_not_yet_started_says_when_it_starts(user: User, world) -> None:
    later = audit.now() + timedelta(days=1)
    vote = await make_vote(world['community'], actor=await principal_of(world['staff']), opens_at=later,
                           closes_at=later + timedelta(days=3))
    await votes.open_vote(await principal_of(world['staff']), vote.id)
    await sign_in(user, world['zhang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('您现在不能投票')
    await user.should_see('表决将于')
    await user.should_not_see(marker='vote-submit')


# ---- the result page and the printed notice ----

async def _closed(world, **overrides):
    """A vote with 张桂兰 赞成 and 王秀英 反对 … closed early by the organiser."""
    vote = await _vote(world, **overrides)
    receipts = [(await _cast(world, 'zhang', vote, 'yes')).receipt,
                (await _cast(world, 'wang', vote, 'yes', nonce='n-0003-abcdef')).receipt]
    await votes.close_vote(await principal_of(world['staff']), vote.id, reason='提前结束：大家都投了')
    return vote, receipts


async def test_the_result_page_shows_the_verdict_the_rule_and_the_figures(user: User, world) -> None:
    vote, receipts = await _closed(world)
    await sign_in(user, world['li'])
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('表决结果：通过')
    await user.should_see('依据：议事规则约定')
    await user.should_see('参与表决：2 / 3 人，占 2/3（约 66.7%）')
    await user.should_see('赞成：2 票（100.0%）')
    await user.should_see('反对：0 票（0.0%）')
    await user.should_see('已计入的回执码（2 张）')
    for receipt in receipts:
        await user.should_see(receipt)
    await user.should_see(marker='result-publicity')
    await user.should_not_see('实名投票记录')  # a resident reads the figures, not who chose what


async def test_a_resident_files_an_objection_during_the_notice_period_and_sees_it_listed(user: User, world) -> None:
    vote, _ = await _closed(world)
    await sign_in(user, world['li'])
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('异议（0 条）')
    user.find(marker='objection-text').type('我家没有收到投票通知')
    user.find(marker='objection-send').click()
    await user.should_see('已提交异议', retries=30)
    await user.should_see('异议（1 条）', retries=30)
    await user.should_see('我家没有收到投票通知')
    await user.should_see('等待社区答复')


async def test_an_open_vote_with_hidden_results_shows_only_turnout_on_the_result_page(user: User, world) -> None:
    vote = await _vote(world, results_live=False)
    await _cast(world, 'zhang', vote)
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('结果在表决结束后公布，现在只显示参与人数')
    await user.should_see('参与表决：1 / 3 人')
    await user.should_not_see(marker='result-bar-0')
    await user.should_not_see(marker='objection-form')


async def test_the_printable_notice_carries_the_rule_the_figures_and_how_to_object(user: User, world) -> None:
    vote, _ = await _closed(world, rule='residents_meeting')
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}/notice')
    await user.should_see('关于“加装电梯”表决结果的公示')
    await user.should_see('《中华人民共和国城市居民委员会组织法》第九条')
    await user.should_see('赞成：2（100%）')
    await user.should_see(marker='notice-verdict', content='通过')
    await user.should_not_see(marker='notice-verdict', content='未通过')
    await user.should_see('船柴社区居民委员会')
    await user.should_see(marker='print')
    await user.should_see(f'/votes/{vote.id}/result')



async def test_anyone_reads_the_notice_and_result_of_a_closed_vote_without_signing_in(user: User, world) -> None:
    vote, receipts = await _closed(world)
    await user.open(f'/votes/{vote.id}/notice')
    await user.should_see('关于“加装电梯”表决结果的公示')
    await user.should_see(marker='notice-verdict', content='通过')
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('表决结果：通过')
    await user.should_see(receipts[0])
    await user.should_not_see(marker='objection-send')  # objecting needs a resident's sign-in


async def test_an_open_vote_stays_behind_the_sign_in_for_visitors(user: User, world) -> None:
    vote = await _vote(world)
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('登录')
    await user.should_not_see('加装电梯')

async def test_an_open_vote_has_no_notice_yet(user: User, world) -> None:
    vote = await _vote(world)
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}/notice')
    await user.should_see('表决结束后才有公示')



async def test_staff_read_who_chose_what_in_an_open_vote_once_it_has_closed(user: User, world) -> None:
    vote, _ = await _closed(world)
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('实名投票记录（2 张）')
    await user.should_see('张桂兰：赞成 · 手机投票')
    await user.should_see('王秀英：赞成 · 手机投票')

async def test_a_secret_vote_never_shows_who_chose_what(user: User, world) -> None:
    vote, _ = await _closed(world, secret=True, counting='household')
    await sign_in(user, world['li'])  # 张桂兰 voted for this household
    await user.open(f'/votes/{vote.id}')
    await user.should_see('本户已由 张桂兰 投票')
    await user.should_not_see('您的选择')
    await sign_in(user, world['staff'])
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('这次表决不公开谁投了什么')
    await user.should_not_see('张桂兰')


async def test_an_open_phone_page_shows_the_verdict_when_the_vote_closes(user: User, world) -> None:
    vote = await _vote(world, results_live=False)
    await _cast(world, 'zhang', vote, 'no')
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see(marker='vote-submit')
    await user.should_not_see(marker='vote-bar-0')
    await votes.close_vote(await principal_of(world['staff']), vote.id, reason='提前结束')
    await user.should_see('表决结果：未通过', retries=30)
    await user.should_see('反对：1 票（100.0%）')  # hidden until now
    await user.should_not_see(marker='vote-submit')


async def test_owners_see_turnout_and_each_option_by_head_and_by_area(user: User, world) -> None:
    vote, _ = await _closed(world, counting='owner', rule='civil_278')
    await sign_in(user, world['li'])
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('《中华人民共和国民法典》第二百七十八条')
    await user.should_see(marker='result-turnout')
    await user.should_see('参与面积：')
    await user.should_see('要求三分之二以上')
    await user.should_see('面积 ')


async def test_a_cancelled_vote_that_hid_its_results_never_shows_them(user: User, world) -> None:
    vote = await _vote(world, results_live=False)
    await _cast(world, 'zhang', vote, 'no')
    await votes.cancel_vote(await principal_of(world['staff']), vote.id, reason='方案要重新商量')
    await sign_in(user, world['wang'])
    await user.open(f'/votes/{vote.id}')
    await user.should_see('表决已取消')
    await user.should_see('方案要重新商量')
    await user.should_not_see(marker='vote-bar-0')
    await user.open(f'/votes/{vote.id}/result')
    await user.should_see('表决已取消')
    await user.should_not_see(marker='result-bar-0')
