"""周周碰 and 月月议 on a real database: the dates, planning ahead without ever making a date twice (even when two
planners race), invitations from the council, and stopping."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from domain.meetings import LOCAL
from models import Compound, Invitation, Meeting, MeetingSeries
from services import councils, meeting_series, meeting_views
from tests.support import make_account, make_community, make_household, make_resident, principal_of

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # Monday 1 June, 10:00 in Yichang


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    rep = await make_resident(community, name='刘德明', household=home)
    staff = await principal_of(await make_account(community, 'staff', name='李敏'))
    jiaming = await Compound.get(name='嘉明花园')
    council = await councils.create_council(staff, community.id, compound_id=jiaming.id)
    await councils.fill_seat(staff, council.id, 'owners_committee', resident_id=rep.id)
    await councils.fill_seat(staff, council.id, 'property_company', holder_name='邓志刚', organisation='嘉明物业')
    return {'community': community, 'staff': staff, 'council': council,
            'resident': await principal_of(await make_account(community, name='刘德明', resident=rep, password=None))}


async def _weekly(world, **given) -> MeetingSeries:
    fields = dict(title='嘉明花园周周碰', cadence='weekly', weekday=2, start_minute=19 * 60, duration_minutes=60,
                  format='onsite', mode='offline', level='compound_city', council_id=world['council'].id,
                  place='嘉明花园党群服务站', at=NOW)
    return await meeting_series.create_series(world['staff'], world['community'].id, **{**fields, **given})


async def test_a_weekly_series_plans_the_next_four_wednesdays_at_seven_with_the_council_invited(world) -> None:
    series = await _weekly(world)
    made = await meeting_series.plan_series(world['staff'], series.id, weeks_ahead=4, at=NOW)
    starts = [m.starts_at.astimezone(LOCAL) for m in made]
    assert [s.strftime('%m-%d %H:%M') for s in starts] == ['06-03 19:00', '06-10 19:00', '06-17 19:00', '06-24 19:00']
    assert all(m.regular and m.series_id == series.id for m in made)
    assert made[0].ends_at - made[0].starts_at == timedelta(hours=1)
    invited = await Invitation.filter(meeting_id=made[0].id).order_by('id').values_list('seat_kind', 'name')
    assert invited == [('owners_committee', '刘德明'), ('property_company', '邓志刚')]


async def test_planning_again_makes_nothing_twice_even_when_two_planners_race(world) -> None:
    series = await _weekly(world)
    first, second = await asyncio.gather(meeting_series.plan_series(world['staff'], series.id, at=NOW),
                                         meeting_series.plan_series(world['staff'], series.id, at=NOW))
    assert sorted([len(first), len(second)]) == [0, 4]
    assert await meeting_series.plan_all(at=NOW + timedelta(days=1)) == []
    later = await meeting_series.plan_all(at=NOW + timedelta(days=7))  # a week on: one more Wednesday
    assert [m.starts_at.astimezone(LOCAL).strftime('%m-%d') for m in later] == ['07-01']
    days = [m.starts_at.astimezone(LOCAL).date() for m in await Meeting.filter(series_id=series.id)]
    assert len(days) == len(set(days)) == 5


async def test_a_monthly_series_plans_at_least_the_next_meeting(world) -> None:
    series = await meeting_series.create_series(
        world['staff'], world['community'].id, title='船柴社区月月议', cadence='monthly', day_of_month=15,
        start_minute=9 * 60 + 30, format='council', mode='both', level='compound_city',
        council_id=world['council'].id, place='社区会议室', at=NOW)
    made = await meeting_series.plan_series(world['staff'], series.id, weeks_ahead=2, at=NOW)
    assert [m.starts_at.astimezone(LOCAL).strftime('%m-%d %H:%M') for m in made] == ['06-15 09:30']
    rows = await meeting_views.series_list(world['staff'], world['community'].id, at=NOW)
    assert [(r.title, r.cadence_label, r.when) for r in rows] == [('船柴社区月月议', '月月议', '每月 15 日 09:30')]


async def test_a_stopped_series_plans_nothing_more_and_keeps_what_was_planned(world) -> None:
    series = await _weekly(world)
    await meeting_series.plan_series(world['staff'], series.id, weeks_ahead=1, at=NOW)
    await meeting_series.stop_series(world['staff'], series.id)
    with pytest.raises(DomainError) as refused:
        await meeting_series.plan_series(world['staff'], series.id, at=NOW)
    assert refused.value.code == 'series_stopped'
    assert await meeting_series.plan_all(at=NOW + timedelta(days=30)) == []
    assert await Meeting.filter(series_id=series.id).count() == 1


@pytest.mark.parametrize(('given', 'code'), [
    ({'cadence': 'daily'}, 'bad_cadence'),
    ({'weekday': 7}, 'bad_weekday'),
    ({'cadence': 'monthly', 'day_of_month': 31}, 'bad_day'),
    ({'start_minute': 24 * 60}, 'bad_time'),
    ({'duration_minutes': 5}, 'bad_duration'),
    ({'place': ''}, 'invalid_place'),
])
async def test_a_bad_series_is_refused_in_words(world, given, code) -> None:
    with pytest.raises(DomainError) as refused:
        await _weekly(world, **given)
    assert refused.value.code == code and refused.value.message
    assert not await MeetingSeries.exists()


async def test_only_staff_make_or_stop_a_series(world) -> None:
    with pytest.raises(DomainError) as refused:
        await meeting_series.create_series(world['resident'], world['community'].id, title='我的例会',
                                           cadence='weekly', weekday=1, start_minute=600, format='council',
                                           mode='offline', level='community', place='家里')
    assert refused.value.code == 'forbidden'
    series = await _weekly(world)
    with pytest.raises(DomainError) as refused:
        await meeting_series.stop_series(world['resident'], series.id)
    assert refused.value.code == 'forbidden'


async def test_the_background_tick_plans_series_and_sends_each_reminder_once(world) -> None:
    await _weekly(world)
    planned, reminded = await meeting_series.tick(at=NOW)
    assert (planned, reminded) == (4, 0)
    tuesday_evening = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)  # 20:00, a day before Wednesday's 19:00
    assert await meeting_series.tick(at=tuesday_evening) == (0, 1)  # the owners' rep has an account
    assert await meeting_series.tick(at=tuesday_evening + timedelta(minutes=10)) == (0, 0)
