"""Append to a vote's hash chain inside the caller's transaction (domain.chain has the hashing).

The caller serialises writers of one vote: on PostgreSQL by locking the vote row (`lock_vote`) first; on SQLite
the single connection already runs one transaction at a time. The (vote, seq) unique constraint backs both.
"""
from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.chain import GENESIS, entry_hash
from models import ChainEntry, Vote


def iso(at: datetime) -> str:
    """The chain's timestamp form: UTC, ISO 8601, microseconds."""
    return at.astimezone(UTC).isoformat(timespec='microseconds')


async def lock_vote(vote_id: int, conn: BaseDBAsyncClient) -> Vote | None:
    """Read the vote for update (a row lock on PostgreSQL) so one writer at a time extends its chain."""
    return await Vote.filter(id=vote_id).select_for_update().using_db(conn).first()


async def append(vote_id: int, kind: str, data: dict, *, at: datetime, conn: BaseDBAsyncClient,
                 ballot_id: int | None = None) -> ChainEntry:
    """Add one entry after the last one (call `lock_vote` earlier in the same transaction)."""
    last = await ChainEntry.filter(vote_id=vote_id).using_db(conn).order_by('-seq').only('seq', 'hash').first()
    seq = last.seq + 1 if last else 1
    prev = last.hash if last else GENESIS
    stamp = iso(at)
    return await ChainEntry.create(
        vote_id=vote_id, seq=seq, kind=kind, ballot_id=ballot_id, data=data, at=at, prev_hash=prev,
        hash=entry_hash(prev, vote_id=vote_id, seq=seq, kind=kind, at=stamp, data=data), using_db=conn)
