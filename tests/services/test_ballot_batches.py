"""A burst of ballots is stored in a few batches (group commit): every phone still gets its own right answer."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.errors import DomainError
from models import Ballot, ChainEntry
from services import ballot_store, ballots, events, tallies, vote_chain
from tests.services.test_ballots import DURING, T0, make_world, options, voter
from tests.support import make_account, make_household, make_resident, make_vote, principal_of

pytestmark = pytest.mark.usefixtures('db')


@pytest.fixture
async def world():
    return await make_world()


async def outcome(coro):
    """The result, or the refusal's code and message: what each phone shows."""
    try:
        return await coro
    except DomainError as e:
        return (e.code, e.message)


async def test_three_hundred_phones_at_once_are_all_stored_with_their_own_receipts_in_fewer_events(world):
    people = [await principal_of(await make_account(world['community'], name=f'居民{n}', password=None,
                                                    resident=await make_resident(world['community'], name=f'居民{n}')))
              for n in range(300)]  # no password: hashing 300 of them would be most of the test
    vote = await make_vote(world['community'], open_at=T0)
    yes = (await options(vote))['yes']
    heard = []
    events.subscribe('vote.ballot', heard.append)
    results = await asyncio.gather(*(ballots.cast_ballot(p, vote.id, [yes], nonce=f'phone-{n:04d}', at=DURING)
                                     for n, p in enumerate(people)))
    assert len({r.receipt for r in results}) == 300 and not any(r.replay for r in results)
    assert await Ballot.filter(vote_id=vote.id).count() == 300
    assert sorted(await Ballot.filter(vote_id=vote.id).values_list('receipt', flat=True)) \
        == sorted(r.receipt for r in results)
    [report] = await vote_chain.verify(vote.id)
    assert report.broken is None and report.entries == 301  # vote.opened, then 300 ballots
    assert 1 <= len(heard) < 300  # one 'vote.ballot' per batch, not per ballot
    assert (await tallies.current_tally(vote.id, at=DURING)).counted == 300


async def test_in_one_burst_every_bad_ballot_gets_its_own_refusal_and_the_good_ones_are_stored(world):
    community = world['community']
    spouse = await voter(community, '刘志强', world['home'])
    neighbours = [await voter(community, f'邻居{n}', await make_household(community, building='7栋', room=f'{n}01'))
                  for n in range(20)]
    vote = await make_vote(community, open_at=T0, counting='household')
    ids = await options(vote)
    newcomer = await voter(community, '新住户', await make_household(community, building='8栋', room='101'))
    late = vote.closes_at + timedelta(minutes=1)
    calls = [
        ballots.cast_ballot(world['gui'], vote.id, [ids['yes']], nonce='home-gui-1', at=DURING),
        ballots.cast_ballot(spouse, vote.id, [ids['no']], nonce='home-liu-1', at=DURING),
        *(ballots.cast_ballot(world['jian'], vote.id, [ids['no']], nonce='jian-same', at=DURING) for _ in range(3)),
        ballots.cast_ballot(neighbours[0], vote.id, [ids['yes'] + 10_000], nonce='forged-01', at=DURING),
        ballots.cast_ballot(newcomer, vote.id, [ids['yes']], nonce='newcomer-1', at=DURING),
        ballots.cast_ballot(neighbours[1], vote.id, [ids['yes']], nonce='too-late-1', at=late),
        *(ballots.cast_ballot(p, vote.id, [ids['abstain']], nonce=f'neighbour-{n:02d}', at=DURING)
          for n, p in enumerate(neighbours[2:])),
    ]
    answers = await asyncio.gather(*(outcome(c) for c in calls))
    gui, liu, *same, forged, outsider, too_late = answers[:8]
    home = [a for a in (gui, liu) if isinstance(a, ballots.CastResult)]
    refused = [a for a in (gui, liu) if not isinstance(a, ballots.CastResult)]
    assert len(home) == 1 and len(refused) == 1 and refused[0][0] == 'already_voted'
    assert refused[0][1] == ('本户已由刘志强投票' if gui is refused[0] else '本户已由张桂兰投票')
    assert len({s.receipt for s in same}) == 1 and sorted(s.replay for s in same) == [False, True, True]
    assert forged[0] == 'unknown_option' and outsider[0] == 'not_in_electorate' and too_late[0] == 'closed'
    assert all(isinstance(a, ballots.CastResult) for a in answers[8:])
    stored = await Ballot.filter(vote_id=vote.id)
    assert len(stored) == 1 + 1 + 18  # the household once, 李建国 once, 18 neighbours
    assert {b.nonce for b in stored} >= {'jian-same'} and 'forged-01' not in {b.nonce for b in stored}
    tally = await tallies.current_tally(vote.id, at=DURING)
    heads = {line.kind: line.heads for line in tally.result.options}
    assert tally.counted == 20 and heads['abstain'] == 18 and heads['yes'] + heads['no'] == 2
    assert (await vote_chain.verify(vote.id))[0].broken is None


