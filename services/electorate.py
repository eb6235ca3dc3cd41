"""The roll of a vote: who may vote and with what weight, frozen as Elector rows when the vote opens.

person: verified adult residents of the electorate (r<resident id>). household: households with at least one
verified adult member, one vote each (h<household id>). owner (最高法 建筑物区分所有权解释 第8、9条): one owner per
registered owner however many units they own, with the summed area of their units in the electorate (o<resident
id>); a sold unit with no registered owner counts as its own owner (u<household id>); all unsold or undelivered
units count as one owner together ('unsold'). body: the residents tagged 居民代表, one vote each.
"""
from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from weakref import WeakKeyDictionary

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from domain.meetings import LOCAL
from domain.permissions import Principal
from domain.votes import is_adult
from models import Elector, Household, Ownership, Resident, ResidentTag, Vote, VotePlace
from services import audit

UNSOLD_KEY = 'unsold'
UNSOLD_LABEL = '开发商（未售/未交付房屋）'
BODY_TAG = '居民代表'
MAX_LABEL = 80


@dataclass(frozen=True)
class RollPreview:
    heads: int
    area: Fraction  # m², exact; 0 unless counting by owner


@dataclass(frozen=True)
class RollLine:
    """One elector as the roll will freeze it."""
    key: str
    label: str
    resident_id: int | None
    household_id: int | None
    area: Decimal


async def roll(community_id: int, *, electorate: str, counting: str, compound_ids: Iterable[int] = (),
               building_ids: Iterable[int] = (), at: datetime | None = None,
               conn: BaseDBAsyncClient | None = None) -> list[RollLine]:
    """The electors as they would be frozen now, in key order (r/h/o/u by number, 'unsold' last)."""
    year = (at or audit.now()).astimezone(LOCAL).year
    compound_ids, building_ids = tuple(compound_ids), tuple(building_ids)
    if electorate == 'body':
        lines = await _body(community_id, year, conn)
    else:
        units = await _units(community_id, electorate, compound_ids, building_ids, conn)
        if counting == 'owner':
            lines = await _owners(units, conn)
        else:
            members = await _voters(community_id, electorate, [u.id for u in units], year, conn)
            lines = _people(members) if counting == 'person' else _households(units, members)
    return sorted(lines, key=_order)


async def preview_roll(community_id: int, *, electorate: str, counting: str, compound_ids: Iterable[int] = (),
                       building_ids: Iterable[int] = (), at: datetime | None = None) -> RollPreview:
    """How many electors (and how much area) the roll would have if the vote opened now (for the form)."""
    lines = await roll(community_id, electorate=electorate, counting=counting, compound_ids=compound_ids,
                       building_ids=building_ids, at=at)
    return RollPreview(len(lines), sum((Fraction(line.area) for line in lines), Fraction(0)))


async def freeze_roll(vote: Vote, *, conn: BaseDBAsyncClient, at: datetime | None = None) -> tuple[int, Fraction]:
    """Write the vote's Elector rows (inside the caller's transaction); returns (heads, total area)."""
    places = await VotePlace.filter(vote_id=vote.id).using_db(conn).values_list('compound_id', 'building_id')
    lines = await roll(vote.community_id, electorate=vote.electorate, counting=vote.counting,
                       compound_ids=[c for c, _ in places if c is not None],
                       building_ids=[b for _, b in places if b is not None], at=at, conn=conn)
    await Elector.bulk_create([Elector(vote_id=vote.id, key=line.key, label=line.label[:MAX_LABEL],
                                       resident_id=line.resident_id, household_id=line.household_id,
                                       area_m2=line.area) for line in lines], using_db=conn)
    return len(lines), sum((Fraction(line.area) for line in lines), Fraction(0))


async def electors_for(user: Principal, vote: Vote) -> list[Elector]:
    """The electors on the frozen roll this person may vote for (empty before the vote opens).

    person/body: their own; household: their household, if they are a verified adult member; owner: themselves as
    a registered owner, and the unit they live in as a member with relation 'owner' when it has no registered owner.
    """
    if user.resident_id is None or vote.opened_at is None:
        return []
    roll = await frozen_roll(vote)
    if vote.electorate == 'body' or vote.counting == 'person':  # the roll holds only this community's people
        own = roll.get(f'r{user.resident_id}')
        return [own] if own is not None else []
    resident = await Resident.get_or_none(id=user.resident_id, community_id=vote.community_id)
    if resident is None:
        return []
    keys = [f'r{resident.id}']
    if vote.counting == 'household':
        year = audit.now().astimezone(LOCAL).year
        keys = [f'h{resident.household_id}'] if resident.household_id is not None and resident.status == 'verified' \
            and is_adult(resident.birth_year, year=year) else []
    elif vote.counting == 'owner':
        keys = [f'o{resident.id}']
        if resident.household_id is not None and resident.status == 'verified' and resident.relation == 'owner':
            keys.append(f'u{resident.household_id}')
    return [roll[k] for k in keys if k in roll]


