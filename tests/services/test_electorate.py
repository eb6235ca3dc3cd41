"""The roll of a vote, frozen at open: who counts, how often, with what area; and whom a person may vote for."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from domain.permissions import Principal
from models import Building, Compound, Elector, Household, Ownership, ResidentTag
from services import electorate
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_resident,
    make_vote,
    principal_of,
)

pytestmark = pytest.mark.usefixtures('db')

AT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 in 宜昌, 2026: born 2008 is 18 this year


async def _roll(community, electorate_='community', counting='person', **places):
    return {line.key: line for line in await electorate.roll(community.id, electorate=electorate_,
                                                             counting=counting, at=AT, **places)}


async def _own(resident, *units):
    for unit in units:
        await Ownership.create(household=unit, resident=resident)


@pytest.fixture
async def town():
    community = await make_community()
    a101 = await make_household(community, compound='嘉明花园', building='1栋', room='101', area='89.50')
    a102 = await make_household(community, compound='嘉明花园', building='1栋', room='102', area='120.25')
    b201 = await make_household(community, compound='嘉明花园', building='2栋', room='201', area='75.00')
    c301 = await make_household(community, compound='桃花苑', building='3栋', room='301', area='60.00')
    return {'community': community, 'a101': a101, 'a102': a102, 'b201': b201, 'c301': c301}


async def test_counting_by_person_takes_verified_adults_only(town):
    c, home = town['community'], town['a101']
    grandma = await make_resident(c, name='张桂兰', household=home, birth_year=1956)
    turning_18 = await make_resident(c, name='张小华', household=home, birth_year=2008)
    await make_resident(c, name='张小明', household=home, birth_year=2009)  # 17 this year
    await make_resident(c, name='李待核', household=home, status='pending')
    await make_resident(c, name='王迁出', household=home, status='left')
    no_year = await make_resident(c, name='赵无年', household=town['b201'])
    no_year.birth_year = None
    await no_year.save()
    other = await make_community(name='桃山村')
    await make_resident(other, name='外村人', household=await make_household(other))
    roll = await _roll(c)
    assert set(roll) == {f'r{grandma.id}', f'r{turning_18.id}', f'r{no_year.id}'}
    assert roll[f'r{grandma.id}'].label == '张桂兰'
    assert roll[f'r{grandma.id}'].area == 0


async def test_a_household_counts_once_and_only_with_a_verified_adult_member(town):
    c = town['community']
    await make_resident(c, name='张桂兰', household=town['a101'])
    await make_resident(c, name='张建国', household=town['a101'])
    await make_resident(c, name='李小孩', household=town['a102'], birth_year=2015)
    await make_resident(c, name='李待核', household=town['a102'], status='pending')
    await make_resident(c, name='王租户', household=town['b201'], relation='tenant')
    roll = await _roll(c, counting='household')
    assert set(roll) == {f'h{town["a101"].id}', f'h{town["b201"].id}'}
    assert roll[f'h{town["a101"].id}'].label == '1栋101'


async def test_one_owner_of_several_units_is_one_head_with_their_summed_area(town):
    c = town['community']
    owner = await make_resident(c, name='刘多房', household=town['a101'])
    await _own(owner, town['a101'], town['a102'])
    roll = await _roll(c, counting='owner')
    line = roll[f'o{owner.id}']
    assert (line.label, line.area) == ('刘多房', Decimal('209.75'))
    assert f'u{town["a101"].id}' not in roll and f'u{town["a102"].id}' not in roll


async def test_a_sold_unit_without_a_registered_owner_is_its_own_owner(town):
    roll = await _roll(town['community'], counting='owner')
    assert set(roll) == {f'u{h.id}' for h in (town['a101'], town['a102'], town['b201'], town['c301'])}
    assert (roll[f'u{town["b201"].id}'].label, roll[f'u{town["b201"].id}'].area) == ('2栋201', Decimal('75.00'))


async def test_unsold_and_undelivered_units_count_as_one_owner_together(town):
    c = town['community']
    developer_stock = [town['a102'], town['b201'], town['c301']]
    for unit in developer_stock:
        unit.sale_status = 'unsold'
        await unit.save()
    early = await make_resident(c, name='预登记', household=town['a101'])
    await _own(early, town['b201'])  # an ownership typed in before delivery does not make it sold
    roll = await _roll(c, counting='owner')
    assert set(roll) == {f'u{town["a101"].id}', 'unsold'}
    assert roll['unsold'].label == '开发商（未售/未交付房屋）'
    assert roll['unsold'].area == Decimal('255.25')
    heads_and_area = await electorate.preview_roll(c.id, electorate='community', counting='owner', at=AT)
    assert heads_and_area == electorate.RollPreview(2, Fraction(34475, 100))


async def test_places_take_chosen_compounds_and_buildings_only(town):
    c = town['community']
    people = {key: await make_resident(c, name=key, household=town[key]) for key in ('a101', 'b201', 'c301')}
    building_1 = await Building.get(id=town['a101'].building_id)
    peach = await Compound.get(name='桃花苑')
    roll = await _roll(c, 'places', building_ids=[building_1.id], compound_ids=[peach.id])
    assert set(roll) == {f'r{people["a101"].id}', f'r{people["c301"].id}'}
    assert await _roll(c, 'places') == {}  # nothing chosen: nobody


async def test_an_owner_counts_only_the_area_of_their_units_inside_the_places(town):
    c = town['community']
    owner = await make_resident(c, name='刘多房', household=town['a101'])
    await _own(owner, town['a101'], town['c301'])
    roll = await _roll(c, 'places', counting='owner', building_ids=[town['a101'].building_id])
    assert roll[f'o{owner.id}'].area == Decimal('89.50')
    assert set(roll) == {f'o{owner.id}', f'u{town["a102"].id}'}


async def test_the_whole_community_includes_verified_adults_not_yet_placed_in_a_household(town):
    c = town['community']
    unplaced = await make_resident(c, name='未分户')
    assert f'r{unplaced.id}' in await _roll(c)
    assert await _roll(c, 'places', building_ids=[town['a101'].building_id]) == {}


async def test_the_body_is_the_verified_residents_tagged_as_representatives(town):
    c = town['community']
    rep = await make_resident(c, name='代表甲', household=town['a101'])
    pending_rep = await make_resident(c, name='代表乙', household=town['a102'], status='pending')
    await make_resident(c, name='普通居民', household=town['b201'])
    for person in (rep, pending_rep):
        await ResidentTag.create(resident=person, tag='居民代表')
    await ResidentTag.create(resident=await make_resident(c, name='党员', household=town['c301']), tag='党员')
    assert set(await _roll(c, 'body')) == {f'r{rep.id}'}


async def test_the_roll_is_frozen_at_open_and_later_residents_do_not_join_it(town):
    c = town['community']
    await make_resident(c, name='张桂兰', household=town['a101'])
    vote = await make_vote(c, open_at=AT)
    await make_resident(c, name='新核验', household=town['a102'])
    assert await Elector.filter(vote_id=vote.id).values_list('label', flat=True) == ['张桂兰']


async def test_freezing_the_owner_roll_keeps_the_exact_area(town):
    c = town['community']
    owner = await make_resident(c, name='刘多房', household=town['a101'])
    await _own(owner, town['a101'], town['a102'])
    vote = await make_vote(c, open_at=AT, counting='owner', rule='civil_278')
    rows = {e.key: e for e in await Elector.filter(vote_id=vote.id)}
    assert rows[f'o{owner.id}'].area_m2 == Decimal('209.75')
    assert rows[f'o{owner.id}'].resident_id == owner.id
    assert rows[f'u{town["b201"].id}'].household_id == town['b201'].id
    assert len(rows) == 3


# ---- whom a person may vote for ----

async def _person(community, resident) -> Principal:
    return await principal_of(await make_account(community, name=resident.name, resident=resident, password=None))


async def test_counting_by_person_each_votes_for_themselves(town):
    c = town['community']
    me = await make_resident(c, name='张桂兰', household=town['a101'])
    vote = await make_vote(c, open_at=AT)
    assert [e.key for e in await electorate.electors_for(await _person(c, me), vote)] == [f'r{me.id}']


async def test_every_verified_adult_member_may_vote_for_the_household_but_not_a_child(town):
    c = town['community']
    mother = await make_resident(c, name='张桂兰', household=town['a101'])
    child = await make_resident(c, name='张小明', household=town['a101'], birth_year=2015)
    tenant = await make_resident(c, name='王租户', household=town['a102'], relation='tenant')
    vote = await make_vote(c, open_at=AT, counting='household')
    assert [e.key for e in await electorate.electors_for(await _person(c, mother), vote)] == \
        [f'h{town["a101"].id}']
    assert await electorate.electors_for(await _person(c, child), vote) == []
    assert [e.key for e in await electorate.electors_for(await _person(c, tenant), vote)] == \
        [f'h{town["a102"].id}']


async def test_an_owner_votes_for_their_units_and_an_owner_member_for_an_unregistered_unit(town):
    c = town['community']
    registered = await make_resident(c, name='刘多房', household=town['a101'])
    await _own(registered, town['a101'], town['a102'])
    living_owner = await make_resident(c, name='陈业主', household=town['b201'], relation='owner')
    family = await make_resident(c, name='陈家属', household=town['b201'], relation='family')
    vote = await make_vote(c, open_at=AT, counting='owner', rule='civil_278')
    assert [e.key for e in await electorate.electors_for(await _person(c, registered), vote)] == \
        [f'o{registered.id}']
    assert [e.key for e in await electorate.electors_for(await _person(c, living_owner), vote)] == \
        [f'u{town["b201"].id}']
    assert await electorate.electors_for(await _person(c, family), vote) == []


async def test_nobody_votes_for_anyone_before_the_roll_is_frozen_or_in_another_community(town):
    c = town['community']
    me = await make_resident(c, name='张桂兰', household=town['a101'])
    draft = await make_vote(c)
    assert await electorate.electors_for(await _person(c, me), draft) == []
    other = await make_community(name='桃山村')
    stranger = await make_resident(other, name='外村人', household=await make_household(other))
    vote = await make_vote(c, open_at=AT)
    assert await electorate.electors_for(await _person(other, stranger), vote) == []
    staff = await principal_of(await make_account(c, 'staff', name='王丽'))
    assert await electorate.electors_for(staff, vote) == []


async def test_unit_areas_come_from_the_register_exactly(town):
    unit = await Household.get(id=town['a102'].id)
    assert unit.area_m2 == Decimal('120.25')
    preview = await electorate.preview_roll(town['community'].id, electorate='community', counting='owner', at=AT)
    assert preview.area == Fraction(34475, 100) and preview.heads == 4


async def test_many_phones_asking_at_once_each_get_their_own_elector_and_a_stranger_none(town):
    c = town['community']
    people = [await make_resident(c, name=f'居民{n}', household=town['a101']) for n in range(40)]
    vote = await make_vote(c, opened=True)
    stranger = await make_resident(c, name='后来的人', household=town['a102'])  # registered after the roll froze
    asking = [Principal(account_id=n + 1, roles={c.id: frozenset({'resident'})}, resident_id=r.id, verified=True)
              for n, r in enumerate([*people, stranger])]
    answers = await asyncio.gather(*(electorate.electors_for(p, vote) for p in asking))
    assert [[e.key for e in found] for found in answers] == [[f'r{r.id}'] for r in people] + [[]]
