"""Storing ballots by group commit (services.ballot_writer): the ballots of one vote queued in this process are
written together in one transaction: lock the vote (`vote_chain.lock_vote`), check for each ballot at its own time
the vote's state and time window, the choices, the nonce, the elector's latest ballot (also those earlier in the
batch), the sheet and the proxy's count, insert the Ballots (append only: a change is a new row with the next `seq`)
and their 'ballot.cast' chain entries, commit, then publish one 'vote.ballot' for the batch. A replayed nonce returns
the first answer and changes nothing; the database's unique constraints back every rule, and a batch that breaks
one (a race with another process) is retried one ballot at a time, each in its own transaction.

Callers (services.ballots) check who votes and for which elector first, then `store` an Entry. Never call it inside
a transaction of your own: the writer task would inherit it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import LOCAL
from domain.votes import check_choices, new_receipt
from models import Ballot, Elector, Resident, Vote, VoteOption
from services import audit, ballot_writer, events, vote_chain

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
class Entry:
    """One ballot about to be stored, whatever its channel."""
    vote: Vote
    elector: Elector
    choices: Sequence[int]  # as sent: checked against the vote's options under the lock
    channel: str
    nonce: str
    entered_by: int | None
    voter_id: int | None = None  # the resident who voted themselves (online, onsite)
    sheet_no: str | None = None
    proxy: Resident | None = None


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


def may_cast(vote: Vote, elector: Elector, latest: Ballot | None, *, voter_id: int | None,
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


async def voter_name(latest: Ballot | None, voter_id: int | None, conn: BaseDBAsyncClient | None = None) -> str:
    """The name of the household member who cast `latest`, when it is someone else's."""
    if latest is None or latest.voter_id is None or latest.voter_id == voter_id:
        return ''
    return await Resident.filter(id=latest.voter_id).using_db(conn).first().values_list('name', flat=True) or ''


# ---- helpers ----


async def _option_ids(vote: Vote, conn: BaseDBAsyncClient) -> list[int]:
    return await VoteOption.filter(vote_id=vote.id).using_db(conn).order_by('position').values_list('id', flat=True)


async def replay(vote_id: int, account_id: int | None, nonce: str,
                  conn: BaseDBAsyncClient | None = None) -> CastResult | None:
    """The first answer given to this (vote, account, nonce)."""
    if account_id is None:
        return None
    ballot = await Ballot.filter(vote_id=vote_id, entered_by_id=account_id, nonce=nonce).using_db(conn).first()
    if ballot is None:
        return None
    label = await Elector.filter(id=ballot.elector_id).using_db(conn).first().values_list('label', flat=True)
    return CastResult(ballot.receipt, ballot.seq, True, label or '', ballot.cast_at)


async def store(entry: Entry, *, at: datetime) -> CastResult:
    """Queue the ballot for its vote's writer (group commit) and wait for its answer."""
    return await ballot_writer.submit(entry.vote.id, (entry, at), _write_batch)


async def _write_batch(items: list[tuple[Entry, datetime]]) -> list[CastResult | Exception]:
    """Store a batch of one vote's ballots in one transaction; publish one 'vote.ballot' after commit (listeners
    recount once for all their screens: components.vote_live)."""
    try:
        async with in_transaction() as conn:
            outcomes = await _insert_batch(items, conn)
    except IntegrityError:  # a race with another process, or a receipt clash: one by one, each gets its own answer
        return [await _outcome(_store_one(entry, at=at)) for entry, at in items]
    if any(isinstance(o, CastResult) and not o.replay for o in outcomes):
        vote = items[0][0].vote
        await events.publish('vote.ballot', community_id=vote.community_id, vote_id=vote.id)
    return outcomes


async def _outcome(coro) -> CastResult | Exception:
    try:
        return await coro
    except Exception as e:
        return e


async def _insert_batch(items: list[tuple[Entry, datetime]], conn: BaseDBAsyncClient) -> list[CastResult | Exception]:
    """Decide each ballot in order, as if they came one after another, with a handful of queries for the batch."""
    vote = await vote_chain.lock_vote(items[0][0].vote.id, conn)
    if vote is None:
        return [DomainError('not_found', '找不到这次表决') for _ in items]
    option_ids = await _option_ids(vote, conn)
    firsts = await _replays(vote.id, [entry for entry, _ in items], conn)
    latest: dict[int, Ballot] = {}
    electors = list({e.elector.id for e, _ in items})
    for ballot in await Ballot.filter(elector_id__in=electors).using_db(conn).order_by('seq'):
        latest[ballot.elector_id] = ballot  # the highest seq last
    outcomes: list[CastResult | Exception] = []
    stored: list[tuple[Ballot, Entry]] = []
    receipts: set[str] = set()
    for entry, at in items:
        if entry.entered_by is not None and (first := firsts.get((entry.entered_by, entry.nonce))) is not None:
            outcomes.append(first)
            continue
        try:
            check_time(vote, at)  # closed or cancelled while this ballot was on its way
            choices = check_choices(vote.ballot_type, vote.max_choices, option_ids, entry.choices)
            before = latest.get(entry.elector.id)
            may_cast(vote, entry.elector, before, voter_id=entry.voter_id, choices=choices,
                      voter_name=await voter_name(before, entry.voter_id, conn))
            await _check_sheet_and_proxy(vote, entry, conn)  # sees the batch's earlier rows: same transaction
        except DomainError as e:
            outcomes.append(e)
            continue
        receipt = new_receipt()  # ~40 bits: a clash with a stored receipt is an IntegrityError, then one by one
        while receipt in receipts:
            receipt = new_receipt()
        receipts.add(receipt)
        ballot = await _create(vote, entry, choices, receipt, before, at, conn)
        latest[entry.elector.id] = ballot
        result = CastResult(receipt, ballot.seq, False, entry.elector.label, at)
        firsts[(entry.entered_by, entry.nonce)] = replace(result, replay=True)
        outcomes.append(result)
        stored.append((ballot, entry))
    await vote_chain.append_many(vote.id, [('ballot.cast', chain_data(b, e.elector.key), b.cast_at, b.id)
                                           for b, e in stored], conn=conn)
    for ballot, entry in stored:
        await _audit_entered(vote, entry, ballot, conn)
    return outcomes