# the frozen roll by key, per event loop and opened vote: read once, shared by every ballot of a burst
_rolls: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[int, datetime], asyncio.Task]] = WeakKeyDictionary()
ROLLS_KEPT = 20  # the most recently read rolls; older ones are read again when asked for


async def frozen_roll(vote: Vote) -> dict[str, Elector]:
    """The vote's Elector rows by key. They never change once the vote has opened, so this process reads them once
    (the first of a thousand phones voting at once reads; the others wait for that read). Read-only objects."""
    cache = _rolls.setdefault(asyncio.get_running_loop(), {})
    key = (vote.id, vote.opened_at)
    task = cache.get(key)
    if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
        async def read() -> dict[str, Elector]:
            return {e.key: e for e in await Elector.filter(vote_id=vote.id)}
        task = cache[key] = asyncio.get_running_loop().create_task(read(), name=f'roll of vote {vote.id}')
        while len(cache) > ROLLS_KEPT:
            cache.pop(next(iter(cache)))
    return await asyncio.shield(task)


# ---- helpers ----

def _order(line: RollLine) -> tuple[int, str, int]:
    if line.key == UNSOLD_KEY:
        return (1, '', 0)
    return (0, line.key[0], int(line.key[1:]))


def _unit_label(unit: Household) -> str:
    return f'{unit.building.name}{unit.room}'


async def _units(community_id: int, electorate: str, compound_ids: Sequence[int], building_ids: Sequence[int],
                 conn: BaseDBAsyncClient | None) -> list[Household]:
    query = Household.filter(building__compound__community_id=community_id)
    if electorate == 'places':
        if not compound_ids and not building_ids:
            return []
        query = query.filter(Q(building__compound_id__in=compound_ids or [0]) | Q(building_id__in=building_ids or [0]))
    return await query.using_db(conn).prefetch_related('building').order_by('id')


async def _voters(community_id: int, electorate: str, unit_ids: list[int], year: int,
                  conn: BaseDBAsyncClient | None) -> list[Resident]:
    """Verified adult residents living in these units (and, for the whole community, those with no unit)."""
    query = Resident.filter(community_id=community_id, status='verified')
    if electorate != 'community':
        query = query.filter(household_id__in=unit_ids or [0])
    rows = await query.using_db(conn).order_by('id')
    units = set(unit_ids)
    return [r for r in rows if is_adult(r.birth_year, year=year)
            and (r.household_id in units or (electorate == 'community' and r.household_id is None))]


def _people(members: Sequence[Resident]) -> list[RollLine]:
    return [RollLine(f'r{r.id}', r.name, r.id, r.household_id, Decimal(0)) for r in members]


def _households(units: Sequence[Household], members: Sequence[Resident]) -> list[RollLine]:
    lived = {r.household_id for r in members}
    return [RollLine(f'h{u.id}', _unit_label(u), None, u.id, Decimal(0)) for u in units if u.id in lived]


async def _owners(units: Sequence[Household], conn: BaseDBAsyncClient | None) -> list[RollLine]:
    owner_of = dict(await Ownership.filter(household_id__in=[u.id for u in units]).using_db(conn)
                    .values_list('household_id', 'resident_id'))
    names = dict(await Resident.filter(id__in=set(owner_of.values())).using_db(conn).values_list('id', 'name'))
    owned: dict[int, list[Household]] = {}
    lines: list[RollLine] = []
    unsold = Decimal(0)
    for unit in units:
        if unit.sale_status == 'unsold':  # the developer's, even where an ownership row was typed in early
            unsold += unit.area_m2
        elif unit.id in owner_of:
            owned.setdefault(owner_of[unit.id], []).append(unit)
        else:
            lines.append(RollLine(f'u{unit.id}', _unit_label(unit), None, unit.id, unit.area_m2))
    for resident_id, mine in owned.items():
        lines.append(RollLine(f'o{resident_id}', names.get(resident_id, ''), resident_id,
                              mine[0].id if len(mine) == 1 else None, sum((u.area_m2 for u in mine), Decimal(0))))
    if any(u.sale_status == 'unsold' for u in units):
        lines.append(RollLine(UNSOLD_KEY, UNSOLD_LABEL, None, None, unsold))
    return lines


async def _body(community_id: int, year: int, conn: BaseDBAsyncClient | None) -> list[RollLine]:
    tagged = await ResidentTag.filter(tag=BODY_TAG, resident__community_id=community_id).using_db(conn) \
        .values_list('resident_id', flat=True)
    rows = await Resident.filter(id__in=set(tagged), status='verified').using_db(conn).order_by('id')
    return _people([r for r in rows if is_adult(r.birth_year, year=year)])
