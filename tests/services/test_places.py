from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.errors import DomainError
from models import AuditEntry, Building, Compound, Household, Ownership
from services import events, places
from tests.support import make_account, make_community, make_household, make_resident, principal_of

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


async def _actor(community, role: str = 'staff'):
    return await principal_of(await make_account(community, role))


async def _error(call) -> DomainError:
    with pytest.raises(DomainError) as info:
        await call
    return info.value


async def test_staff_builds_compound_building_and_household_with_audit_and_events(db) -> None:
    community = await make_community()
    staff = await _actor(community)
    seen = []
    unsubscribe = events.subscribe('place.changed', lambda e: seen.append(e))
    try:
        compound = await places.create_compound(staff, community.id, ' 嘉明花园 ', at=AT)
        building = await places.create_building(staff, compound.id, '3栋', at=AT)
        household = await places.create_household(staff, building.id, room='402', area='89.5㎡', occupancy='rented',
                                                  certificate_no='鄂(2016)第1号', at=AT)
    finally:
        unsubscribe()
    assert compound.name == '嘉明花园'
    assert (household.area_m2, household.occupancy, household.certificate_no) == (Decimal('89.50'), 'rented',
                                                                                   '鄂(2016)第1号')
    actions = await AuditEntry.all().order_by('id').values_list('action', flat=True)
    assert actions == ['compound.created', 'building.created', 'household.created']
    assert [e.payload['kind'] for e in seen] == ['compound', 'building', 'household']
    assert all(e.community_id == community.id for e in seen)


@pytest.mark.parametrize('area, message', [
    ('0', '面积必须大于 0'), ('-5', '面积必须大于 0'), ('2500', '面积过大'),
    ('八十', '面积应为数字'), ('', '面积应为数字')])
async def test_a_bad_floor_area_is_refused_and_nothing_changes(db, area, message) -> None:
    community = await make_community()
    household = await make_household(community, area='89.50')
    staff = await _actor(community)
    error = await _error(places.update_household(staff, household.id, room='101', area=area, occupancy='owner',
                                                 sale_status='sold'))
    assert error.code == 'invalid_area' and message in error.message
    assert (await Household.get(id=household.id)).area_m2 == Decimal('89.50')
    assert not await AuditEntry.exists()


async def test_duplicate_names_and_rooms_are_refused(db) -> None:
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    staff = await _actor(community)
    assert (await _error(places.create_compound(staff, community.id, '嘉明花园'))).code == 'name_taken'
    compound = await Compound.get(name='嘉明花园')
    assert (await _error(places.create_building(staff, compound.id, '3栋'))).code == 'name_taken'
    error = await _error(places.create_household(staff, household.building_id, room='402', area='70'))
    assert error.code == 'room_taken' and '3栋已有房号 402' in error.message
    other = await places.create_household(staff, household.building_id, room='403', area='70')
    error = await _error(places.update_household(staff, other.id, room='402', area='70', occupancy='owner',
                                                 sale_status='sold'))
    assert error.code == 'room_taken'
    assert (await Household.get(id=other.id)).room == '403'


async def test_over_long_or_control_character_text_is_refused(db) -> None:
    community = await make_community()
    staff = await _actor(community)
    assert (await _error(places.create_compound(staff, community.id, '花' * 61))).code == 'invalid_name'
    assert (await _error(places.create_compound(staff, community.id, '  '))).code == 'invalid_name'
    assert (await _error(places.create_compound(staff, community.id, '嘉明\x00花园'))).code == 'invalid_name'
    household = await make_household(community)
    error = await _error(places.update_household(staff, household.id, room='1' * 21, area='70', occupancy='owner',
                                                 sale_status='sold'))
    assert error.code == 'invalid_room'
    error = await _error(places.update_household(staff, household.id, room='101', area='70', occupancy='owner',
                                                 sale_status='sold', certificate_no='证' * 41))
    assert error.code == 'invalid_certificate'
    assert await Compound.all().count() == 1  # only make_household's


async def test_deleting_a_place_that_is_not_empty_is_refused_with_the_reason(db) -> None:
    community = await make_community()
    household = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    await make_resident(community, household=household)
    staff = await _actor(community)
    compound = await Compound.get(name='嘉明花园')
    error = await _error(places.delete_compound(staff, compound.id))
    assert error.code == 'not_empty' and '还有 1 栋楼' in error.message
    error = await _error(places.delete_building(staff, household.building_id))
    assert error.code == 'not_empty' and '还有 1 户' in error.message
    error = await _error(places.delete_household(staff, household.id))
    assert error.code == 'not_empty' and '402 还有 1 位居民' in error.message
    assert await Household.exists(id=household.id)


