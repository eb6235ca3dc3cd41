"""Places of a community: compounds → buildings → households. Edits for staff, summaries for the admin screens."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.people import MAX_PLACE_NAME, OCCUPANCY, SALE_STATUS, clean_text, parse_area
from domain.permissions import Principal
from models import Building, Community, Compound, Household, Ownership, Resident
from services import accounts, audit, events
from services.place_views import (  # re-exported: pages import the read side from here
    BuildingView,
    CommunityTree,
    Counts,
    HouseholdRow,
    HouseholdView,
    Member,
    Node,
    building_view,
    community_labels,
    compound_choices,
    compound_node,
    household_choices,
    household_view,
    owner_choices,
    tree,
)

MAX_BUILDING_NAME = 40
MAX_ROOM = 20
MAX_CERTIFICATE = 40
UNCHANGED: object = object()  # "leave the owner as it is"


def _name(value: object, *, max_len: int, what: str) -> str:
    try:
        text = clean_text(value, max_len=max_len)
    except ValueError as e:
        raise DomainError('invalid_name', '{what}{reason}', what=what, reason=str(e)) from e
    if not text:
        raise DomainError('invalid_name', '请填写{what}', what=what)
    return text


async def _changed(community_id: int, kind: str, id_: int) -> None:
    await events.publish('place.changed', community_id=community_id, kind=kind, id=id_)


# --- compounds ---------------------------------------------------------------------------------------------

async def create_compound(actor: Principal, community_id: int, name: str, *, at: datetime | None = None) -> Compound:
    """A new 小区 (or 村民小组). Errors: forbidden, not_found, invalid_name, name_taken."""
    accounts.require(actor, 'place.edit', community_id)
    if not await Community.exists(id=community_id):
        raise DomainError('not_found', '找不到这个社区')
    name = _name(name, max_len=MAX_PLACE_NAME, what='小区名称')
    taken = DomainError('name_taken', '已有名为“{name}”的小区', name=name)
    try:
        async with in_transaction() as conn:
            if await Compound.filter(community_id=community_id, name=name).using_db(conn).exists():
                raise taken
            compound = await Compound.create(community_id=community_id, name=name, using_db=conn)
            await audit.record('compound.created', actor_id=actor.account_id, community_id=community_id,
                               target=compound, data={'name': name}, at=at, using_db=conn)
    except IntegrityError as e:  # a concurrent twin got there first; the unique constraint has the last word
        raise taken from e
    await _changed(community_id, 'compound', compound.id)
    return compound


async def rename_compound(actor: Principal, compound_id: int, name: str, *, at: datetime | None = None) -> Compound:
    """Errors: not_found, forbidden, invalid_name, name_taken."""
    compound = await _compound(compound_id)
    accounts.require(actor, 'place.edit', compound)
    name = _name(name, max_len=MAX_PLACE_NAME, what='小区名称')
    if name == compound.name:
        return compound
    async with in_transaction() as conn:
        if await Compound.filter(community_id=compound.community_id, name=name).using_db(conn).exists():
            raise DomainError('name_taken', '已有名为“{name}”的小区', name=name)
        old, compound.name = compound.name, name
        await compound.save(update_fields=['name'], using_db=conn)
        await audit.record('compound.renamed', actor_id=actor.account_id, community_id=compound.community_id,
                           target=compound, data={'from': old, 'to': name}, at=at, using_db=conn)
    await _changed(compound.community_id, 'compound', compound.id)
    return compound


async def delete_compound(actor: Principal, compound_id: int, *, at: datetime | None = None) -> None:
    """Only an empty compound can go. Errors: not_found, forbidden, not_empty."""
    compound = await _compound(compound_id)
    accounts.require(actor, 'place.edit', compound)
    buildings = await Building.filter(compound_id=compound.id).count()
    if buildings:
        raise DomainError('not_empty', '“{name}”还有 {count} 栋楼，请先删除楼栋', name=compound.name, count=buildings)
    async with in_transaction() as conn:
        await audit.record('compound.deleted', actor_id=actor.account_id, community_id=compound.community_id,
                           target=compound, data={'name': compound.name}, at=at, using_db=conn)
        await compound.delete(using_db=conn)
    await _changed(compound.community_id, 'compound', compound_id)


# --- buildings ---------------------------------------------------------------------------------------------

async def create_building(actor: Principal, compound_id: int, name: str, *, at: datetime | None = None) -> Building:
    """A new 楼栋. Errors: not_found, forbidden, invalid_name, name_taken."""
    compound = await _compound(compound_id)
    accounts.require(actor, 'place.edit', compound)
    name = _name(name, max_len=MAX_BUILDING_NAME, what='楼栋名称')
    taken = DomainError('name_taken', '“{compound}”已有“{name}”', compound=compound.name, name=name)
    try:
        async with in_transaction() as conn:
            if await Building.filter(compound_id=compound.id, name=name).using_db(conn).exists():
                raise taken
            building = await Building.create(compound_id=compound.id, name=name, using_db=conn)
            await audit.record('building.created', actor_id=actor.account_id, community_id=compound.community_id,
                               target=building, data={'name': name, 'compound': compound.name}, at=at,
                               using_db=conn)
    except IntegrityError as e:
        raise taken from e
    await _changed(compound.community_id, 'building', building.id)
    return building


async def rename_building(actor: Principal, building_id: int, name: str, *, at: datetime | None = None) -> Building:
    """Errors: not_found, forbidden, invalid_name, name_taken."""
    building, community_id = await _building(building_id)
    accounts.require(actor, 'place.edit', community_id)
    name = _name(name, max_len=MAX_BUILDING_NAME, what='楼栋名称')
    if name == building.name:
        return building
    async with in_transaction() as conn:
        if await Building.filter(compound_id=building.compound_id, name=name).using_db(conn).exists():
            raise DomainError('name_taken', '“{compound}”已有“{name}”', compound=building.compound.name, name=name)
        old, building.name = building.name, name
        await building.save(update_fields=['name'], using_db=conn)
        await audit.record('building.renamed', actor_id=actor.account_id, community_id=community_id,
                           target=building, data={'from': old, 'to': name}, at=at, using_db=conn)
    await _changed(community_id, 'building', building.id)
    return building


async def delete_building(actor: Principal, building_id: int, *, at: datetime | None = None) -> None:
    """Only an empty building can go. Errors: not_found, forbidden, not_empty."""
    building, community_id = await _building(building_id)
    accounts.require(actor, 'place.edit', community_id)
    households = await Household.filter(building_id=building.id).count()
    if households:
        raise DomainError('not_empty', '“{name}”还有 {count} 户，请先删除住户', name=building.name, count=households)
    async with in_transaction() as conn:
        await audit.record('building.deleted', actor_id=actor.account_id, community_id=community_id,
                           target=building, data={'name': building.name}, at=at, using_db=conn)
        await building.delete(using_db=conn)
    await _changed(community_id, 'building', building_id)


# --- households --------------------------------------------------------------------------------------------

async def create_household(actor: Principal, building_id: int, *, room: str, area: object, occupancy: str = 'owner',
                           sale_status: str = 'sold', certificate_no: str = '', owner_id: int | None = None,
                           at: datetime | None = None) -> Household:
    """A new 户 with its floor area. Errors: not_found, forbidden, invalid_room, invalid_area, invalid_choice,
    invalid_certificate, room_taken, invalid_owner, unsold_has_owner."""
    building, community_id = await _building(building_id)
    accounts.require(actor, 'place.edit', community_id)
    values = _household_values(room, area, occupancy, sale_status, certificate_no)
    owner = await _owner(community_id, owner_id, values['sale_status'])
    try:
        async with in_transaction() as conn:
            await _room_free(building, values['room'], None, conn)
            household = await Household.create(building_id=building.id, **values, using_db=conn)
            if owner is not None:
                await Ownership.create(household_id=household.id, resident_id=owner.id, using_db=conn)
            await audit.record('household.created', actor_id=actor.account_id, community_id=community_id,
                               target=household, data={**_audit_values(values), 'owner_id': owner_id}, at=at,
                               using_db=conn)
    except IntegrityError as e:
        raise _room_taken(building, values['room']) from e
    await _changed(community_id, 'household', household.id)
    return household


async def update_household(actor: Principal, household_id: int, *, room: str, area: object, occupancy: str,
                           sale_status: str, certificate_no: str = '', owner_id: int | object | None = UNCHANGED,
                           at: datetime | None = None) -> Household:
    """Change a household's details (and its registered owner unless `owner_id` is UNCHANGED).

    Errors: not_found, forbidden, invalid_room, invalid_area, invalid_choice, invalid_certificate, room_taken,
    invalid_owner, unsold_has_owner.
    """
    household, community_id = await _household(household_id)
    accounts.require(actor, 'place.edit', community_id)
    values = _household_values(room, area, occupancy, sale_status, certificate_no)
    current = await Ownership.get_or_none(household_id=household.id)
    current_owner_id = current.resident_id if current else None
    new_owner_id = current_owner_id if owner_id is UNCHANGED else owner_id
    owner = await _owner(community_id, new_owner_id, values['sale_status'])  # type: ignore[arg-type]
    before = {name: getattr(household, name) for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed and new_owner_id == current_owner_id:
        return household
    try:
        async with in_transaction() as conn:
            if 'room' in changed:
                await _room_free(household.building, values['room'], household.id, conn)
            for name, value in changed.items():
                setattr(household, name, value)
            if changed:
                await household.save(update_fields=[*changed, 'updated_at'], using_db=conn)
            if new_owner_id != current_owner_id:
                if current is not None:
                    await current.delete(using_db=conn)
                if owner is not None:
                    await Ownership.create(household_id=household.id, resident_id=owner.id, using_db=conn)
            await audit.record('household.changed', actor_id=actor.account_id, community_id=community_id,
                               target=household,
                               data={'changed': _audit_values(changed), 'owner': [current_owner_id, new_owner_id]},
                               at=at, using_db=conn)
    except IntegrityError as e:
        for name, value in before.items():  # the row object goes back to what the database still holds
            setattr(household, name, value)
        raise _room_taken(household.building, values['room']) from e
    await _changed(community_id, 'household', household.id)
    return household


async def delete_household(actor: Principal, household_id: int, *, at: datetime | None = None) -> None:
    """Only a household without residents can go. Errors: not_found, forbidden, not_empty."""
    household, community_id = await _household(household_id)
    accounts.require(actor, 'place.edit', community_id)
    members = await Resident.filter(household_id=household.id).count()
    if members:
        raise DomainError('not_empty', '{room} 还有 {count} 位居民，请先把他们迁出或调到别的户',
                          room=household.room, count=members)
    async with in_transaction() as conn:
        await audit.record('household.deleted', actor_id=actor.account_id, community_id=community_id,
                           target=household, data={'room': household.room, 'area_m2': str(household.area_m2)},
                           at=at, using_db=conn)
        await household.delete(using_db=conn)
    await _changed(community_id, 'household', household_id)


# --- guards and lookups ------------------------------------------------------------------------------------

def _household_values(room: object, area: object, occupancy: str, sale_status: str, certificate_no: object) -> dict:
    try:
        room_text = clean_text(room, max_len=MAX_ROOM)
    except ValueError as e:
        raise DomainError('invalid_room', '房号{reason}', reason=str(e)) from e
    if not room_text:
        raise DomainError('invalid_room', '请填写房号，例如 402')
    try:
        area_value = parse_area(area)
    except ValueError as e:
        raise DomainError('invalid_area', '{reason}', reason=str(e)) from e
    if occupancy not in OCCUPANCY:
        raise DomainError('invalid_choice', '请选择居住情况')
    if sale_status not in SALE_STATUS:
        raise DomainError('invalid_choice', '请选择是否已售')
    try:
        certificate = clean_text(certificate_no, max_len=MAX_CERTIFICATE)
    except ValueError as e:
        raise DomainError('invalid_certificate', '不动产权证号{reason}', reason=str(e)) from e
    return {'room': room_text, 'area_m2': area_value, 'occupancy': occupancy, 'sale_status': sale_status,
            'certificate_no': certificate or None}


def _audit_values(values: dict) -> dict:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


async def _owner(community_id: int, owner_id: int | None, sale_status: str) -> Resident | None:
    if owner_id is None:
        return None
    if sale_status == 'unsold':
        raise DomainError('unsold_has_owner', '未售或未交付的房屋不能登记业主')
    owner = await Resident.get_or_none(id=owner_id, community_id=community_id)
    if owner is None or owner.status == 'left':
        raise DomainError('invalid_owner', '业主应为本社区在册的居民')
    return owner


async def _room_free(building: Building, room: str, household_id: int | None, conn) -> None:
    query = Household.filter(building_id=building.id, room=room).using_db(conn)
    if household_id is not None:
        query = query.exclude(id=household_id)
    if await query.exists():
        raise _room_taken(building, room)


def _room_taken(building: Building, room: str) -> DomainError:
    return DomainError('room_taken', '{building}已有房号 {room}', building=building.name, room=room)


async def _compound(compound_id: int) -> Compound:
    compound = await Compound.get_or_none(id=compound_id)
    if compound is None:
        raise DomainError('not_found', '找不到这个小区')
    return compound


async def _building(building_id: int) -> tuple[Building, int]:
    building = await Building.get_or_none(id=building_id).prefetch_related('compound')
    if building is None:
        raise DomainError('not_found', '找不到这栋楼')
    return building, building.compound.community_id


async def _household(household_id: int) -> tuple[Household, int]:
    household = await Household.get_or_none(id=household_id).prefetch_related('building__compound')
    if household is None:
        raise DomainError('not_found', '找不到这一户')
    return household, household.building.compound.community_id


__all__ = [
    'UNCHANGED', 'BuildingView', 'CommunityTree', 'Counts', 'HouseholdRow', 'HouseholdView', 'Member', 'Node',
    'building_view', 'community_labels', 'compound_choices', 'compound_node', 'create_building', 'create_compound',
    'create_household', 'delete_building', 'delete_compound', 'delete_household', 'household_choices',
    'household_view', 'owner_choices', 'rename_building', 'rename_compound', 'tree', 'update_household',
]
