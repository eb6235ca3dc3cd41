import pytest

from domain.errors import DomainError
from domain.seats import TEMPLATES
from models import AuditEntry, Compound, Council, Seat
from services import councils, events
from tests.support import make_account, make_community, make_resident, principal_of


async def _actor(community, role: str = 'staff'):
    return await principal_of(await make_account(community, role))


async def _error(call) -> DomainError:
    with pytest.raises(DomainError) as info:
        await call
    return info.value


def test_every_seat_key_fits_the_database_column() -> None:
    limit = Seat._meta.fields_map['kind'].max_length
    assert all(len(kind.key) <= limit for _, kinds in TEMPLATES.values() for kind in kinds)


async def test_a_city_community_gets_4_plus_n_and_its_compounds_5_plus_n(db) -> None:
    community = await make_community()
    compound = await Compound.create(community=community, name='嘉明花园')
    staff = await _actor(community)
    top = await councils.create_council(staff, community.id)
    local = await councils.create_council(staff, community.id, compound_id=compound.id)
    assert (top.level, top.name) == ('community', '船柴社区议事协商委员会')
    assert (local.level, local.name) == ('compound_city', '嘉明花园议事会')
    overview = await councils.overview(staff, community.id)
    assert [len(c.missing) for c in overview.councils] == [4, 5]
    assert overview.compounds_without == () and overview.has_community_council
    assert (await _error(councils.create_council(staff, community.id))).code == 'council_exists'


async def test_a_village_groups_council_is_4_plus_n(db) -> None:
    village = await make_community(name='桃花村', kind='village')
    group = await Compound.create(community=village, name='一组')
    staff = await _actor(village)
    council = await councils.create_council(staff, village.id, compound_id=group.id)
    assert council.level == 'compound_village'
    assert [k.label for k in (await councils.overview(staff, village.id)).councils[0].missing] == [
        '村两委', '村民小组（党小组）长', '村民代表', '社会组织负责人']


async def test_filling_seats_with_residents_and_outside_holders_until_none_is_missing(db) -> None:
    community = await make_community()
    staff = await _actor(community)
    council = await councils.create_council(staff, community.id)
    rep = await make_resident(community, name='张桂兰')
    tenant = await make_resident(community, name='刘新', relation='tenant')
    await councils.fill_seat(staff, council.id, 'two_committees', holder_name='李敏', organisation='船柴社区居委会')
    await councils.fill_seat(staff, council.id, 'resident_rep', resident_id=rep.id)
    await councils.fill_seat(staff, council.id, 'tenant_rep', resident_id=tenant.id)
    view = (await councils.overview(staff, community.id)).councils[0]
    assert [k.key for k in view.missing] == ['social_org']
    seat = await councils.fill_seat(staff, council.id, 'social_org', holder_name='彭丽娟',
                                    organisation='知心姐姐社工服务中心')
    await councils.fill_seat(staff, council.id, 'stakeholder', resident_id=rep.id)  # +N: anyone affected
    view = (await councils.overview(staff, community.id)).councils[0]
    assert view.missing == () and len(view.holders('stakeholder')) == 1
    assert (seat.holder_name, seat.organisation, seat.resident_id) == ('彭丽娟', '知心姐姐社工服务中心', None)
    assert await AuditEntry.filter(action='council.seat_filled').count() == 5


async def test_seat_guards(db) -> None:
    community = await make_community()
    staff = await _actor(community)
    council = await councils.create_council(staff, community.id)
    rep = await make_resident(community, name='张桂兰')
    gone = await make_resident(community, name='走了', status='left')
    stranger = await make_resident(await make_community(name='铁路坝社区'))
    await councils.fill_seat(staff, council.id, 'resident_rep', resident_id=rep.id)
    assert (await _error(councils.fill_seat(staff, council.id, 'resident_rep', resident_id=rep.id))).code == \
        'seat_taken'
    assert (await _error(councils.fill_seat(staff, council.id, 'party_branch', resident_id=rep.id))).code == \
        'invalid_seat'
    for person in (gone, stranger):
        error = await _error(councils.fill_seat(staff, council.id, 'resident_rep', resident_id=person.id))
        assert error.code == 'invalid_resident'
    assert (await _error(councils.fill_seat(staff, council.id, 'social_org', holder_name=' '))).code == \
        'invalid_name'
    error = await _error(councils.fill_seat(staff, council.id, 'social_org', holder_name='某', organisation='社' * 61))
    assert error.code == 'invalid_organisation'
    assert await Seat.all().count() == 1


async def test_emptying_a_seat_puts_it_back_on_the_missing_list(db) -> None:
    community = await make_community()
    staff = await _actor(community)
    council = await councils.create_council(staff, community.id)
    seat = await councils.fill_seat(staff, council.id, 'social_org', holder_name='彭丽娟')
    seen = []
    unsubscribe = events.subscribe('council.changed', lambda e: seen.append(e.community_id))
    try:
        await councils.empty_seat(staff, seat.id)
    finally:
        unsubscribe()
    view = (await councils.overview(staff, community.id)).councils[0]
    assert 'social_org' in [k.key for k in view.missing] and seen == [community.id]
    assert (await _error(councils.empty_seat(staff, seat.id))).code == 'not_found'


@pytest.mark.parametrize('role', ['committee', 'supervisor', 'volunteer'])
async def test_only_staff_and_admins_change_councils_but_everyone_may_look(db, role) -> None:
    community = await make_community()
    staff = await _actor(community)
    council = await councils.create_council(staff, community.id)
    actor = await _actor(community, role)
    assert (await _error(councils.fill_seat(actor, council.id, 'social_org', holder_name='某'))).code == 'forbidden'
    compound = await Compound.create(community=community, name='江景苑')
    error = await _error(councils.create_council(actor, community.id, compound_id=compound.id))
    assert error.code == 'forbidden'
    assert len((await councils.overview(actor, community.id)).councils) == 1
    assert await Council.all().count() == 1
