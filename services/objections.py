"""异议 during the 公示 period: a resident files one, the community office answers it. An upheld objection annuls
the vote (the result does not stand) and sends the issue back to 协商中; a dismissed one is recorded with its answer.
Both go on the vote's hash chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from domain.votes import VoteState, check_move
from models import Objection, Resident, Vote
from services import accounts, audit, events, vote_chain
from services.ballots import check_nonce, local
from services.votes import move_issue, publish_changed

MAX_TEXT = 1000


@dataclass(frozen=True)
class ObjectionView:
    id: int
    text: str
    author_label: str  # the name to those who answer, else 某居民
    created_at: datetime
    answer: str | None
    upheld: bool | None
    answered_at: datetime | None
    mine: bool


async def file_objection(user: Principal, vote_id: int, text: str, *, nonce: str,
                         at: datetime | None = None) -> Objection:
    """A resident objects to the result during its 公示; the same nonce again returns the first objection.

    Errors: not_found, forbidden, invalid_nonce, invalid_text, not_in_publicity.
    """
    at = at or audit.now()
    vote = await _vote(vote_id)
    if not can(user, 'vote.object', vote) or user.resident_id is None:
        raise DomainError('forbidden', '只有本社区的居民可以提出异议')
    check_nonce(nonce)
    if (first := await Objection.get_or_none(account_id=user.account_id, nonce=nonce)) is not None:
        return first
    words = _text(text)
    if not words:
        raise DomainError('invalid_text', '请写下异议的内容（不超过1000字）')
    _check_publicity(vote, at)
    try:
        async with in_transaction() as conn:
            locked = await vote_chain.lock_vote(vote.id, conn)
            _check_publicity(locked, at)
            objection = await Objection.create(vote_id=vote.id, resident_id=user.resident_id,
                                               account_id=user.account_id, text=words, nonce=nonce, created_at=at,
                                               using_db=conn)
            await vote_chain.append(vote.id, 'objection.filed', {'objection': objection.id, 'text': words},
                                    at=at, conn=conn)
            await audit.record('vote.objection.filed', actor_id=user.account_id, community_id=vote.community_id,
                               target=objection, data={'vote_id': vote.id}, at=at, using_db=conn)
    except IntegrityError:  # the same nonce twice at once: the first one stands
        return await Objection.get(account_id=user.account_id, nonce=nonce)
    await events.publish('vote.objection', community_id=vote.community_id, vote_id=vote.id,
                         objection_id=objection.id)
    return objection


async def answer_objection(actor: Principal, objection_id: int, *, answer: str, upheld: bool,
                           at: datetime | None = None) -> Objection:
    """The community office answers an objection; upheld, the vote is annulled and its issue goes back to 协商中.

    Errors: not_found, forbidden, invalid_answer, already_answered, not_answerable (the vote is no longer in 公示).
    """
    at = at or audit.now()
    objection = await Objection.get_or_none(id=objection_id) if isinstance(objection_id, int) else None
    if objection is None:
        raise DomainError('not_found', '找不到这条异议')
    vote = await Vote.get(id=objection.vote_id)
    accounts.require(actor, 'vote.answer', vote)
    words = _text(answer)
    if not words:
        raise DomainError('invalid_answer', '请写下答复（不超过1000字）')
    if objection.answered_at is not None:
        raise DomainError('already_answered', '这条异议已经答复过了')
    issue = None
    async with in_transaction() as conn:
        locked = await vote_chain.lock_vote(vote.id, conn)
        if locked.state != VoteState.CLOSED:
            raise DomainError('not_answerable', '表决已不在公示期，不能再答复异议')
        if not await Objection.filter(id=objection.id, answered_at=None).using_db(conn) \
                .update(answer=words, upheld=bool(upheld), answered_by_id=actor.account_id, answered_at=at):
            raise DomainError('already_answered', '这条异议已经答复过了')
        await vote_chain.append(vote.id, 'objection.answered', {'objection': objection.id, 'upheld': bool(upheld),
                                                                'answer': words, 'by': actor.account_id},
                                at=at, conn=conn)
        await audit.record('vote.objection.answered', actor_id=actor.account_id, community_id=vote.community_id,
                           target=objection, data={'vote_id': vote.id, 'upheld': bool(upheld)}, at=at,
                           using_db=conn)
        if upheld:
            check_move(locked.state, VoteState.ANNULLED)
            await Vote.filter(id=vote.id).using_db(conn).update(state=VoteState.ANNULLED, state_reason=words,
                                                                updated_at=at)
            await vote_chain.append(vote.id, 'vote.annulled', {'objection': objection.id, 'reason': words,
                                                               'by': actor.account_id}, at=at, conn=conn)
            await audit.record('vote.annulled', actor_id=actor.account_id, community_id=vote.community_id,
                               target=vote, data={'objection_id': objection.id, 'reason': words}, at=at,
                               using_db=conn)
            issue = await move_issue(locked, actor, 'published', 'deliberating', words, at, conn)
    await objection.refresh_from_db()
    if upheld:
        await publish_changed(vote, VoteState.ANNULLED, issue)
    else:
        await events.publish('vote.objection', community_id=vote.community_id, vote_id=vote.id,
                             objection_id=objection.id)
    return objection


async def objections(user: Principal, vote_id: int) -> list[ObjectionView]:
    """The vote's objections, oldest first, for anyone of its community; names only to those who answer them."""
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) else None
    if vote is None or not user.roles_in(vote.community_id):
        return []
    rows = await Objection.filter(vote_id=vote.id).order_by('created_at', 'id')
    named = can(user, 'vote.answer', vote) or can(user, 'vote.roll', vote)
    authors = {r.resident_id for r in rows if r.resident_id} if named else set()
    names = dict(await Resident.filter(id__in=authors).values_list('id', 'name')) if authors else {}
    anonymous = t('某居民')
    return [ObjectionView(r.id, r.text, names.get(r.resident_id, anonymous) if named else anonymous, r.created_at,
                          r.answer, r.upheld, r.answered_at, r.account_id == user.account_id) for r in rows]


# ---- helpers ----

async def _vote(vote_id: object) -> Vote:
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) else None
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    return vote


def _check_publicity(vote: Vote, at: datetime) -> None:
    """Errors: not_in_publicity."""
    if vote.state != VoteState.CLOSED or vote.publicity_ends_at is None:
        raise DomainError('not_in_publicity', '只有在表决结果公示期间才能提出异议')
    if at >= vote.publicity_ends_at:
        raise DomainError('not_in_publicity', '公示已于 {at} 结束，不能再提出异议', at=local(vote.publicity_ends_at))


def _text(value: object) -> str:
    """The text trimmed, '' when empty or too long."""
    text = value.strip() if isinstance(value, str) else ''
    return text if len(text) <= MAX_TEXT else ''
