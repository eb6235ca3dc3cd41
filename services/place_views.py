"""The read side of places for the admin screens: the tree with counts, a building's households, one household.

Phone numbers are unmasked only for those who may see them (`resident.phone`); everyone else gets 138****5678.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from domain.errors import DomainError
from domain.people import mask_phone
from domain.permissions import Principal, can
from domain.rooms import natural_key
from models import Building, Community, Compound, Household, Ownership, Resident, ResidentTag
from services import accounts

ZERO = Decimal('0.00')


@dataclass(frozen=True)
class Counts:
    """Households, residents (not moved away), verified residents and total floor area."""
    households: int = 0
    residents: int = 0
    verified: int = 0
    area_m2: Decimal = ZERO

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.households + other.households, self.residents + other.residents,
                      self.verified + other.verified, self.area_m2 + other.area_m2)


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    counts: Counts
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class CommunityTree:
    id: int
    name: str
    kind: str
    street: str
    counts: Counts
    compounds: tuple[Node, ...]
    without_household: int  # residents not placed in a household and owning none, e.g. self-registrations


@dataclass(frozen=True)
class HouseholdFacts:
    """What the household form edits; both views of a household carry it."""
    id: int
    room: str
    area_m2: Decimal
    occupancy: str
    sale_status: str
    certificate_no: str | None


@dataclass(frozen=True)
class HouseholdRow(HouseholdFacts):
    owner_id: int | None
    owner_name: str | None
    members: tuple[str, ...]  # names of residents living here (not moved away)


@dataclass(frozen=True)
class BuildingView:
    id: int
    name: str
    compound_id: int
    compound_name: str
    community_id: int
    counts: Counts
    households: tuple[HouseholdRow, ...]


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    phone: str  # masked unless the viewer may see phones
    relation: str
    status: str
    birth_year: int | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class HouseholdView(HouseholdFacts):
    building_id: int
    building_name: str
    compound_id: int
    compound_name: str
    community_id: int
    owner: Member | None
    owner_units: tuple[tuple[int, str], ...]  # every unit the owner holds (id, place label), this one included
    members: tuple[Member, ...] = field(default_factory=tuple)


def place_label(compound: str | None, building: str | None, room: str | None) -> str:
    return ' '.join(part for part in (compound, building, room) if part)


def _area(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal('0.01')) if value is not None else ZERO


async def tree(actor: Principal, community_id: int) -> CommunityTree:
    """Compounds → buildings with counts. Errors: forbidden, not_found."""
    accounts.require(actor, 'place.view', community_id)
    community = await Community.get_or_none(id=community_id).prefetch_related('street')
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    compounds = await Compound.filter(community_id=community_id).values('id', 'name')
    buildings = await Building.filter(compound__community_id=community_id).values('id', 'name', 'compound_id')
    households = await Household.filter(building__compound__community_id=community_id) \
        .values('id', 'building_id', 'area_m2')
    people = await Resident.filter(community_id=community_id).exclude(status='left') \
        .values('id', 'household_id', 'status')
    owners = set(await Ownership.filter(resident__community_id=community_id).values_list('resident_id', flat=True))
    per_household: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    unplaced = 0
    for person in people:
        if person['household_id'] is None:
            unplaced += person['id'] not in owners  # an owner living elsewhere is not waiting for a household
            continue
        per_household[person['household_id']][0] += 1
        per_household[person['household_id']][1] += person['status'] == 'verified'
    per_building: dict[int, Counts] = defaultdict(Counts)
    for h in households:
        residents, verified = per_household.get(h['id'], (0, 0))
        per_building[h['building_id']] += Counts(1, residents, verified, _area(h['area_m2']))
    building_nodes: dict[int, list[Node]] = defaultdict(list)
    for b in buildings:
        building_nodes[b['compound_id']].append(Node(b['id'], b['name'], per_building[b['id']]))
    nodes = []
    for c in compounds:
        children = tuple(sorted(building_nodes[c['id']], key=lambda n: natural_key(n.name)))
        nodes.append(Node(c['id'], c['name'], sum((n.counts for n in children), Counts()), children))
    nodes.sort(key=lambda n: natural_key(n.name))
    return CommunityTree(
        id=community.id, name=community.name, kind=community.kind, street=community.street.name,
        counts=sum((n.counts for n in nodes), Counts()), compounds=tuple(nodes),
        without_household=unplaced)


async def compound_node(actor: Principal, compound_id: int) -> tuple[Node, int]:
    """One compound with its buildings and counts, and its community id. Errors: not_found, forbidden."""
    compound = await Compound.get_or_none(id=compound_id)
    if compound is None:
        raise DomainError('not_found', '找不到这个小区')
    whole = await tree(actor, compound.community_id)
    return next(node for node in whole.compounds if node.id == compound_id), compound.community_id


async def building_view(actor: Principal, building_id: int) -> BuildingView:
    """A building's households with owner and members. Errors: not_found, forbidden."""
    building = await Building.get_or_none(id=building_id).prefetch_related('compound')
    if building is None:
        raise DomainError('not_found', '找不到这栋楼')
    community_id = building.compound.community_id
    accounts.require(actor, 'place.view', community_id)
    households = await Household.filter(building_id=building.id)
    ids = [h.id for h in households]
    owners = {o['household_id']: (o['resident_id'], o['resident__name'])
              for o in await Ownership.filter(household_id__in=ids)
              .values('household_id', 'resident_id', 'resident__name')}
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person in await Resident.filter(household_id__in=ids).exclude(status='left') \
            .order_by('id').values('household_id', 'name', 'status'):
        members[person['household_id']].append((person['name'], person['status']))
    rows, total = [], Counts()
    for h in sorted(households, key=lambda h: natural_key(h.room)):
        owner_id, owner_name = owners.get(h.id, (None, None))
        people = members.get(h.id, [])
        rows.append(HouseholdRow(h.id, h.room, _area(h.area_m2), h.occupancy, h.sale_status, h.certificate_no,
                                 owner_id, owner_name, tuple(name for name, _ in people)))
        total += Counts(1, len(people), sum(status == 'verified' for _, status in people), _area(h.area_m2))
    return BuildingView(building.id, building.name, building.compound_id, building.compound.name, community_id,
                        total, tuple(rows))


