"""Ballots: a resident casts one on a phone (online, or on site when checked in at the vote's meeting); staff type in
paper and proxy ballots with the sheet number.

Every ballot is one transaction: lock the vote (`vote_chain.lock_vote`), check its state and time window, the
elector's latest ballot, the nonce, the sheet and the proxy's count again under the lock, insert the Ballot (append
only: a change is a new row with the next `seq`) and its 'ballot.cast' chain entry, then publish 'vote.ballot'.
A replayed nonce returns the first answer and changes nothing; the database's unique constraints back every rule.
Receipts are checked in services.tallies (re-exported here).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import LOCAL
from domain.permissions import Principal, can
from domain.votes import check_choices, new_receipt
from models import Ballot, CheckIn, Elector, Resident, Vote, VoteOption
from services import accounts, audit, events, vote_chain
from services.electorate import electors_for
from services.tallies import ReceiptCheck, check_receipt, counted_receipts  # noqa: F401  (the contract's names)

_NONCE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')
_ATTEMPTS = 4  # a lost race or a receipt collision is retried under the lock, where it becomes a clear answer
CHANNEL_LABELS = {'online': '手机投票', 'onsite': '现场投票', 'paper': '纸质选票', 'proxy': '委托投票'}


@dataclass(frozen=True)
class CastResult:
    """What the voter (or the staff member typing a sheet in) sees after a ballot was stored."""
    receipt: str  # 'K7Q2-9XMP': proves the ballot was counted without showing the choice
    seq: int  # 1 the first ballot, 2… a change
    replay: bool  # the same nonce again: this is the first answer, nothing changed
    elector_label: str
    cast_at: datetime


@dataclass(frozen=True)
class _Entry:
    """One ballot about to be stored, whatever its channel."""
    vote: Vote
    elector: Elector
    choices: tuple[int, ...]
    channel: str
    nonce: str
    entered_by: int | None
    voter_id: int | None = None  # the resident who voted themselves (online, onsite)
    sheet_no: str | None = None
    proxy: Resident | None = None


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
    vote = await get_vote(vote_id)
    if not user.is_authenticated:
        raise DomainError('not_signed_in', '请先登录再投票')
    check_nonce(nonce)
    try:
        check_time(vote, at)
        elector = await _elector(user, vote, elector_id)
        channel = await _phone_channel(user, vote)
        clean = await _choices(vote, choices)
    except DomainError:  # a replay of a ballot stored before the vote closed still gets its first answer
        if (first := await _replay(vote.id, user.account_id, nonce)) is not None:
            return first
        raise
    return await _store(_Entry(vote, elector, clean, channel, nonce, user.account_id, voter_id=user.resident_id),
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
        _may_cast(vote, elector, latest, voter_id=user.resident_id, choices=None,
                  voter_name=await _voter_name(latest, user.resident_id))
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
    if (first := await _replay(vote.id, actor.account_id, nonce)) is not None:
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
    clean = await _choices(vote, choices)
    return await _store(_Entry(vote, elector, clean, channel, nonce, actor.account_id, sheet_no=sheet, proxy=proxy),
                        at=at)


# ---- checks shared by the phone and the paper desk ----

def check_nonce(nonce: object) -> None:
    """Errors: invalid_nonce."""
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise DomainError('invalid_nonce', '投票请求不完整，请刷新页面后重试')


def local(at: datetime) -> str:
    """'06-03 19:00' in the community's time zone."""
    return at.astimezone(LOCAL).strftime('%m-%d %H:%M')


def check_time(vote: Vote, at: datetime) -> None:
    """The vote takes ballots now. Errors: not_started, closed."""
    if vote.state == 'draft':
        raise DomainError('not_started', '表决还没有开始')
    if vote.state == 'cancelled':
        raise DomainError('closed', '这次表决已取消')
    if vote.state != 'open':
        raise DomainError('closed', '表决已经结束，不能再投票')
    if at < vote.opens_at:
        raise DomainError('not_started', '表决将于 {at} 开始，请到时再来', at=local(vote.opens_at))
    if at >= vote.closes_at:
        raise DomainError('closed', '表决已于 {at} 结束，不能再投票', at=local(vote.closes_at))


async def latest_ballot(elector_id: int, conn: BaseDBAsyncClient | None = None) -> Ballot | None:
    """The elector's counted ballot: the one with the highest seq."""
    return await Ballot.filter(elector_id=elector_id).using_db(conn).order_by('-seq').first()


def _may_cast(vote: Vote, elector: Elector, latest: Ballot | None, *, voter_id: int | None,
              choices: tuple[int, ...] | None, voter_name: str = '') -> None:
    """A first ballot, or a change by the same person where the vote allows it. Errors: already_voted, no_change."""
    if latest is None:
        return
    if voter_id is None or latest.voter_id != voter_id:  # someone else's ballot, or a sheet typed in by staff
        if elector.key[0] in 'hu':
            if voter_name:
                raise DomainError('already_voted', '本户已由{name}投票', name=voter_name)
            raise DomainError('already_voted', '本户已经投过票了（{channel}）', channel=channel_label(latest.channel))
        channel = channel_label(latest.channel)
        if voter_id is None:
            raise DomainError('already_voted', '这位选民已经投过票了（{channel}）', channel=channel)
        raise DomainError('already_voted', '您已经投过票了（{channel}）', channel=channel)
    if not vote.allow_change:
        raise DomainError('already_voted', '您已经投过票了，这次表决不能改票')
    if choices is not None and tuple(latest.choices) == choices:
        raise DomainError('no_change', '和您上次的选择一样，不用再改')


def channel_label(channel: str) -> str:
    return t(CHANNEL_LABELS.get(channel, channel))


