"""The deliberation councils: the community's 4+N and each compound's 5+N (4+N in a village), and their seats."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.people import MAX_NAME, clean_text
from domain.permissions import Principal
from domain.rooms import natural_key
from domain.seats import TEMPLATES, SeatKind, council_level, missing_seats, seat_kinds
from models import Community, Compound, Council, Resident, Seat
from services import accounts, audit, events

MAX_ORGANISATION = 60


@dataclass(frozen=True)
class SeatView:
    id: int
    kind: str
    holder_name: str
    organisation: str | None
    resident_id: int | None


@dataclass(frozen=True)
class CouncilView:
    id: int
    community_id: int
    name: str
    level: str
    compound_id: int | None
    kinds: tuple[SeatKind, ...]  # the fixed seats then the +N stakeholders
    seats: tuple[SeatView, ...]
    missing: tuple[SeatKind, ...]  # fixed seats nobody holds yet

    def holders(self, kind: str) -> tuple[SeatView, ...]:
        return tuple(seat for seat in self.seats if seat.kind == kind)


@dataclass(frozen=True)
class CouncilsOverview:
    community_id: int
    councils: tuple[CouncilView, ...]  # the community's first, then the compounds' in natural order
    compounds_without: tuple[tuple[int, str], ...]  # (id, name) of compounds that have no council yet
    has_community_council: bool


async def create_council(actor: Principal, community_id: int, *, compound_id: int | None = None,
                         at: datetime | None = None) -> Council:
    """The community's council (no compound) or a compound's. Errors: forbidden, not_found, council_exists."""
    accounts.require(actor, 'council.edit', community_id)
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    compound = None
    if compound_id is not None:
        compound = await Compound.get_or_none(id=compound_id, community_id=community_id)
        if compound is None:
            raise DomainError('not_found', '找不到这个小区')
    if await Council.exists(community_id=community_id, compound_id=compound_id):
        place = compound.name if compound else community.name
        raise DomainError('council_exists', '{place}已经有议事会了', place=place)
    level = council_level(compound=compound is not None, village=community.kind == 'village')
    name = f'{community.name}议事协商委员会' if compound is None else f'{compound.name}议事会'
    async with in_transaction() as conn:
        council = await Council.create(community_id=community_id, compound_id=compound_id, level=level, name=name,
                                       using_db=conn)
        await audit.record('council.created', actor_id=actor.account_id, community_id=community_id, target=council,
                           data={'level': level, 'name': name}, at=at, using_db=conn)
    await events.publish('council.changed', community_id=community_id, council_id=council.id)
    return council


async def fill_seat(actor: Principal, council_id: int, kind: str, *, resident_id: int | None = None,
                    holder_name: str = '', organisation: str = '', at: datetime | None = None) -> Seat:
    """Seat a resident, or an outside holder by name and organisation (物业服务企业, 社会组织 …).

    Errors: not_found, forbidden, invalid_seat, invalid_name, invalid_organisation, invalid_resident, seat_taken.
    """
    council = await _council(council_id)
    accounts.require(actor, 'council.edit', council)
    if kind not in {k.key for k in seat_kinds(council.level)}:
        raise DomainError('invalid_seat', '这个议事会没有这种席位')
    try:
        organisation_text = clean_text(organisation, max_len=MAX_ORGANISATION) or None
    except ValueError as e:
        raise DomainError('invalid_organisation', '单位名称{reason}', reason=str(e)) from e
    if resident_id is not None:
        resident = await Resident.get_or_none(id=resident_id, community_id=council.community_id)
        if resident is None or resident.status == 'left':
            raise DomainError('invalid_resident', '请选择本社区在册的居民')
        name = resident.name
        taken = await Seat.exists(council_id=council.id, kind=kind, resident_id=resident.id)
    else:
        try:
            name = clean_text(holder_name, max_len=MAX_NAME)
        except ValueError as e:
            raise DomainError('invalid_name', '姓名{reason}', reason=str(e)) from e
        if not name:
            raise DomainError('invalid_name', '请选择一位居民，或填写席位人的姓名')
        taken = await Seat.exists(council_id=council.id, kind=kind, resident_id=None, holder_name=name)
    if taken:
        raise DomainError('seat_taken', '{name} 已在这个席位上', name=name)
    async with in_transaction() as conn:
        seat = await Seat.create(council_id=council.id, kind=kind, resident_id=resident_id, holder_name=name,
                                 organisation=organisation_text, using_db=conn)
        await audit.record('council.seat_filled', actor_id=actor.account_id, community_id=council.community_id,
                           target=seat, data={'council_id': council.id, 'kind': kind, 'holder': name,
                                              'resident_id': resident_id, 'organisation': organisation_text},
                           at=at, using_db=conn)
    await events.publish('council.changed', community_id=council.community_id, council_id=council.id)
    return seat


async def empty_seat(actor: Principal, seat_id: int, *, at: datetime | None = None) -> None:
    """Errors: not_found, forbidden."""
    seat = await Seat.get_or_none(id=seat_id).prefetch_related('council')
    if seat is None:
        raise DomainError('not_found', '找不到这个席位')
    council = seat.council
    accounts.require(actor, 'council.edit', council)
    async with in_transaction() as conn:
        await audit.record('council.seat_emptied', actor_id=actor.account_id, community_id=council.community_id,
                           target=seat, data={'council_id': council.id, 'kind': seat.kind,
                                              'holder': seat.holder_name, 'resident_id': seat.resident_id},
                           at=at, using_db=conn)
        await seat.delete(using_db=conn)
    await events.publish('council.changed', community_id=council.community_id, council_id=council.id)


async def overview(actor: Principal, community_id: int) -> CouncilsOverview:
    """Every council of the community with its seats and the fixed seats still missing. Errors: forbidden."""
    accounts.require(actor, 'council.view', community_id)
    councils = await Council.filter(community_id=community_id).prefetch_related('compound')
    seats = await Seat.filter(council__community_id=community_id).order_by('id')
    compounds = await Compound.filter(community_id=community_id).values_list('id', 'name')
    views = []
    for council in sorted(councils, key=lambda c: (c.compound_id is not None,
                                                   natural_key(c.compound.name if c.compound else ''))):
        mine = tuple(SeatView(s.id, s.kind, s.holder_name, s.organisation, s.resident_id)
                     for s in seats if s.council_id == council.id)
        missing = missing_seats(council.level, [s.kind for s in mine])
        views.append(CouncilView(council.id, council.community_id, council.name, council.level, council.compound_id,
                                 seat_kinds(council.level), mine, tuple(missing)))
    with_council = {c.compound_id for c in councils}
    without = tuple(sorted(((cid, name) for cid, name in compounds if cid not in with_council),
                           key=lambda item: natural_key(item[1])))
    return CouncilsOverview(community_id, tuple(views), without, None in with_council)


def template_name(level: str) -> str:
    """'社区议事协商委员会（4+N）' for a level key."""
    return TEMPLATES[level][0]


async def _council(council_id: int) -> Council:
    council = await Council.get_or_none(id=council_id)
    if council is None:
        raise DomainError('not_found', '找不到这个议事会')
    return council
