"""The read side of residents for staff screens: search, one resident's details, pending self-registrations.

Phone numbers are unmasked only for those who may see them (`resident.phone`); everyone else gets 138****5678.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from domain.errors import DomainError
from domain.people import STATUSES, TAGS, mask_phone
from domain.permissions import Principal, can
from domain.rooms import parse_place
from models import Account, Compound, Household, Ownership, Resident, ResidentTag, Seat
from services import accounts
from services.place_views import place_label

PER_PAGE = 20
MAX_QUERY = 40


@dataclass(frozen=True)
class ResidentRow:
    id: int
    name: str
    phone: str  # masked unless the viewer may see phones
    status: str
    relation: str
    birth_year: int | None
    place: str  # '嘉明花园 1栋 101', or '' when not placed yet
    tags: tuple[str, ...]
    registered_room: str | None


@dataclass(frozen=True)
class ResidentPage:
    rows: tuple[ResidentRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class ResidentDetail:
    id: int
    community_id: int
    name: str
    phone: str
    birth_year: int | None
    relation: str
    status: str
    verified_at: datetime | None
    registered_room: str | None
    household_id: int | None
    place: str
    tags: tuple[str, ...]
    owned_units: tuple[tuple[int, str], ...]
    seats: tuple[str, ...]  # council names where this person holds a seat
    has_account: bool
    has_pin: bool
    created_at: datetime


@dataclass(frozen=True)
class PendingRow:
    id: int
    name: str
    phone: str
    registered_room: str | None
    created_at: datetime
    suggested_household_id: int | None  # what the typed room most likely means


async def search(actor: Principal, community_id: int, *, query: str = '', status: str | None = None,
                 tag: str | None = None, compound_id: int | None = None, page: int = 1,
                 per_page: int = PER_PAGE) -> ResidentPage:
    """Residents by name, phone or room ('3栋402'), filtered; without `status`, those who moved away are left out.

    Errors: forbidden.
    """
    accounts.require(actor, 'resident.view', community_id)
    rows = Resident.filter(community_id=community_id)
    rows = rows.filter(status=status) if status in STATUSES else rows.exclude(status='left')
    if tag in TAGS:
        rows = rows.filter(tags__tag=tag)
    if compound_id is not None:
        rows = rows.filter(household__building__compound_id=compound_id)
    text = (query or '').strip()[:MAX_QUERY]
    if text:
        rows = rows.filter(await _matching(community_id, text))
    total = await rows.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    found = await rows.order_by('name', 'id').offset((page - 1) * per_page).limit(per_page) \
        .prefetch_related('household__building__compound')
    return ResidentPage(tuple(await _rows(actor, community_id, found)), total, page, pages)


async def detail(actor: Principal, resident_id: int) -> ResidentDetail:
    """Everything the admin screen shows about one resident. Errors: not_found, forbidden."""
    resident = await Resident.get_or_none(id=resident_id).prefetch_related('household__building__compound')
    if resident is None:
        raise DomainError('not_found', '找不到这位居民')
    accounts.require(actor, 'resident.view', resident)
    tags = set(await ResidentTag.filter(resident_id=resident.id).values_list('tag', flat=True))
    owned = await Ownership.filter(resident_id=resident.id) \
        .values('household_id', 'household__room', 'household__building__name', 'household__building__compound__name')
    seats = await Seat.filter(resident_id=resident.id).values_list('council__name', flat=True)
    account = await Account.get_or_none(resident_id=resident.id)
    return ResidentDetail(
        id=resident.id, community_id=resident.community_id, name=resident.name,
        phone=_phone(actor, resident.community_id, resident.phone), birth_year=resident.birth_year,
        relation=resident.relation, status=resident.status, verified_at=resident.verified_at,
        registered_room=resident.registered_room, household_id=resident.household_id, place=_place(resident),
        tags=tuple(t for t in TAGS if t in tags),
        owned_units=tuple((o['household_id'], place_label(o['household__building__compound__name'],
                                                          o['household__building__name'], o['household__room']))
                          for o in owned),
        seats=tuple(dict.fromkeys(seats)), has_account=account is not None,
        has_pin=bool(account and account.pin_hash), created_at=resident.created_at)


async def pending(actor: Principal, community_id: int) -> list[PendingRow]:
    """Self-registrations waiting for 实名核验, oldest first, with the household the typed room most likely is.

    Errors: forbidden.
    """
    accounts.require(actor, 'resident.view', community_id)
    people = await Resident.filter(community_id=community_id, status='pending').order_by('created_at', 'id')
    compounds = await Compound.filter(community_id=community_id).values_list('name', flat=True)
    rows = []
    for person in people:
        suggestion = person.household_id or await _suggest(community_id, person.registered_room, list(compounds))
        rows.append(PendingRow(person.id, person.name, _phone(actor, community_id, person.phone),
                               person.registered_room, person.created_at, suggestion))
    return rows


async def pending_count(actor: Principal, community_id: int) -> int:
    """How many wait for verification (for the admin menu's badge). Errors: forbidden."""
    accounts.require(actor, 'resident.view', community_id)
    return await Resident.filter(community_id=community_id, status='pending').count()


async def _matching(community_id: int, text: str) -> Q:
    condition = Q(name__icontains=text) | Q(registered_room__icontains=text) | Q(household__room=text)
    digits = re.sub(r'\D', '', text)
    if len(digits) >= 3 and len(digits) == len(re.sub(r'[\s\-]', '', text)):
        condition |= Q(phone__contains=digits)
    compounds = list(await Compound.filter(community_id=community_id).values_list('name', flat=True))
    typed = parse_place(text, compounds)
    if typed.building and typed.room:
        place = Q(household__building__name=typed.building, household__room=typed.room)
        if typed.compound:
            place &= Q(household__building__compound__name=typed.compound)
        condition |= place
    return condition


async def _suggest(community_id: int, typed_room: str | None, compounds: list[str]) -> int | None:
    typed = parse_place(typed_room, compounds)
    if not typed.room:
        return None
    query = Household.filter(building__compound__community_id=community_id, room=typed.room)
    if typed.building:
        query = query.filter(building__name=typed.building)
    if typed.compound:
        query = query.filter(building__compound__name=typed.compound)
    found = await query.limit(2).values_list('id', flat=True)
    return found[0] if len(found) == 1 else None


async def _rows(actor: Principal, community_id: int, found: list[Resident]) -> list[ResidentRow]:
    tags: dict[int, set[str]] = defaultdict(set)
    for row in await ResidentTag.filter(resident_id__in=[r.id for r in found]).values('resident_id', 'tag'):
        tags[row['resident_id']].add(row['tag'])
    return [ResidentRow(r.id, r.name, _phone(actor, community_id, r.phone), r.status, r.relation, r.birth_year,
                        _place(r), tuple(t for t in TAGS if t in tags[r.id]), r.registered_room) for r in found]


def _phone(actor: Principal, community_id: int, phone: str | None) -> str:
    return (phone or '') if can(actor, 'resident.phone', community_id) else mask_phone(phone)


def _place(resident: Resident) -> str:
    household = resident.household
    if household is None:
        return ''
    return place_label(household.building.compound.name, household.building.name, household.room)