async def _voter_name(latest: Ballot | None, voter_id: int | None, conn: BaseDBAsyncClient | None = None) -> str:
    """The name of the household member who cast `latest`, when it is someone else's."""
    if latest is None or latest.voter_id is None or latest.voter_id == voter_id:
        return ''
    return await Resident.filter(id=latest.voter_id).using_db(conn).first().values_list('name', flat=True) or ''


# ---- helpers ----

async def get_vote(vote_id: object) -> Vote:
    """The vote, or not_found (also for ids that are not integers)."""
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) and not isinstance(vote_id, bool) else None
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    return vote


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


async def _choices(vote: Vote, choices: Sequence[int]) -> tuple[int, ...]:
    option_ids = await VoteOption.filter(vote_id=vote.id).order_by('position').values_list('id', flat=True)
    return check_choices(vote.ballot_type, vote.max_choices, option_ids, choices)


async def _proxy(vote: Vote, elector: Elector, proxy_resident_id: object) -> Resident:
    """Errors: proxy_not_resident, proxy_is_principal."""
    proxy = await Resident.get_or_none(id=proxy_resident_id, community_id=vote.community_id) \
        if isinstance(proxy_resident_id, int) else None
    if proxy is None or proxy.status == 'left':
        raise DomainError('proxy_not_resident', '受托人必须是本社区的居民')
    if elector.resident_id == proxy.id:
        raise DomainError('proxy_is_principal', '受托人和委托人不能是同一个人')
    return proxy


async def _replay(vote_id: int, account_id: int | None, nonce: str,
                  conn: BaseDBAsyncClient | None = None) -> CastResult | None:
    """The first answer given to this (vote, account, nonce)."""
    if account_id is None:
        return None
    ballot = await Ballot.filter(vote_id=vote_id, entered_by_id=account_id, nonce=nonce).using_db(conn).first()
    if ballot is None:
        return None
    label = await Elector.filter(id=ballot.elector_id).using_db(conn).first().values_list('label', flat=True)
    return CastResult(ballot.receipt, ballot.seq, True, label or '', ballot.cast_at)


async def _store(entry: _Entry, *, at: datetime) -> CastResult:
    """Insert the ballot and its chain entry under the vote's lock; publish 'vote.ballot' after commit (listeners
    recount once for all their screens: components.vote_live)."""
    for _ in range(_ATTEMPTS):
        try:
            async with in_transaction() as conn:
                result = await _insert(entry, at=at, conn=conn)
        except IntegrityError:  # lost a race the lock did not cover: the next attempt sees the winner and says so
            continue
        if not result.replay:
            await events.publish('vote.ballot', community_id=entry.vote.community_id, vote_id=entry.vote.id)
        return result
    raise DomainError('busy', '投票的人太多了，请稍后再试')


async def _insert(entry: _Entry, *, at: datetime, conn: BaseDBAsyncClient) -> CastResult:
    vote = await vote_chain.lock_vote(entry.vote.id, conn)
    if (first := await _replay(vote.id, entry.entered_by, entry.nonce, conn)) is not None:
        return first
    check_time(vote, at)  # closed or cancelled while this ballot was on its way
    latest = await latest_ballot(entry.elector.id, conn)
    _may_cast(vote, entry.elector, latest, voter_id=entry.voter_id, choices=entry.choices,
              voter_name=await _voter_name(latest, entry.voter_id, conn))
    if entry.sheet_no is not None and await Ballot.filter(vote_id=vote.id, sheet_no=entry.sheet_no).using_db(conn) \
            .exists():
        raise DomainError('sheet_taken', '选票编号 {sheet} 已经录入过了，请核对', sheet=entry.sheet_no)
    if entry.proxy is not None:
        held = await Ballot.filter(vote_id=vote.id, proxy_id=entry.proxy.id).using_db(conn).count()
        if held >= vote.max_principals:
            raise DomainError('too_many_principals', '{name}已经代{held}人投票，每人最多受托{limit}人',
                              name=entry.proxy.name, held=held, limit=vote.max_principals)
    receipt = new_receipt()  # ~40 bits: a clash with this vote's receipts is an IntegrityError and another attempt
    seq = latest.seq + 1 if latest is not None else 1
    ballot = await Ballot.create(
        vote_id=vote.id, elector_id=entry.elector.id, seq=seq, choices=list(entry.choices), channel=entry.channel,
        voter_id=entry.voter_id, proxy_id=entry.proxy.id if entry.proxy else None, entered_by_id=entry.entered_by,
        sheet_no=entry.sheet_no, nonce=entry.nonce, receipt=receipt, cast_at=at, using_db=conn)
    await vote_chain.append(vote.id, 'ballot.cast', chain_data(ballot, entry.elector.key), at=at, conn=conn,
                            ballot_id=ballot.id)
    if entry.voter_id is None:  # typed in by staff: who entered which sheet is in the audit log (never the choice)
        await audit.record('vote.ballot.entered', actor_id=entry.entered_by, community_id=vote.community_id,
                           target=ballot, data={'vote_id': vote.id, 'elector': entry.elector.key,
                                                'channel': entry.channel, 'sheet_no': entry.sheet_no,
                                                'proxy_id': ballot.proxy_id}, at=at, using_db=conn)
    return CastResult(receipt, seq, False, entry.elector.label, at)


def chain_data(ballot: Ballot, elector_key: str) -> dict:
    """What the 'ballot.cast' chain entry records of a ballot (vote_chain.verify compares it with the row)."""
    return {'ballot': ballot.id, 'elector': elector_key, 'seq': ballot.seq, 'choices': list(ballot.choices),
            'channel': ballot.channel, 'receipt': ballot.receipt, 'entered_by': ballot.entered_by_id,
            'sheet_no': ballot.sheet_no, 'proxy': ballot.proxy_id, 'nonce': ballot.nonce}
