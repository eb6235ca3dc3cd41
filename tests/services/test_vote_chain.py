"""The hash chain verified: a whole chain passes; an altered ballot row, an altered or deleted entry and a ballot
slipped in past the chain are each named by the first entry that no longer fits — in the service and the CLI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tortoise import connections

from models import Ballot, ChainEntry
from services import ballots, vote_chain, votes
from tests.services.test_ballots import DURING, T0, make_world, options

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def world(db):
    world = await make_world()
    vote = await make_vote_with_ballots(world)
    return world | {'vote': vote, 'url': db}


async def make_vote_with_ballots(world):
    from tests.support import make_vote
    vote = await make_vote(world['community'], open_at=T0)
    ids = await options(vote)
    await ballots.cast_ballot(world['gui'], vote.id, [ids['yes']], nonce='phone-0001', at=DURING)
    await ballots.cast_ballot(world['jian'], vote.id, [ids['no']], nonce='phone-0002', at=DURING)
    return vote


async def sql(statement: str) -> None:
    """Tamper with the database behind the app's back, as someone with the database password could."""
    await connections.get('default').execute_script(statement)


def run_script(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, 'scripts/verify_chain.py', '--database-url', url, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


async def test_an_untouched_chain_is_whole_through_open_ballots_and_close(world):
    await votes.close_vote(None, world['vote'].id, at=world['vote'].closes_at)
    [report] = await vote_chain.verify(world['vote'].id)
    assert (report.broken, report.entries) == (None, 4)  # opened, two ballots, closed


async def test_a_ballot_row_altered_in_the_database_is_named_by_its_chain_entry(world):
    ballot = await Ballot.get(vote_id=world['vote'].id, voter_id=world['jian'].resident_id)
    yes = (await options(world['vote']))['yes']
    await sql(f"UPDATE ballot SET choices = '[{yes}]' WHERE id = {ballot.id}")
    [report] = await vote_chain.verify(world['vote'].id)
    entry = await ChainEntry.get(ballot_id=ballot.id)
    assert (report.broken.seq, report.broken_kind) == (entry.seq, 'ballot.cast')
    assert '所选项' in report.broken.reason and ballot.receipt in report.broken.reason


async def test_an_altered_chain_entry_breaks_its_own_hash(world):
    entry = await ChainEntry.filter(vote_id=world['vote'].id, kind='ballot.cast').order_by('seq').first()
    await sql(f"UPDATE vote_chain SET at = '2026-06-01 03:00:00+00:00' WHERE id = {entry.id}")
    [report] = await vote_chain.verify(world['vote'].id)
    assert report.broken.seq == entry.seq and '内容被改动' in report.broken.reason


async def test_a_deleted_ballot_and_its_entry_break_the_next_link(world):
    first = await ChainEntry.filter(vote_id=world['vote'].id, kind='ballot.cast').order_by('seq').first()
    await sql(f'DELETE FROM vote_chain WHERE id = {first.id}; DELETE FROM ballot WHERE id = {first.ballot_id}')
    [report] = await vote_chain.verify(world['vote'].id)
    assert report.broken.seq == first.seq + 1 and '缺失' in report.broken.reason


async def test_a_ballot_slipped_in_without_a_chain_entry_is_named(world):
    ballot = await Ballot.get(vote_id=world['vote'].id, voter_id=world['gui'].resident_id)
    await Ballot.create(vote_id=world['vote'].id, elector_id=ballot.elector_id, seq=2, choices=ballot.choices,
                        channel='online', nonce='forged-001', receipt='ZZZZ-ZZZZ', cast_at=DURING)
    [report] = await vote_chain.verify(world['vote'].id)
    assert report.broken.seq == 4 and '不在链上' in report.broken.reason


async def test_the_command_line_says_whole_then_names_the_altered_ballot_and_exits_1(world):
    done = run_script(world['url'])
    assert done.returncode == 0, done.stderr
    assert f'表决 #{world["vote"].id}《加装电梯》：完好（3 条）' in done.stdout
    ballot = await Ballot.get(vote_id=world['vote'].id, voter_id=world['gui'].resident_id)
    no = (await options(world['vote']))['no']
    await sql(f"UPDATE ballot SET choices = '[{no}]' WHERE id = {ballot.id}")
    done = run_script(world['url'], '--vote', str(world['vote'].id))
    assert done.returncode == 1, done.stderr
    assert '第 2 条（ballot.cast）' in done.stdout and '所选项' in done.stdout
    assert run_script(world['url'], '--vote', '999').returncode == 2