async def test_empty_places_can_be_deleted_from_the_bottom_up(db) -> None:
    community = await make_community()
    household = await make_household(community)
    staff = await _actor(community)
    await places.delete_household(staff, household.id)
    await places.delete_building(staff, household.building_id)
    compound = await Compound.get(community_id=community.id)
    await places.delete_compound(staff, compound.id)
    assert not await Building.exists() and not await Compound.exists()


async def test_one_person_may_own_several_units(db) -> None:
    community = await make_community()
    first = await make_household(community, room='101')
    second = await make_household(community, room='102')
    owner = await make_resident(community, name='张桂兰', household=first)
    staff = await _actor(community)
    for household in (first, second):
        await places.update_household(staff, household.id, room=household.room, area='80', occupancy='owner',
                                      sale_status='sold', owner_id=owner.id)
    assert await Ownership.filter(resident_id=owner.id).count() == 2
    view = await places.household_view(staff, second.id)
    assert view.owner.name == '张桂兰' and len(view.owner_units) == 2


async def test_an_unsold_unit_cannot_have_an_owner_and_owners_must_be_our_residents(db) -> None:
    community = await make_community()
    household = await make_household(community)
    owner = await make_resident(community)
    stranger = await make_resident(await make_community(name='铁路坝社区'))
    staff = await _actor(community)
    error = await _error(places.update_household(staff, household.id, room='101', area='80', occupancy='vacant',
                                                 sale_status='unsold', owner_id=owner.id))
    assert error.code == 'unsold_has_owner'
    error = await _error(places.update_household(staff, household.id, room='101', area='80', occupancy='owner',
                                                 sale_status='sold', owner_id=stranger.id))
    assert error.code == 'invalid_owner'
    assert not await Ownership.exists()


async def test_changing_details_keeps_the_owner_unless_asked(db) -> None:
    community = await make_community()
    household = await make_household(community)
    owner = await make_resident(community)
    await Ownership.create(household=household, resident=owner)
    staff = await _actor(community)
    await places.update_household(staff, household.id, room='101', area='91', occupancy='rented', sale_status='sold')
    assert (await Ownership.get(household_id=household.id)).resident_id == owner.id
    await places.update_household(staff, household.id, room='101', area='91', occupancy='rented', sale_status='sold',
                                  owner_id=None)
    assert not await Ownership.exists(household_id=household.id)


@pytest.mark.parametrize('role', ['committee', 'supervisor', 'volunteer'])
async def test_only_staff_and_admins_edit_places(db, role) -> None:
    community = await make_community()
    household = await make_household(community)
    actor = await _actor(community, role)
    assert (await _error(places.create_compound(actor, community.id, '江景苑'))).code == 'forbidden'
    error = await _error(places.update_household(actor, household.id, room='9', area='80', occupancy='owner',
                                                 sale_status='sold'))
    assert error.code == 'forbidden'
    if role != 'volunteer':
        assert (await places.tree(actor, community.id)).counts.households == 1
    else:
        assert (await _error(places.tree(actor, community.id))).code == 'forbidden'


async def test_staff_cannot_touch_another_communitys_places(db) -> None:
    ours = await make_community()
    household = await make_household(ours)
    staff = await _actor(await make_community(name='铁路坝社区'))
    assert (await _error(places.household_view(staff, household.id))).code == 'forbidden'
    assert (await _error(places.delete_household(staff, household.id))).code == 'forbidden'


async def test_tree_counts_households_residents_verified_and_area(db) -> None:
    community = await make_community()
    a = await make_household(community, compound='嘉明花园', building='2栋', room='101', area='80.25')
    b = await make_household(community, compound='嘉明花园', building='10栋', room='101', area='100.00')
    await make_household(community, compound='江景苑', building='1栋', room='101', area='120.50')
    await make_resident(community, household=a)
    await make_resident(community, household=a, status='pending')
    await make_resident(community, household=b, status='left')
    await make_resident(community, household=None, status='pending')
    landlord = await make_resident(community, household=None)  # owns b, lives elsewhere: not "unplaced"
    await Ownership.create(household=b, resident=landlord)
    staff = await _actor(community)
    tree = await places.tree(staff, community.id)
    assert tree.counts == places.Counts(3, 2, 1, Decimal('300.75'))
    assert tree.without_household == 1
    jiaming = next(c for c in tree.compounds if c.name == '嘉明花园')
    assert [b.name for b in jiaming.children] == ['2栋', '10栋']  # natural order
    assert jiaming.counts == places.Counts(2, 2, 1, Decimal('180.25'))


async def test_phones_in_a_household_are_masked_for_readers_who_are_not_staff(db) -> None:
    community = await make_community()
    household = await make_household(community)
    await make_resident(community, household=household, phone='13912345678')
    staff = await _actor(community)
    committee = await _actor(community, 'committee')
    assert (await places.household_view(staff, household.id)).members[0].phone == '13912345678'
    assert (await places.household_view(committee, household.id)).members[0].phone == '139****5678'
