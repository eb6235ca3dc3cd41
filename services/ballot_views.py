"""The read side of ballots: one's own counted ballot, finding electors, the sheets typed in at the paper desk, and
the named record of an open (实名) vote."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from domain.errors import DomainError
from domain.people import mask_phone
from domain.permissions import Principal
from domain.rooms import parse_place
from models import Ballot, Compound, Elector, Resident, Vote, VoteOption
from services import accounts, audit
from services.ballots import channel_label, get_vote, latest_ballot
from services.electorate import electors_for


@dataclass(frozen=True)
class MyBallot:
    """The counted ballot of this person's elector; `choices` only when it is theirs (cast by them, or their own
    paper sheet) or the vote is open (实名) — a household member sees who voted, not how, in a secret vote."""
    receipt: str
    choices: tuple[int, ...]
    voter_name: str
    mine: bool
    channel: str
    seq: int
    cast_at: datetime
    may_change: bool


@dataclass(frozen=True)
class ElectorRow:
    """One elector as the paper desk finds them."""
    id: int
    key: str
    label: str
    detail: str  # '嘉明花园 3栋 502 · 138****5678'
    voted: bool


async def my_ballot(user: Principal, vote_id: int, *, at: datetime | None = None) -> MyBallot | None:
    """The ballot counted for this person's elector (theirs or a household member's), None if none yet."""
    at = at or audit.now()
    vote = await Vote.get_or_none(id=vote_id) if isinstance(vote_id, int) else None
    if vote is None or not user.is_authenticated:
        return None
    for elector in await electors_for(user, vote):
        latest = await latest_ballot(elector.id)
        if latest is None:
            continue
        cast_by_me = latest.voter_id is not None and latest.voter_id == user.resident_id
        # a sheet staff typed in for this very person is theirs too (not a household member's)
        mine = cast_by_me or (latest.voter_id is None and elector.resident_id == user.resident_id)
        name = ''
        if latest.voter_id is not None:
            name = await Resident.filter(id=latest.voter_id).first().values_list('name', flat=True) or ''
        shown = mine or not vote.secret
        open_now = vote.state == 'open' and vote.opens_at <= at < vote.closes_at
        return MyBallot(latest.receipt if shown else '', tuple(latest.choices) if shown else (), name, mine,
                        latest.channel, latest.seq, latest.cast_at, cast_by_me and vote.allow_change and open_now)
    return None


async def find_electors(actor: Principal, vote_id: int, query: str, *, limit: int = 20) -> list[ElectorRow]:
    """Electors of the roll by name, building ('5栋'), room ('502', '3栋502') or phone (11 digits or the last 4);
    phones masked.

    Errors: not_found, forbidden.
    """
    vote = await get_vote(vote_id)
    accounts.require(actor, 'vote.enter', vote)
    text = (query or '').strip()[:40] if isinstance(query, str) else ''
    if not text:
        return []
    condition = Q(label__icontains=text) | Q(resident__name__icontains=text) | Q(household__room=text) \
        | Q(resident__household__room=text)
    digits = re.sub(r'[\s\-]', '', text)
    if digits.isdigit() and len(digits) == 11:
        condition |= Q(resident__phone=digits)
    elif digits.isdigit() and len(digits) == 4:
        condition |= Q(resident__phone__endswith=digits)
    compounds = list(await Compound.filter(community_id=vote.community_id).values_list('name', flat=True))
    typed = parse_place(text, compounds)
    if typed.building and typed.room:
        condition |= Q(household__building__name=typed.building, household__room=typed.room) \
            | Q(resident__household__building__name=typed.building, resident__household__room=typed.room)
    elif typed.building:  # '5栋': everyone of the building, for a stack of sheets from one building
        condition |= Q(household__building__name=typed.building) \
            | Q(resident__household__building__name=typed.building)
    found = await Elector.filter(condition, vote_id=vote.id).distinct().order_by('label', 'id').limit(limit) \
        .prefetch_related('resident__household__building__compound', 'household__building__compound')
    voted = set(await Ballot.filter(elector_id__in=[e.id for e in found]).values_list('elector_id', flat=True))
    return [ElectorRow(e.id, e.key, e.label, _detail(e), e.id in voted) for e in found]


def _detail(elector: Elector) -> str:
    unit = elector.household or (elector.resident.household if elector.resident else None)
    place = f'{unit.building.compound.name} {unit.building.name} {unit.room}' if unit is not None else ''
    phone = mask_phone(elector.resident.phone) if elector.resident else ''
    return ' · '.join(p for p in (place, phone) if p)


@dataclass(frozen=True)
class SheetRow:
    """One paper or proxy ballot typed in at the desk: which sheet, for whom, who brought it, who typed it, when."""
    sheet_no: str
    elector_label: str
    channel: str  # paper | proxy
    proxy_name: str  # '' unless a proxy brought it
    entered_by: str  # the name of the account that typed it in
    cast_at: datetime


async def entered_sheets(actor: Principal, vote_id: int, *, limit: int = 500) -> list[SheetRow]:
    """The sheets typed in for this vote, newest first (never the choices). Errors: not_found, forbidden."""
    vote = await get_vote(vote_id)
    accounts.require(actor, 'vote.enter', vote)
    rows = await Ballot.filter(vote_id=vote.id, sheet_no__isnull=False).order_by('-cast_at', '-id').limit(limit) \
        .prefetch_related('elector', 'proxy', 'entered_by')
    return [SheetRow(b.sheet_no or '', b.elector.label, b.channel, b.proxy.name if b.proxy else '',
                     b.entered_by.name if b.entered_by else '', b.cast_at) for b in rows]


@dataclass(frozen=True)
class NamedBallot:
    """One counted ballot of an open (实名) vote: for whom, who cast or brought it, what they chose."""
    elector_label: str
    voter_name: str  # who tapped it, or the proxy who brought the sheet; '' for a paper sheet of the elector
    choices: tuple[str, ...]  # option labels
    channel: str  # label: 手机投票, 现场投票, 纸质选票, 委托投票
    cast_at: datetime


async def named_ballots(actor: Principal, vote_id: int) -> list[NamedBallot]:
    """Who chose what in an open (实名) vote, once it is closed, for those who read the record (vote.roll), in roll
    order. Secret votes never.

    Errors: not_found, forbidden, secret_vote, not_closed.
    """
    vote = await get_vote(vote_id)
    accounts.require(actor, 'vote.roll', vote)
    if vote.secret:
        raise DomainError('secret_vote', '无记名表决不公开谁投了什么')
    if vote.state not in ('closed', 'final', 'annulled'):
        raise DomainError('not_closed', '表决结束后才公开实名投票记录')
    labels = dict(await VoteOption.filter(vote_id=vote.id).values_list('id', 'label'))
    rows = await Ballot.filter(vote_id=vote.id).order_by('elector__label', 'elector_id', 'seq') \
        .prefetch_related('elector', 'voter', 'proxy')
    latest = {b.elector_id: b for b in rows}  # later seqs replace earlier ones: the counted ballot
    return [NamedBallot(b.elector.label, (b.proxy or b.voter).name if (b.proxy or b.voter) else '',
                        tuple(labels.get(c, '?') for c in b.choices), channel_label(b.channel), b.cast_at)
            for b in latest.values()]
