"""Ballots: a resident casts one on a phone (online, or on site when checked in at the vote's meeting); staff type in
paper and proxy ballots with the sheet number.

Here: who may vote and for which elector; services.ballot_store stores the ballots by group commit, under the
vote's lock, with the nonce, household and change rules.
Receipts are checked in services.tallies (re-exported here).
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import datetime
from weakref import WeakKeyDictionary

from domain.errors import DomainError
from domain.permissions import Principal, can
from models import Ballot, CheckIn, Elector, Resident, Vote
from services import accounts, audit
from services.ballot_store import (  # noqa: F401  (CastResult, channel_label … are used through this module)
    CHANNEL_LABELS,
    CastResult,
    Entry,
    chain_data,
    channel_label,
    check_time,
    latest_ballot,
    local,
    may_cast,
    replay,
    store,
    voter_name,
)
from services.electorate import electors_for
from services.tallies import ReceiptCheck, check_receipt, counted_receipts  # noqa: F401  (the contract's names)

_vote_reads: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Task]] = WeakKeyDictionary()


_NONCE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')


async def cast_ballot(user: Principal, vote_id: int, choices: Sequence[int], *, nonce: str,
                      at: datetime | None = None, elector_id: int | None = None) -> CastResult:
    """A resident votes on their phone (channel 'onsite' when checked in at the vote's meeting, else 'online').

    `elector_id`: which of the person's electors (an owner may also vote for a unit with no registered owner);
    default the first one nobody voted for yet.
    Errors: not_found, not_signed_in, invalid_nonce, not_started, closed, not_in_electorate, not_verified,
    not_checked_in, channel_closed, already_voted (household: '本户已由{name}投票'), no_change, and those of
    domain.votes.check_choices (no_choice, unknown_option, too_many_choices, duplicate_choice).
    """
    at = at or audit.now()
    vote = await _shared_vote(vote_id)
    if not user.is_authenticated:
        raise DomainError('not_signed_in', '请先登录再投票')
    check_nonce(nonce)
    try:
        check_time(vote, at)
        elector = await _elector(user, vote, elector_id)
        channel = await _phone_channel(user, vote)
    except DomainError:  # a replay of a ballot stored before the vote closed still gets its first answer
        if (first := await replay(vote.id, user.account_id, nonce)) is not None:
            return first
        raise
    return await store(Entry(vote, elector, choices, channel, nonce, user.account_id, voter_id=user.resident_id),
                        at=at)


async def why_cannot_vote(user: Principal, vote_id: int, *, at: datetime | None = None) -> list[str]:
    """Why this person cannot vote on their phone now, in plain Chinese; [] = they may vote (or change) now."""
    at = at or audit.now()
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) else None
    if vote is None:
        return [DomainError('not_found', '找不到这次表决').message]
    if not user.is_authenticated:
        return [DomainError('not_signed_in', '请先登录再投票').message]
    reasons: list[str] = []
    try:
        check_time(vote, at)
    except DomainError as e:
        if vote.state != 'open':  # not opened yet (no roll), or over: that is the one reason that matters
            return [e.message]
        reasons.append(e.message)
    try:
        elector = await _elector(user, vote, None)
        await _phone_channel(user, vote)
        latest = await latest_ballot(elector.id)
        may_cast(vote, elector, latest, voter_id=user.resident_id, choices=None,
                  voter_name=await voter_name(latest, user.resident_id))
    except DomainError as e:
        reasons.append(e.message)
    return reasons


async def enter_paper_ballot(actor: Principal, vote_id: int, *, elector_id: int, choices: Sequence[int],
                             sheet_no: str, nonce: str, proxy_resident_id: int | None = None,
                             at: datetime | None = None) -> CastResult:
    """Staff type in a paper ballot (or a proxy's, when `proxy_resident_id` is given) with its sheet number; the
    entering account is recorded. Only while the vote is open: sheets are typed in before it closes.

    Errors: not_found, forbidden, invalid_nonce, channel_closed, not_started, closed, not_in_electorate,
    invalid_sheet_no, sheet_taken, already_voted, proxy_not_resident, proxy_is_principal, too_many_principals,
    and those of domain.votes.check_choices.
    """
    at = at or audit.now()
    vote = await get_vote(vote_id)
    accounts.require(actor, 'vote.enter', vote)
    check_nonce(nonce)
    if (first := await replay(vote.id, actor.account_id, nonce)) is not None:
        return first
    channel = 'proxy' if proxy_resident_id is not None else 'paper'
    if channel not in (vote.channels or []):
        if channel == 'proxy':
            raise DomainError('channel_closed', '这次表决不接受委托投票')
        raise DomainError('channel_closed', '这次表决不接受纸质选票')
    check_time(vote, at)
    elector = await Elector.get_or_none(id=elector_id, vote_id=vote.id) if isinstance(elector_id, int) else None
    if elector is None:
        raise DomainError('not_in_electorate', '这位选民不在这次表决的名单中')
    sheet = sheet_no.strip() if isinstance(sheet_no, str) else ''
    if not sheet or len(sheet) > 30:
        raise DomainError('invalid_sheet_no', '请填写选票编号（不超过30个字）')
    proxy = await _proxy(vote, elector, proxy_resident_id) if channel == 'proxy' else None
    return await store(Entry(vote, elector, choices, channel, nonce, actor.account_id, sheet_no=sheet, proxy=proxy),
                        at=at)


# ---- checks shared by the phone and the paper desk ----


def check_nonce(nonce: object) -> None:
    """Errors: invalid_nonce."""
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise DomainError('invalid_nonce', '投票请求不完整，请刷新页面后重试')


async def get_vote(vote_id: object) -> Vote:
    """The vote, or not_found (also for ids that are not integers)."""
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) and not isinstance(vote_id, bool) else None
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    return vote


async def _shared_vote(vote_id: object) -> Vote:
    """`get_vote`, with phones arriving while the vote row is being read sharing that read (in a burst every phone
    would read the same row). The rules that must hold at the ballot's instant are checked again under the lock."""
    if not isinstance(vote_id, int) or isinstance(vote_id, bool):
        return await get_vote(vote_id)
    loop = asyncio.get_running_loop()
    reads = _vote_reads.setdefault(loop, {})
    if (read := reads.get(vote_id)) is None:
        read = reads[vote_id] = loop.create_task(get_vote(vote_id))
        read.add_done_callback(lambda _: reads.pop(vote_id, None))
    return await asyncio.shield(read)


async def _who(user: Principal, vote: Vote) -> None:
    """Signed in as a verified resident of the vote's community. Errors: not_in_electorate, not_verified."""
    if user.resident_id is None or not can(user, 'vote.cast', vote):
        raise DomainError('not_in_electorate', '只有本社区的居民可以投票')
    if not user.verified:
        raise DomainError('not_verified', '您还没有通过实名核验，请带身份证到社区居委会核验后再投票')


async def _elector(user: Principal, vote: Vote, elector_id: int | None) -> Elector:
    """The elector this person votes for. Errors: not_in_electorate, not_verified."""
    await _who(user, vote)
    electors = await electors_for(user, vote)
    if elector_id is not None:
        electors = [e for e in electors if e.id == elector_id]
    if not electors:
        raise DomainError('not_in_electorate', '您不在这次表决的投票人名单中')
    if len(electors) > 1:
        voted = set(await Ballot.filter(elector_id__in=[e.id for e in electors]).values_list('elector_id', flat=True))
        electors = [e for e in electors if e.id not in voted] or electors
    return electors[0]


async def _phone_channel(user: Principal, vote: Vote) -> str:
    """'onsite' for a resident checked in at the vote's meeting, else 'online'.
    Errors: not_checked_in (on site only), channel_closed (paper and proxy only)."""
    channels = set(vote.channels or [])
    if 'onsite' in channels and vote.onsite_meeting_id is not None and user.resident_id is not None \
            and await CheckIn.exists(meeting_id=vote.onsite_meeting_id, resident_id=user.resident_id):
        return 'onsite'
    if 'online' in channels:
        return 'online'
    if 'onsite' in channels and vote.onsite_meeting_id is not None:
        raise DomainError('not_checked_in', '这次表决只在会场投票，请先到会场签到')
    raise DomainError('channel_closed', '这次表决不接受手机投票，请填写纸质选票')


async def _proxy(vote: Vote, elector: Elector, proxy_resident_id: object) -> Resident:
    """Errors: proxy_not_resident, proxy_is_principal."""
    proxy = await Resident.get_or_none(id=proxy_resident_id, community_id=vote.community_id) \
        if isinstance(proxy_resident_id, int) else None
    if proxy is None or proxy.status == 'left':
        raise DomainError('proxy_not_resident', '受托人必须是本社区的居民')
    if elector.resident_id == proxy.id:
        raise DomainError('proxy_is_principal', '受托人和委托人不能是同一个人')
    return proxy
