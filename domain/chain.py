"""The hash chain of a vote: each entry's hash covers the previous hash and the entry's canonical JSON.

Altering a stored entry (or the ballot it records) breaks its own hash; deleting or reordering breaks the next
entry's link. `first_broken` walks the chain and names the first entry that no longer fits.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = '0' * 64


def canonical(value: object) -> str:
    """JSON with sorted keys and no spaces: the same content always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False)


def entry_hash(prev_hash: str, *, vote_id: int, seq: int, kind: str, at: str, data: dict) -> str:
    """sha256 over the previous hash and this entry (at: ISO 8601 in UTC)."""
    body = canonical({'vote': vote_id, 'seq': seq, 'kind': kind, 'at': at, 'data': data})
    return hashlib.sha256((prev_hash + body).encode('utf-8')).hexdigest()


@dataclass(frozen=True)
class Link:
    """One stored entry as read back."""
    vote_id: int
    seq: int
    kind: str
    at: str
    data: dict
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str  # plain Chinese


def first_broken(links: Iterable[Link]) -> Break | None:
    """The first entry (in seq order) whose link or hash does not fit, or None when the chain is whole."""
    prev = GENESIS
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return Break(link.seq, f'第 {expected_seq} 条缺失或顺序被改动')
        if link.prev_hash != prev:
            return Break(link.seq, f'第 {link.seq} 条与上一条的链接不符（前一条被删除或改动）')
        if entry_hash(prev, vote_id=link.vote_id, seq=link.seq, kind=link.kind, at=link.at,
                      data=link.data) != link.hash:
            return Break(link.seq, f'第 {link.seq} 条的内容被改动')
        prev = link.hash
        expected_seq += 1
    return None