async def household_view(actor: Principal, household_id: int) -> HouseholdView:
    """One household: details, owner (and every unit that owner holds), members. Errors: not_found, forbidden."""
    household = await Household.get_or_none(id=household_id).prefetch_related('building__compound')
    if household is None:
        raise DomainError('not_found', '找不到这一户')
    community_id = household.building.compound.community_id
    accounts.require(actor, 'place.view', community_id)
    show_phone = can(actor, 'resident.phone', community_id)
    people = await Resident.filter(household_id=household.id).exclude(status='left').order_by('id')
    ownership = await Ownership.get_or_none(household_id=household.id).prefetch_related('resident')
    tags = await _tags([p.id for p in people] + ([ownership.resident_id] if ownership else []))
    owner, units = None, ()
    if ownership is not None:
        owner = _member(ownership.resident, show_phone, tags)
        owned = await Ownership.filter(resident_id=ownership.resident_id) \
            .values('household_id', 'household__room', 'household__building__name',
                    'household__building__compound__name')
        units = tuple(sorted(((o['household_id'], place_label(o['household__building__compound__name'],
                                                              o['household__building__name'], o['household__room']))
                              for o in owned), key=lambda unit: natural_key(unit[1])))
    return HouseholdView(
        id=household.id, room=household.room, area_m2=_area(household.area_m2), occupancy=household.occupancy,
        sale_status=household.sale_status, certificate_no=household.certificate_no,
        building_id=household.building.id, building_name=household.building.name,
        compound_id=household.building.compound.id, compound_name=household.building.compound.name,
        community_id=community_id, owner=owner, owner_units=units,
        members=tuple(_member(p, show_phone, tags) for p in people))


async def household_choices(actor: Principal, community_id: int) -> dict[int, str]:
    """Every household of the community as {id: '嘉明花园 1栋 101'}, in natural order. Errors: forbidden."""
    if not (can(actor, 'place.view', community_id) or can(actor, 'resident.edit', community_id)):
        accounts.require(actor, 'place.view', community_id)
    rows = await Household.filter(building__compound__community_id=community_id) \
        .values('id', 'room', 'building__name', 'building__compound__name')
    labelled = [(r['id'], place_label(r['building__compound__name'], r['building__name'], r['room'])) for r in rows]
    return dict(sorted(labelled, key=lambda item: natural_key(item[1])))


async def owner_choices(actor: Principal, community_id: int) -> dict[int, str]:
    """Residents who can be registered as owners: {id: '张桂兰 · 嘉明花园 1栋 101 · 尾号5678'}. Errors: forbidden."""
    accounts.require(actor, 'place.view', community_id)
    rows = await Resident.filter(community_id=community_id, relation='owner').exclude(status='left') \
        .values('id', 'name', 'phone', 'household__room', 'household__building__name',
                'household__building__compound__name')
    choices = []
    for r in rows:
        place = place_label(r['household__building__compound__name'], r['household__building__name'],
                            r['household__room'])
        parts = [r['name'], place or '—'] + ([f'尾号{r["phone"][-4:]}'] if r['phone'] else [])
        choices.append((r['id'], ' · '.join(parts)))
    return dict(sorted(choices, key=lambda item: natural_key(item[1])))


async def community_labels(ids: list[int]) -> dict[int, str]:
    """{community id: '西陵街道 船柴社区'} for a picker."""
    rows = await Community.filter(id__in=ids).values('id', 'name', 'street__name')
    return {r['id']: f'{r["street__name"]} {r["name"]}' for r in sorted(rows, key=lambda r: r['id'])}


async def _tags(resident_ids: list[int]) -> dict[int, tuple[str, ...]]:
    tags: dict[int, list[str]] = defaultdict(list)
    for row in await ResidentTag.filter(resident_id__in=resident_ids).values('resident_id', 'tag'):
        tags[row['resident_id']].append(row['tag'])
    return {k: tuple(v) for k, v in tags.items()}


def _member(person: Resident, show_phone: bool, tags: dict[int, tuple[str, ...]]) -> Member:
    phone = person.phone or ''
    return Member(person.id, person.name, phone if show_phone else mask_phone(phone), person.relation,
                  person.status, person.birth_year, tags.get(person.id, ()))


async def compound_choices(actor: Principal, community_id: int) -> dict[int, str]:
    """{id: name} of the community's compounds, for filters. Errors: forbidden."""
    if not (can(actor, 'place.view', community_id) or can(actor, 'resident.view', community_id)):
        accounts.require(actor, 'place.view', community_id)
    rows = await Compound.filter(community_id=community_id).values_list('id', 'name')
    return dict(sorted(rows, key=lambda item: natural_key(item[1])))
