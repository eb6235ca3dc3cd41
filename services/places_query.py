"""Read-only views of a community's places for the JSON API: the place tree and a page of households.

These take the community the caller is already authenticated for (an API key's community) and never reach
outside it. No personal data: an integration that reads places needs no names or phone numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tortoise.functions import Count

from domain.errors import DomainError
from models import Building, Community, Compound, Household, Resident

MAX_PAGE = 500
CENT = Decimal('0.01')


@dataclass(frozen=True)
class BuildingView:
    id: int
    name: str
    households: int


@dataclass(frozen=True)
class CompoundView:
    id: int
    name: str
    buildings: list[BuildingView]


@dataclass(frozen=True)
class PlaceTree:
    street_id: int
    street: str
    community_id: int
    community: str
    kind: str
    compounds: list[CompoundView]


@dataclass(frozen=True)
class HouseholdView:
    id: int
    room: str
    area_m2: str  # two decimals as text, so no client turns it into a float on the way
    occupancy: str
    sale_status: str
    building_id: int
    building: str
    compound_id: int
    compound: str
    members: int


@dataclass(frozen=True)
class HouseholdPage:
    total: int
    limit: int
    offset: int
    items: list[HouseholdView]


async def place_tree(community_id: int) -> PlaceTree:
    """Street, community, compounds and their buildings with household counts. Errors: not_found."""
    community = await Community.get_or_none(id=community_id).prefetch_related('street')
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    compounds = await Compound.filter(community_id=community_id).order_by('name', 'id')
    buildings = await Building.filter(compound__community_id=community_id).order_by('name', 'id')
    counts = dict(await Household.filter(building__compound__community_id=community_id)
                  .annotate(n=Count('id')).group_by('building_id').values_list('building_id', 'n'))
    by_compound: dict[int, list[BuildingView]] = {c.id: [] for c in compounds}
    for building in buildings:
        by_compound[building.compound_id].append(BuildingView(building.id, building.name, counts.get(building.id, 0)))
    return PlaceTree(
        street_id=community.street.id, street=community.street.name, community_id=community.id,
        community=community.name, kind=community.kind,
        compounds=[CompoundView(c.id, c.name, by_compound[c.id]) for c in compounds])


async def households(community_id: int, *, compound_id: int | None = None, building_id: int | None = None,
                     limit: int = 50, offset: int = 0) -> HouseholdPage:
    """One page of the community's households, optionally within one compound or building.

    A compound or building of another community is reported exactly like one that does not exist.
    Errors: not_found.
    """
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    query = Household.filter(building__compound__community_id=community_id)
    if compound_id is not None:
        if not await Compound.exists(id=compound_id, community_id=community_id):
            raise DomainError('not_found', '找不到这个小区')
        query = query.filter(building__compound_id=compound_id)
    if building_id is not None:
        if not await Building.exists(id=building_id, compound__community_id=community_id):
            raise DomainError('not_found', '找不到这个楼栋')
        query = query.filter(building_id=building_id)
    total = await query.count()
    rows = await query.order_by('building__compound__name', 'building__name', 'room', 'id') \
        .offset(offset).limit(limit).prefetch_related('building__compound')
    members = dict(await Resident.filter(household_id__in=[h.id for h in rows]).exclude(status='left')
                   .annotate(n=Count('id')).group_by('household_id').values_list('household_id', 'n'))
    items = [HouseholdView(
        id=h.id, room=h.room, area_m2=str(Decimal(h.area_m2).quantize(CENT)), occupancy=h.occupancy,
        sale_status=h.sale_status, building_id=h.building.id, building=h.building.name,
        compound_id=h.building.compound.id, compound=h.building.compound.name, members=members.get(h.id, 0))
        for h in rows]
    return HouseholdPage(total=total, limit=limit, offset=offset, items=items)