async def _replays(vote_id: int, entries: list[Entry], conn: BaseDBAsyncClient) -> dict[tuple[int, str], CastResult]:
    """The first answers already given to any of these (account, nonce) pairs, in one query."""
    pairs = {(e.entered_by, e.nonce) for e in entries if e.entered_by is not None}
    if not pairs:
        return {}
    found = [b for b in await Ballot.filter(vote_id=vote_id, entered_by_id__in=list({a for a, _ in pairs}),
                                            nonce__in=list({n for _, n in pairs})).using_db(conn)
             if (b.entered_by_id, b.nonce) in pairs]
    if not found:
        return {}
    electors = list({b.elector_id for b in found})
    labels = dict(await Elector.filter(id__in=electors).using_db(conn).values_list('id', 'label'))
    return {(b.entered_by_id, b.nonce): CastResult(b.receipt, b.seq, True, labels.get(b.elector_id) or '', b.cast_at)
            for b in found}


async def _store_one(entry: Entry, *, at: datetime) -> CastResult:
    """One ballot in its own transaction (a batch that lost a race comes here); publish 'vote.ballot' after commit."""
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


async def _insert(entry: Entry, *, at: datetime, conn: BaseDBAsyncClient) -> CastResult:
    vote = await vote_chain.lock_vote(entry.vote.id, conn)
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    if (first := await replay(vote.id, entry.entered_by, entry.nonce, conn)) is not None:
        return first
    check_time(vote, at)  # closed or cancelled while this ballot was on its way
    choices = check_choices(vote.ballot_type, vote.max_choices, await _option_ids(vote, conn), entry.choices)
    latest = await latest_ballot(entry.elector.id, conn)
    may_cast(vote, entry.elector, latest, voter_id=entry.voter_id, choices=choices,
              voter_name=await voter_name(latest, entry.voter_id, conn))
    await _check_sheet_and_proxy(vote, entry, conn)
    ballot = await _create(vote, entry, choices, new_receipt(), latest, at, conn)
    await vote_chain.append(vote.id, 'ballot.cast', chain_data(ballot, entry.elector.key), at=at, conn=conn,
                            ballot_id=ballot.id)
    await _audit_entered(vote, entry, ballot, conn)
    return CastResult(ballot.receipt, ballot.seq, False, entry.elector.label, at)


async def _check_sheet_and_proxy(vote: Vote, entry: Entry, conn: BaseDBAsyncClient) -> None:
    """Errors: sheet_taken, too_many_principals."""
    if entry.sheet_no is not None and await Ballot.filter(vote_id=vote.id, sheet_no=entry.sheet_no).using_db(conn) \
            .exists():
        raise DomainError('sheet_taken', '选票编号 {sheet} 已经录入过了，请核对', sheet=entry.sheet_no)
    if entry.proxy is not None:
        held = await Ballot.filter(vote_id=vote.id, proxy_id=entry.proxy.id).using_db(conn).count()
        if held >= vote.max_principals:
            raise DomainError('too_many_principals', '{name}已经代{held}人投票，每人最多受托{limit}人',
                              name=entry.proxy.name, held=held, limit=vote.max_principals)


async def _create(vote: Vote, entry: Entry, choices: tuple[int, ...], receipt: str, latest: Ballot | None,
                  at: datetime, conn: BaseDBAsyncClient) -> Ballot:
    return await Ballot.create(
        vote_id=vote.id, elector_id=entry.elector.id, seq=latest.seq + 1 if latest is not None else 1,
        choices=list(choices), channel=entry.channel, voter_id=entry.voter_id,
        proxy_id=entry.proxy.id if entry.proxy else None, entered_by_id=entry.entered_by, sheet_no=entry.sheet_no,
        nonce=entry.nonce, receipt=receipt, cast_at=at, using_db=conn)


async def _audit_entered(vote: Vote, entry: Entry, ballot: Ballot, conn: BaseDBAsyncClient) -> None:
    if entry.voter_id is None:  # typed in by staff: who entered which sheet is in the audit log (never the choice)
        await audit.record('vote.ballot.entered', actor_id=entry.entered_by, community_id=vote.community_id,
                           target=ballot, data={'vote_id': vote.id, 'elector': entry.elector.key,
                                                'channel': entry.channel, 'sheet_no': entry.sheet_no,
                                                'proxy_id': ballot.proxy_id}, at=ballot.cast_at, using_db=conn)


def chain_data(ballot: Ballot, elector_key: str) -> dict:
    """What the 'ballot.cast' chain entry records of a ballot (vote_chain.verify compares it with the row)."""
    return {'ballot': ballot.id, 'elector': elector_key, 'seq': ballot.seq, 'choices': list(ballot.choices),
            'channel': ballot.channel, 'receipt': ballot.receipt, 'entered_by': ballot.entered_by_id,
            'sheet_no': ballot.sheet_no, 'proxy': ballot.proxy_id, 'nonce': ballot.nonce}
