"""Append to a vote's hash chain inside the caller's transaction (domain.chain has the hashing), and verify it:
`verify` recomputes every link and compares each 'ballot.cast' entry with its ballot row (scripts/verify_chain.py).

The caller serialises writers of one vote: on PostgreSQL by locking the vote row (`lock_vote`) first; on SQLite
the single connection already runs one transaction at a time. The (vote, seq) unique constraint backs both.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.chain import GENESIS, Break, Link, entry_hash, first_broken
from domain.i18n import t
from models import Ballot, ChainEntry, Vote


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


async def append_many(vote_id: int, entries: Sequence[tuple[str, dict, datetime, int | None]], *,
                      conn: BaseDBAsyncClient) -> list[ChainEntry]:
    """Add (kind, data, at, ballot_id) entries after the last one, in order, with one read of the head and one
    INSERT (call `lock_vote` earlier in the same transaction): the links are the same as `append` one by one."""
    if not entries:
        return []
    last = await ChainEntry.filter(vote_id=vote_id).using_db(conn).order_by('-seq').only('seq', 'hash').first()
    seq = last.seq if last else 0
    prev = last.hash if last else GENESIS
    rows = []
    for kind, data, at, ballot_id in entries:
        seq += 1
        digest = entry_hash(prev, vote_id=vote_id, seq=seq, kind=kind, at=iso(at), data=data)
        rows.append(ChainEntry(vote_id=vote_id, seq=seq, kind=kind, ballot_id=ballot_id, data=data, at=at,
                               prev_hash=prev, hash=digest))
        prev = digest
    await ChainEntry.bulk_create(rows, using_db=conn)
    return rows


# ---- verification ----

@dataclass(frozen=True)
class ChainReport:
    """One vote's chain checked: whole (`broken` None) or the first entry that no longer fits."""
    vote_id: int
    title: str
    entries: int
    broken: Break | None
    broken_kind: str | None = None  # the kind of the broken entry ('ballot.cast' …)


# a ballot row's fields as the 'ballot.cast' entry records them, and their names in a report
_FIELDS = {'ballot': '编号', 'elector': '选民', 'seq': '第几次投票', 'choices': '所选项', 'channel': '投票方式',
           'receipt': '回执码', 'entered_by': '录入人', 'sheet_no': '选票编号', 'proxy': '受托人', 'nonce': '请求编号'}


async def verify(vote_id: int | None = None) -> list[ChainReport]:
    """Recompute every entry's hash and link, and compare each 'ballot.cast' entry with its ballot row now:
    the first entry per vote that was altered, deleted or whose ballot was changed is named."""
    votes = await (Vote.filter(id=vote_id) if vote_id is not None else Vote.all()).order_by('id')
    return [await _verify_one(vote) for vote in votes]


async def _verify_one(vote: Vote) -> ChainReport:
    entries = await ChainEntry.filter(vote_id=vote.id).order_by('seq')
    kinds = {e.seq: e.kind for e in entries}
    broken = first_broken(Link(vote.id, e.seq, e.kind, iso(e.at), e.data, e.prev_hash, e.hash) for e in entries)
    rows = {b['id']: b for b in await Ballot.filter(vote_id=vote.id).values(
        'id', 'elector__key', 'seq', 'choices', 'channel', 'receipt', 'entered_by_id', 'sheet_no', 'proxy_id', 'nonce')}
    recorded: set[int] = set()
    for entry in entries:
        if broken is not None and entry.seq >= broken.seq:
            break
        if entry.kind != 'ballot.cast':
            continue
        data = entry.data or {}
        recorded.add(data.get('ballot'))
        row = rows.get(data.get('ballot'))
        if row is None:
            broken = Break(entry.seq, t('第 {seq} 条记录的选票在数据库中已被删除', seq=entry.seq))
            break
        now = {'ballot': row['id'], 'elector': row['elector__key'], 'seq': row['seq'], 'choices': list(row['choices']),
               'channel': row['channel'], 'receipt': row['receipt'], 'entered_by': row['entered_by_id'],
               'sheet_no': row['sheet_no'], 'proxy': row['proxy_id'], 'nonce': row['nonce']}
        changed = [t(label) for key, label in _FIELDS.items() if now[key] != data.get(key)]
        if changed:
            broken = Break(entry.seq, t('第 {seq} 条记录的选票（回执 {receipt}）在数据库中被改动：{fields}',
                                        seq=entry.seq, receipt=data.get('receipt', ''), fields='、'.join(changed)))
            break
    if broken is None and (extra := sorted(set(rows) - recorded)):
        seq = len(entries) + 1
        broken = Break(seq, t('有 {n} 张选票不在链上（选票编号 {ids}）', n=len(extra),
                              ids='、'.join(str(i) for i in extra[:5])))
    return ChainReport(vote.id, vote.title, len(entries), broken, kinds.get(broken.seq) if broken else None)
