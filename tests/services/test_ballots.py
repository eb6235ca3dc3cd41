"""Casting a ballot on a phone: receipts, the chain entry, every refusal with its reason, changes, households."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from models import Ballot, ChainEntry, CheckIn, VoteOption
from services import ballot_store, ballot_views, ballots, events
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    make_vote,
    principal_of,
)

pytestmark = pytest.mark.usefixtures('db')

T0 = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)  # 09:00 in 宜昌
DURING = T0 + timedelta(hours=1)


async def voter(community, name, household=None, **kw):
    """A resident with an account, as the principal the phone page passes."""
    resident = await make_resident(community, name=name, household=household, **kw)
    return await principal_of(await make_account(community, name=name, resident=resident))


@pytest.fixture
async def world():
    return await make_world()


async def make_world() -> dict:
    """A community with 张桂兰 (3栋502) and 李建国 (3栋601), verified, with accounts."""
    community = await make_community()
    home = await make_household(community, building='3栋', room='502')
    other_home = await make_household(community, building='3栋', room='601')
    people = {'gui': await voter(community, '张桂兰', home), 'jian': await voter(community, '李建国', other_home)}
    return {'community': community, 'home': home, **people}


async def open_vote(world, **kw):
    return await make_vote(world['community'], open_at=T0, **kw)


async def options(vote) -> dict[str, int]:
    """option kind (yes/no/abstain) or label → id."""
    rows = await VoteOption.filter(vote_id=vote.id).order_by('position')
    return {o.kind if o.kind != 'choice' else o.label: o.id for o in rows}


async def cast(user, vote, choices, *, nonce='nonce-0001', at=DURING, **kw):
    return await ballots.cast_ballot(user, vote.id, choices, nonce=nonce, at=at, **kw)


async def refused(code, coro) -> DomainError:
    with pytest.raises(DomainError) as e:
        await coro
    assert e.value.code == code, e.value
    return e.value


async def test_a_verified_resident_votes_and_gets_a_receipt_recorded_in_the_chain(world):
    vote = await open_vote(world)
    yes = (await options(vote))['yes']
    heard = []
    events.subscribe('vote.ballot', heard.append)
    result = await cast(world['gui'], vote, [yes])
    assert (result.seq, result.replay, result.elector_label) == (1, False, '张桂兰')
    assert len(result.receipt) == 9 and result.receipt[4] == '-'
    entry = await ChainEntry.get(vote_id=vote.id, kind='ballot.cast')
    ballot = await Ballot.get(vote_id=vote.id)
    assert entry.data == {'ballot': ballot.id, 'elector': f'r{world["gui"].resident_id}', 'seq': 1,
                          'choices': [yes], 'channel': 'online', 'receipt': result.receipt,
                          'entered_by': world['gui'].account_id, 'sheet_no': None, 'proxy': None,
                          'nonce': 'nonce-0001'}
    assert [e.payload for e in heard] == [{'community_id': world['community'].id, 'vote_id': vote.id}]
    assert await ballots.why_cannot_vote(world['gui'], vote.id, at=DURING) == ['您已经投过票了，这次表决不能改票']


async def test_a_ballot_before_the_opening_time_is_refused_with_the_time(world):
    vote = await make_vote(world['community'], opens_at=T0, opened=True)
    e = await refused('not_started', cast(world['gui'], vote, [(await options(vote))['yes']], at=T0 - timedelta(1)))
    assert '06-01 09:00' in e.message
    assert await Ballot.all().count() == 0


async def test_a_ballot_at_the_closing_time_is_refused_and_nothing_is_stored(world):
    vote = await open_vote(world)
    e = await refused('closed', cast(world['gui'], vote, [(await options(vote))['yes']], at=vote.closes_at))
    assert '结束' in e.message
    assert await ballots.why_cannot_vote(world['gui'], vote.id, at=vote.closes_at) == [e.message]
    assert await Ballot.all().count() == 0 and await ChainEntry.filter(kind='ballot.cast').count() == 0


async def test_a_draft_vote_takes_no_ballots(world):
    vote = await make_vote(world['community'], opens_at=T0)
    await refused('not_started', cast(world['gui'], vote, [1]))


async def test_a_resident_outside_the_chosen_building_is_not_in_the_electorate(world):
    vote = await open_vote(world, electorate='places', building_ids=(world['home'].building_id,))
    other = await make_household(world['community'], building='9栋', room='101')
    outsider = await voter(world['community'], '王五', other)
    vote2 = await open_vote(world, electorate='places', building_ids=(other.building_id,))
    assert (await cast(outsider, vote2, [(await options(vote2))['yes']])).seq == 1
    e = await refused('not_in_electorate', cast(outsider, vote, [(await options(vote))['yes']], nonce='nonce-0002'))
    assert e.message == '您不在这次表决的投票人名单中'


async def test_a_resident_registered_after_the_roll_was_frozen_cannot_vote(world):
    vote = await open_vote(world)
    late = await voter(world['community'], '赵六', world['home'])
    await refused('not_in_electorate', cast(late, vote, [(await options(vote))['yes']]))


async def test_an_unverified_resident_is_told_to_get_verified(world):
    vote = await open_vote(world)
    pending = await voter(world['community'], '钱七', world['home'], status='pending')
    e = await refused('not_verified', cast(pending, vote, [(await options(vote))['yes']]))
    assert '实名核验' in e.message
    assert await ballots.why_cannot_vote(pending, vote.id, at=DURING) == [e.message]


async def test_staff_without_a_resident_record_and_anonymous_visitors_cannot_vote(world):
    vote = await open_vote(world)
    staff = await principal_of(await make_account(world['community'], 'staff'))
    await refused('not_in_electorate', cast(staff, vote, [1]))
    from domain.permissions import ANONYMOUS
    await refused('not_signed_in', cast(ANONYMOUS, vote, [1]))


async def test_a_forged_option_id_and_too_many_choices_are_refused(world):
    vote = await open_vote(world, ballot_type='multiple', options=('修花坛', '装路灯', '建车棚'), max_choices=2)
    ids = list((await options(vote)).values())
    other = await open_vote(world)
    foreign = (await options(other))['yes']
    await refused('unknown_option', cast(world['gui'], vote, [ids[0], foreign]))
    e = await refused('too_many_choices', cast(world['gui'], vote, ids, nonce='nonce-0002'))
    assert e.message == '最多只能选 2 项'
    await refused('no_choice', cast(world['gui'], vote, [], nonce='nonce-0003'))
    assert await Ballot.all().count() == 0
    assert (await cast(world['gui'], vote, [ids[2], ids[0]], nonce='nonce-0004')).seq == 1
    assert (await Ballot.get()).choices == sorted([ids[0], ids[2]])


async def test_a_replayed_nonce_returns_the_first_receipt_and_changes_nothing(world):
    vote = await open_vote(world, allow_change=True)
    ids = await options(vote)
    first = await cast(world['gui'], vote, [ids['yes']])
    again = await cast(world['gui'], vote, [ids['no']], at=DURING + timedelta(minutes=5))
    assert (again.receipt, again.seq, again.replay, again.cast_at) == (first.receipt, 1, True, first.cast_at)
    assert await Ballot.all().count() == 1 and (await Ballot.get()).choices == [ids['yes']]
    assert await ChainEntry.filter(kind='ballot.cast').count() == 1


async def test_a_malformed_nonce_is_refused_before_anything_is_written(world):
    vote = await open_vote(world)
    await refused('invalid_nonce', cast(world['gui'], vote, [(await options(vote))['yes']], nonce='x'))
    assert await Ballot.all().count() == 0


async def test_without_change_allowed_a_second_ballot_is_refused_and_the_first_stands(world):
    vote = await open_vote(world)
    ids = await options(vote)
    await cast(world['gui'], vote, [ids['yes']])
    e = await refused('already_voted', cast(world['gui'], vote, [ids['no']], nonce='nonce-0002'))
    assert e.message == '您已经投过票了，这次表决不能改票'
    assert [b.choices for b in await Ballot.all()] == [[ids['yes']]]


async def test_where_change_is_allowed_the_new_ballot_replaces_the_old_one(world):
    vote = await open_vote(world, allow_change=True)
    ids = await options(vote)
    first = await cast(world['gui'], vote, [ids['yes']])
    second = await cast(world['gui'], vote, [ids['no']], nonce='nonce-0002')
    assert second.seq == 2 and second.receipt != first.receipt
    await refused('no_change', cast(world['gui'], vote, [ids['no']], nonce='nonce-0003'))
    mine = await ballot_views.my_ballot(world['gui'], vote.id, at=DURING)
    assert (mine.choices, mine.seq, mine.mine, mine.may_change) == ((ids['no'],), 2, True, True)
    assert await ballots.why_cannot_vote(world['gui'], vote.id, at=DURING) == []
    first_check = await ballots.check_receipt(vote.id, first.receipt.lower().replace('-', ' '))
    assert (first_check.found, first_check.counted, first_check.superseded) == (True, False, True)
    assert await ballots.counted_receipts(vote.id) == [second.receipt]


async def test_a_household_votes_once_and_the_other_member_sees_who_voted(world):
    spouse = await voter(world['community'], '刘志强', world['home'])
    vote = await open_vote(world, counting='household', secret=True, allow_change=True)
    ids = await options(vote)
    await cast(world['gui'], vote, [ids['yes']])
    e = await refused('already_voted', cast(spouse, vote, [ids['no']], nonce='nonce-0002'))
    assert e.message == '本户已由张桂兰投票'
    assert await ballots.why_cannot_vote(spouse, vote.id, at=DURING) == ['本户已由张桂兰投票']
    seen = await ballot_views.my_ballot(spouse, vote.id, at=DURING)
    assert (seen.voter_name, seen.mine, seen.choices, seen.receipt, seen.may_change) == ('张桂兰', False, (), '', False)
    mine = await ballot_views.my_ballot(world['gui'], vote.id, at=DURING)
    assert (mine.mine, mine.choices) == (True, (ids['yes'],))


async def test_an_open_vote_shows_a_household_member_how_the_household_voted(world):
    spouse = await voter(world['community'], '刘志强', world['home'])
    vote = await open_vote(world, counting='household')
    ids = await options(vote)
    await cast(world['gui'], vote, [ids['no']])
    seen = await ballot_views.my_ballot(spouse, vote.id, at=DURING)
    assert (seen.voter_name, seen.choices) == ('张桂兰', (ids['no'],))
    assert await ballot_views.my_ballot(world['jian'], vote.id, at=DURING) is None


async def test_on_site_only_votes_need_a_check_in_and_record_the_onsite_channel(world):
    meeting = await make_meeting(world['community'], starts_at=T0, state='open')
    vote = await open_vote(world, channels=frozenset({'onsite'}), onsite_meeting_id=meeting.id)
    yes = (await options(vote))['yes']
    e = await refused('not_checked_in', cast(world['gui'], vote, [yes]))
    assert '签到' in e.message
    await CheckIn.create(meeting=meeting, resident_id=world['gui'].resident_id, method='scan', scanned_at=T0,
                         created_at=T0)
    await cast(world['gui'], vote, [yes], nonce='nonce-0002')
    assert (await Ballot.get()).channel == 'onsite'


async def test_with_online_and_onsite_a_resident_not_checked_in_votes_online(world):
    meeting = await make_meeting(world['community'], starts_at=T0, state='open')
    vote = await open_vote(world, channels=frozenset({'online', 'onsite'}), onsite_meeting_id=meeting.id)
    await cast(world['jian'], vote, [(await options(vote))['yes']])
    assert (await Ballot.get()).channel == 'online'


async def test_a_paper_only_vote_refuses_phone_ballots(world):
    vote = await open_vote(world, channels=frozenset({'paper'}))
    e = await refused('channel_closed', cast(world['gui'], vote, [(await options(vote))['yes']]))
    assert '纸质选票' in e.message


# ---- paper and proxy ballots typed in by staff ----

@pytest.fixture
async def desk(world):
    """A paper-and-proxy vote with four more residents on the roll, and the staff member at the desk."""
    for n, name in enumerate(('孙一', '周二', '吴三', '郑四')):
        home = await make_household(world['community'], building='5栋', room=f'{n + 1}01')
        world[name] = await voter(world['community'], name, home)
    world['vote'] = await open_vote(world, channels=frozenset({'online', 'paper', 'proxy'}), max_principals=3)
    world['staff'] = await principal_of(await make_account(world['community'], 'staff', name='录入员'))
    world['ids'] = await options(world['vote'])
    return world


async def elector_of(world, name):
    rows = await ballot_views.find_electors(world['staff'], world['vote'].id, name)
    return rows[0].id


async def enter(world, name, *, sheet, nonce, choice='yes', **kw):
    kw.setdefault('at', DURING)
    return await ballots.enter_paper_ballot(world['staff'], world['vote'].id, elector_id=await elector_of(world, name),
                                            choices=[world['ids'][choice]], sheet_no=sheet, nonce=nonce, **kw)


async def test_staff_enter_a_paper_ballot_with_its_sheet_number_and_who_entered_it(desk):
    result = await enter(desk, '孙一', sheet=' A-001 ', nonce='paper-0001')
    ballot = await Ballot.get()
    assert (ballot.channel, ballot.sheet_no, ballot.entered_by_id, ballot.voter_id) == \
        ('paper', 'A-001', desk['staff'].account_id, None)
    assert result.elector_label == '孙一'
    e = await refused('already_voted', cast(desk['孙一'], desk['vote'], [desk['ids']['no']]))
    assert e.message == '您已经投过票了（纸质选票）'


async def test_a_sheet_number_cannot_be_entered_twice(desk):
    await enter(desk, '孙一', sheet='A-001', nonce='paper-0001')
    e = await refused('sheet_taken', enter(desk, '周二', sheet='A-001', nonce='paper-0002'))
    assert 'A-001' in e.message
    assert await Ballot.all().count() == 1


async def test_a_paper_ballot_for_someone_who_voted_on_the_phone_is_refused(desk):
    await cast(desk['周二'], desk['vote'], [desk['ids']['no']])
    e = await refused('already_voted', enter(desk, '周二', sheet='A-002', nonce='paper-0002'))
    assert e.message == '这位选民已经投过票了（手机投票）'


async def test_a_replayed_paper_entry_returns_the_first_answer(desk):
    first = await enter(desk, '孙一', sheet='A-001', nonce='paper-0001')
    again = await enter(desk, '孙一', sheet='A-001', nonce='paper-0001')
    assert (again.receipt, again.replay) == (first.receipt, True)
    assert await Ballot.all().count() == 1


async def test_a_proxy_holds_at_most_the_votes_limit_of_principals(desk):
    proxy = desk['jian'].resident_id
    for n, name in enumerate(('孙一', '周二', '吴三')):
        result = await enter(desk, name, sheet=f'W-{n}', nonce=f'proxy-000{n}', proxy_resident_id=proxy)
        assert result.seq == 1
    e = await refused('too_many_principals', enter(desk, '郑四', sheet='W-9', nonce='proxy-0009',
                                                   proxy_resident_id=proxy))
    assert e.message == '李建国已经代3人投票，每人最多受托3人'
    assert await Ballot.filter(channel='proxy', proxy_id=proxy).count() == 3


async def test_a_proxy_must_be_a_resident_of_the_community_and_not_the_principal(desk):
    elsewhere = await make_community('其他社区')
    stranger = await make_resident(elsewhere, name='外人')
    await refused('proxy_not_resident', enter(desk, '孙一', sheet='W-1', nonce='proxy-0001',
                                              proxy_resident_id=stranger.id))
    await refused('proxy_is_principal', enter(desk, '孙一', sheet='W-1', nonce='proxy-0002',
                                              proxy_resident_id=desk['孙一'].resident_id))


async def test_paper_entry_needs_the_enter_permission_the_channel_and_an_open_vote(desk):
    row = await elector_of(desk, '孙一')
    with pytest.raises(DomainError) as e:
        await ballots.enter_paper_ballot(desk['gui'], desk['vote'].id, elector_id=row, choices=[desk['ids']['yes']],
                                         sheet_no='A-1', nonce='paper-0001', at=DURING)
    assert e.value.code == 'forbidden'
    await refused('closed', enter(desk, '孙一', sheet='A-1', nonce='paper-0002', at=desk['vote'].closes_at))
    online_only = await open_vote(desk)
    with pytest.raises(DomainError) as e:
        await ballots.enter_paper_ballot(desk['staff'], online_only.id, elector_id=row, choices=[1], sheet_no='A-1',
                                         nonce='paper-0003', at=DURING)
    assert e.value.code == 'channel_closed'
    await refused('invalid_sheet_no', enter(desk, '孙一', sheet='  ', nonce='paper-0004'))


async def test_the_desk_finds_electors_by_name_room_and_phone_with_the_phone_masked(desk):
    resident = await make_resident(desk['community'], name='不在名单')  # registered after the roll froze
    assert await ballot_views.find_electors(desk['staff'], desk['vote'].id, '不在名单') == []
    by_room = await ballot_views.find_electors(desk['staff'], desk['vote'].id, '3栋502')
    assert [r.label for r in by_room] == ['张桂兰']
    assert by_room[0].detail.startswith('嘉明花园 3栋 502 · ') and '****' in by_room[0].detail
    from models import Resident
    phone = (await Resident.get(id=desk['jian'].resident_id)).phone
    assert [r.label for r in await ballot_views.find_electors(desk['staff'], desk['vote'].id, phone[-4:])] == ['李建国']
    await enter(desk, '孙一', sheet='A-001', nonce='paper-0001')
    assert [r.voted for r in await ballot_views.find_electors(desk['staff'], desk['vote'].id, '孙一')] == [True]
    assert resident.id


async def test_owners_of_a_unit_without_a_registered_owner_vote_once_for_the_unit(world):
    spouse = await voter(world['community'], '刘志强', world['home'])  # both relation 'owner', no Ownership row
    vote = await open_vote(world, counting='owner')
    yes = (await options(vote))['yes']
    result = await cast(world['gui'], vote, [yes])
    assert result.elector_label == '3栋502'
    e = await refused('already_voted', cast(spouse, vote, [yes], nonce='nonce-0002'))
    assert e.message == '本户已由张桂兰投票'


async def test_a_draft_vote_gives_one_reason_not_a_list_of_confusing_ones(world):
    vote = await make_vote(world['community'], opens_at=T0)
    assert await ballots.why_cannot_vote(world['gui'], vote.id, at=DURING) == ['表决还没有开始']


async def test_a_replay_arriving_after_the_close_still_gets_its_first_receipt(world):
    vote = await open_vote(world)
    first = await cast(world['gui'], vote, [(await options(vote))['yes']])
    again = await cast(world['gui'], vote, [(await options(vote))['yes']], at=vote.closes_at + timedelta(minutes=1))
    assert (again.receipt, again.replay) == (first.receipt, True)


async def test_a_receipt_that_clashes_with_an_earlier_one_is_drawn_again(world, monkeypatch):
    vote = await open_vote(world)
    yes = (await options(vote))['yes']
    codes = iter(['AAAA-AAAA', 'AAAA-AAAA', 'BBBB-BBBB'])
    monkeypatch.setattr(ballot_store, 'new_receipt', lambda: next(codes))
    assert (await cast(world['gui'], vote, [yes])).receipt == 'AAAA-AAAA'
    assert (await cast(world['jian'], vote, [yes], nonce='nonce-0002')).receipt == 'BBBB-BBBB'
    assert await Ballot.all().count() == 2


async def test_in_a_secret_vote_a_resident_sees_the_choice_of_their_own_paper_sheet_but_cannot_change_it(desk):
    vote = await open_vote(desk, channels=frozenset({'online', 'paper'}), secret=True, allow_change=True)
    no = (await options(vote))['no']
    row = (await ballot_views.find_electors(desk['staff'], vote.id, '孙一'))[0].id
    await ballots.enter_paper_ballot(desk['staff'], vote.id, elector_id=row, choices=[no], sheet_no='B-1',
                                     nonce='paper-0001', at=DURING)
    mine = await ballot_views.my_ballot(desk['孙一'], vote.id, at=DURING)
    assert (mine.mine, mine.choices, mine.channel, mine.may_change) == (True, (no,), 'paper', False)