async def test_each_ballot_of_one_batch_is_checked_at_its_own_time(world):
    people = [await voter(world['community'], f'居民{n}') for n in range(3)]
    vote = await make_vote(world['community'], open_at=T0)
    yes = (await options(vote))['yes']
    electors = [await ballots._elector(p, vote, None) for p in people]  # the batch as the writer receives it
    items = [(ballot_store.Entry(vote, e, [yes], 'online', f'batch-{n:04d}', p.account_id, voter_id=p.resident_id), at)
             for n, (e, p, at) in enumerate(zip(electors, people, (DURING, vote.closes_at, DURING), strict=True))]
    first, late, third = await ballot_store._write_batch(items)
    assert isinstance(late, DomainError) and late.code == 'closed'
    assert not first.replay and not third.replay
    assert await Ballot.filter(vote_id=vote.id).count() == 2
    assert await ChainEntry.filter(vote_id=vote.id, kind='ballot.cast').count() == 2
    assert (await vote_chain.verify(vote.id))[0].broken is None


async def test_a_receipt_clash_in_a_batch_is_retried_one_by_one_and_every_ballot_is_stored(world, monkeypatch):
    people = [await voter(world['community'], f'居民{n}') for n in range(3)]
    vote = await make_vote(world['community'], open_at=T0)
    yes = (await options(vote))['yes']
    taken = (await ballots.cast_ballot(world['gui'], vote.id, [yes], nonce='first-0001', at=DURING)).receipt
    fresh = iter(['AAAA-BBBB', 'CCCC-DDDD', 'EEEE-FFFF', 'GGGG-HHHH'])
    codes = iter([taken])  # the batch draws a receipt already given out: the database refuses the whole batch
    monkeypatch.setattr(ballot_store, 'new_receipt', lambda: next(codes, None) or next(fresh))
    results = await asyncio.gather(*(ballots.cast_ballot(p, vote.id, [yes], nonce=f'clash-{n:04d}', at=DURING)
                                     for n, p in enumerate(people)))
    assert len({r.receipt for r in results} | {taken}) == 4
    assert await Ballot.filter(vote_id=vote.id).count() == 4
    assert (await vote_chain.verify(vote.id))[0].broken is None


async def test_a_failing_batch_answers_every_waiting_phone_and_the_next_ballot_is_stored(world, monkeypatch):
    vote = await make_vote(world['community'], open_at=T0)
    yes = (await options(vote))['yes']
    real = ballot_store._insert_batch

    async def broken(items, conn):
        raise RuntimeError('disk full')
    monkeypatch.setattr(ballot_store, '_insert_batch', broken)
    answers = await asyncio.gather(*(ballots.cast_ballot(p, vote.id, [yes], nonce=f'fail-{n:04d}', at=DURING)
                                     for n, p in enumerate((world['gui'], world['jian']))), return_exceptions=True)
    assert [str(a) for a in answers] == ['disk full', 'disk full']
    monkeypatch.setattr(ballot_store, '_insert_batch', real)
    assert not (await ballots.cast_ballot(world['gui'], vote.id, [yes], nonce='fail-0000', at=DURING)).replay
    assert await Ballot.filter(vote_id=vote.id).count() == 1
