"""Ballots arriving at the same instant: one per household, one per nonce, a proxy's limit, a whole chain."""
from __future__ import annotations

import asyncio

import pytest

from domain.errors import DomainError
from models import Ballot, ChainEntry
from services import ballot_views, ballots, vote_chain
from tests.services.test_ballots import DURING, T0, make_world, options, voter
from tests.support import make_account, make_household, make_vote, principal_of

pytestmark = pytest.mark.usefixtures('db')


@pytest.fixture
async def world():
    return await make_world()


async def outcome(coro):
    """The result, or the refusal's code: what each phone shows."""
    try:
        return await coro
    except DomainError as e:
        return e.code


async def test_two_phones_of_one_household_at_the_same_instant_store_one_ballot(world):
    spouse = await voter(world['community'], '刘志强', world['home'])
    vote = await make_vote(world['community'], open_at=T0, counting='household')
    ids = await options(vote)
    answers = await asyncio.gather(
        outcome(ballots.cast_ballot(world['gui'], vote.id, [ids['yes']], nonce='phone-aaaa', at=DURING)),
        outcome(ballots.cast_ballot(spouse, vote.id, [ids['no']], nonce='phone-bbbb', at=DURING)))
    assert sorted(isinstance(a, str) for a in answers) == [False, True]
    assert 'already_voted' in answers
    assert await Ballot.filter(vote_id=vote.id).count() == 1
    assert await ChainEntry.filter(vote_id=vote.id, kind='ballot.cast').count() == 1


async def test_the_same_request_sent_twice_at_once_stores_one_ballot_and_answers_both_alike(world):
    vote = await make_vote(world['community'], open_at=T0, allow_change=True)
    yes = (await options(vote))['yes']
    first, second = await asyncio.gather(
        *(ballots.cast_ballot(world['gui'], vote.id, [yes], nonce='phone-same', at=DURING) for _ in range(2)))
    assert first.receipt == second.receipt and sorted([first.replay, second.replay]) == [False, True]
    assert await Ballot.filter(vote_id=vote.id).count() == 1


async def test_one_voter_changing_twice_at_once_gets_consecutive_seqs(world):
    vote = await make_vote(world['community'], open_at=T0, allow_change=True)
    ids = await options(vote)
    await ballots.cast_ballot(world['gui'], vote.id, [ids['yes']], nonce='phone-0000', at=DURING)
    answers = await asyncio.gather(
        outcome(ballots.cast_ballot(world['gui'], vote.id, [ids['no']], nonce='phone-0001', at=DURING)),
        outcome(ballots.cast_ballot(world['gui'], vote.id, [ids['abstain']], nonce='phone-0002', at=DURING)))
    seqs = sorted(b.seq for b in await Ballot.filter(vote_id=vote.id))
    assert seqs == [1, 2, 3] and all(not isinstance(a, str) for a in answers)


async def test_a_proxy_limit_holds_when_four_sheets_are_entered_at_once(world):
    names = ('孙一', '周二', '吴三', '郑四')
    for n, name in enumerate(names):
        await voter(world['community'], name, await make_household(world['community'], building='5栋', room=f'{n}01'))
    vote = await make_vote(world['community'], open_at=T0, channels=frozenset({'proxy'}), max_principals=3)
    desks = [await principal_of(await make_account(world['community'], 'staff', name=f'录入员{n}')) for n in range(4)]
    yes = (await options(vote))['yes']
    rows = {r.label: r.id for r in await ballot_views.find_electors(desks[0], vote.id, '5栋')}
    answers = await asyncio.gather(*(outcome(ballots.enter_paper_ballot(
        desks[n], vote.id, elector_id=rows[name], choices=[yes], sheet_no=f'W-{n}', nonce=f'proxy-000{n}',
        proxy_resident_id=world['jian'].resident_id, at=DURING)) for n, name in enumerate(names)))
    assert [a for a in answers if isinstance(a, str)] == ['too_many_principals']
    assert await Ballot.filter(vote_id=vote.id, proxy_id=world['jian'].resident_id).count() == 3


async def test_thirty_residents_voting_at_once_are_all_counted_and_the_chain_stays_whole(world):
    people = [await voter(world['community'], f'居民{n}', world['home']) for n in range(30)]
    vote = await make_vote(world['community'], open_at=T0)
    yes = (await options(vote))['yes']
    results = await asyncio.gather(*(ballots.cast_ballot(p, vote.id, [yes], nonce=f'phone-{n:04d}', at=DURING)
                                     for n, p in enumerate(people)))
    assert len({r.receipt for r in results}) == 30
    seqs = [e.seq for e in await ChainEntry.filter(vote_id=vote.id).order_by('seq')]
    assert seqs == list(range(1, 32))  # vote.opened, then 30 ballots
    [report] = await vote_chain.verify(vote.id)
    assert report.broken is None and report.entries == 31
