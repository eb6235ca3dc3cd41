"""What was counted: the live tally of an open vote (the frozen one after close) and the receipt checks.

The recount reads the options, the roll (key, area) and the counted ballots (highest seq per elector) in one query
each and hands them to domain.tally; the projector and every phone share one recount per ballot (components.vote_live).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import DomainError
from domain.tally import Result, tally
from domain.votes import normalise_receipt
from models import Ballot, ChainEntry, Vote
from services import audit
from services.vote_counting import counted_casts, option_specs, rule_for_vote, weights

_LIVE = ('draft', 'open', 'cancelled')  # no frozen result: count what is there


@dataclass(frozen=True)
class TallyView:
    """The count as a screen shows it; `hidden`: the options' figures must not be shown yet (turnout only)."""
    vote_id: int
    community_id: int
    state: str
    title: str
    result: Result
    hidden: bool
    counted: int  # electors whose ballot counts
    closes_at: datetime
    at: datetime


@dataclass(frozen=True)
class ReceiptCheck:
    """What a receipt code proves: the ballot is there and counted (or replaced by a later one), never its choice."""
    found: bool
    counted: bool
    superseded: bool  # the voter changed the ballot later: this one no longer counts
    cast_at: datetime | None
    chain_hash: str | None  # the hash of its chain entry, to compare with a printed or published copy


async def current_tally(vote_id: int, *, at: datetime | None = None) -> TallyView:
    """An open vote recounted now; a closed, final or annulled one as frozen at close.

    Errors: not_found.
    """
    at = at or audit.now()
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) else None
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    if vote.state not in _LIVE and vote.result:
        result = Result.from_json(vote.result)
        counted = result.voted_heads
    else:
        casts = await counted_casts(vote.id)
        result = tally(rule_for_vote(vote), ballot_type=vote.ballot_type, max_choices=vote.max_choices,
                       options=await option_specs(vote.id), electors=await weights(vote.id), ballots=casts)
        counted = result.voted_heads
    hidden = not vote.results_live and vote.state in ('draft', 'open')
    return TallyView(vote.id, vote.community_id, vote.state, vote.title, result, hidden, counted, vote.closes_at, at)


async def check_receipt(vote_id: int, code: str) -> ReceiptCheck:
    """Whether the ballot with this receipt is counted, without revealing its choices."""
    receipt = normalise_receipt(code) if isinstance(code, str) else ''
    ballot = await Ballot.get_or_none(vote_id=vote_id, receipt=receipt) \
        if receipt and isinstance(vote_id, int) else None
    if ballot is None:
        return ReceiptCheck(False, False, False, None, None)
    superseded = await Ballot.filter(elector_id=ballot.elector_id, seq__gt=ballot.seq).exists()
    chain_hash = await ChainEntry.filter(vote_id=ballot.vote_id, ballot_id=ballot.id) \
        .first().values_list('hash', flat=True)
    return ReceiptCheck(True, not superseded, superseded, ballot.cast_at, chain_hash)


async def counted_receipts(vote_id: int) -> list[str]:
    """The receipts of the counted ballots, sorted (a published list: each voter finds their own)."""
    rows = await Ballot.filter(vote_id=vote_id).order_by('elector_id', 'seq').values_list('elector_id', 'receipt')
    return sorted(dict(rows).values())
