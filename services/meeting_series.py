"""Recurring meetings: 周周碰 (weekly) and 月月议 (monthly). A series makes its next meetings ahead of time, with
the council's seats invited; planning twice makes nothing twice (never two meetings of one series on one date).
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta

from tortoise.transactions import in_transaction

from domain import meetings as rules
from domain.errors import DomainError
from domain.permissions import Principal
from models import Meeting, MeetingSeries
from services import accounts, audit, events, meetings

log = logging.getLogger(__name__)

WEEKS_AHEAD = 4  # how far ahead a series is planned
TICK_SECONDS = 600  # how often the background task plans series and sends reminders
SHORTEST, LONGEST = 15, 12 * 60  # minutes


async def create_series(actor: Principal, community_id: int, *, title: str, cadence: str, weekday: int | None = None,
                        day_of_month: int | None = None, start_minute: int, duration_minutes: int = 90, format: str,
                        mode: str, level: str, council_id: int | None = None, compound_id: int | None = None,
                        place: str, at: datetime | None = None) -> MeetingSeries:
    """Start a 周周碰 or 月月议. Errors: forbidden, bad_cadence, bad_weekday, bad_day, bad_time, bad_duration,
    and the field errors of services.meetings.create_meeting."""
    at = at or audit.now()
    accounts.require(actor, 'meeting.manage', community_id)
    shape = await meetings.check_shape(community_id, title=title, format=format, mode=mode, level=level,
                                       council_id=council_id, compound_id=compound_id, place=place)
    weekday = weekday if cadence == 'weekly' else None
    day_of_month = day_of_month if cadence == 'monthly' else None
    rules.occurrences(cadence, weekday=weekday, day_of_month=day_of_month, start_minute=start_minute, after=at,
                      count=1)  # refuses a bad cadence, day or time in words
    if not isinstance(duration_minutes, int) or not SHORTEST <= duration_minutes <= LONGEST:
        raise DomainError('bad_duration', '会议时长应在 15 分钟到 12 小时之间')
    async with in_transaction() as conn:
        series = await MeetingSeries.create(community_id=community_id, cadence=cadence, weekday=weekday,
                                            day_of_month=day_of_month, start_minute=start_minute,
                                            duration_minutes=duration_minutes, created_by_id=actor.account_id,
                                            created_at=at, using_db=conn, **shape)
        await audit.record('meeting.series_created', actor_id=actor.account_id, community_id=community_id,
                           target=series, data={'title': series.title, 'cadence': cadence,
                                                'when': rules.describe_series(cadence, weekday, day_of_month,
                                                                              start_minute)}, at=at, using_db=conn)
    await events.publish('meeting.series.updated', community_id=community_id, series_id=series.id)
    return series


async def stop_series(actor: Principal, series_id: int, *, at: datetime | None = None) -> MeetingSeries:
    """No more meetings are planned; those planned stay (cancel them one by one). Errors: not_found, forbidden."""
    series = await _series(series_id)
    accounts.require(actor, 'meeting.manage', series)
    if series.active:
        async with in_transaction() as conn:
            await MeetingSeries.filter(id=series.id).using_db(conn).update(active=False)
            await audit.record('meeting.series_stopped', actor_id=actor.account_id, community_id=series.community_id,
                               target=series, data={'title': series.title}, at=at, using_db=conn)
        series.active = False
        await events.publish('meeting.series.updated', community_id=series.community_id, series_id=series.id)
    return series


async def plan_series(actor: Principal, series_id: int, *, weeks_ahead: int = WEEKS_AHEAD,
                      at: datetime | None = None) -> list[Meeting]:
    """Staff make the series' meetings of the next weeks now (at least the next one). Returns the new meetings.

    Errors: not_found, forbidden, series_stopped.
    """
    series = await _series(series_id)
    accounts.require(actor, 'meeting.manage', series)
    if not series.active:
        raise DomainError('series_stopped', '这个例会已停止，不再安排新的会议')
    return await _plan(series, weeks_ahead=weeks_ahead, at=at or audit.now(), actor_id=actor.account_id)


async def plan_all(*, weeks_ahead: int = WEEKS_AHEAD, at: datetime | None = None) -> list[Meeting]:
    """Every active series planned ahead (a periodic task calls this). Returns the new meetings."""
    at = at or audit.now()
    made: list[Meeting] = []
    for series in await MeetingSeries.filter(active=True).order_by('id'):
        made += await _plan(series, weeks_ahead=weeks_ahead, at=at, actor_id=None)
    return made


async def tick(*, at: datetime | None = None) -> tuple[int, int]:
    """One round of the background work: plan every active series, send the day-before reminders.

    Returns (meetings planned, reminders sent).
    """
    at = at or audit.now()
    planned = await plan_all(at=at)
    return len(planned), await meetings.send_reminders(at=at)


async def keep_up(*, every: float = TICK_SECONDS) -> None:
    """Run `tick` forever (start it once per deployment, e.g. from the app's startup); a failure waits a round."""
    while True:
        try:
            await tick()
        except Exception:
            log.exception('planning meetings or sending reminders failed')
        await asyncio.sleep(every)


async def _plan(series: MeetingSeries, *, weeks_ahead: int, at: datetime, actor_id: int | None) -> list[Meeting]:
    horizon = at + timedelta(weeks=max(1, min(weeks_ahead, 26)))
    starts = rules.occurrences(series.cadence, weekday=series.weekday, day_of_month=series.day_of_month,
                               start_minute=series.start_minute, after=at, count=max(1, weeks_ahead) + 1)
    starts = [s for i, s in enumerate(starts) if i == 0 or s <= horizon]
    made: list[Meeting] = []
    async with in_transaction() as conn:
        # the row lock makes a second planner wait and then see these meetings (PostgreSQL; SQLite writes serially)
        await MeetingSeries.select_for_update().using_db(conn).get(id=series.id)
        have = {_day(s) for s in await Meeting.filter(series_id=series.id).using_db(conn)
                .values_list('starts_at', flat=True)}
        for start in starts:
            if _day(start) in have:
                continue
            meeting = await Meeting.create(
                community_id=series.community_id, series_id=series.id, title=series.title, format=series.format,
                mode=series.mode, regular=True, level=series.level, council_id=series.council_id,
                compound_id=series.compound_id, place=series.place, starts_at=start,
                ends_at=start + timedelta(minutes=series.duration_minutes), created_by_id=actor_id, created_at=at,
                updated_at=at, using_db=conn)
            await meetings.invite(meeting, [], notified_at=None, conn=conn)  # reminded the day before
            await audit.record('meeting.created', actor_id=actor_id, community_id=series.community_id,
                               target=meeting, data={'title': meeting.title, 'starts_at': start.isoformat(),
                                                     'series_id': series.id}, at=at, using_db=conn)
            have.add(_day(start))
            made.append(meeting)
    for meeting in made:
        await events.publish('meeting.created', community_id=series.community_id, meeting_id=meeting.id)
    return made


def _day(value: datetime) -> date:
    return value.astimezone(rules.LOCAL).date()


async def _series(series_id: int) -> MeetingSeries:
    series = await MeetingSeries.get_or_none(id=series_id)
    if series is None:
        raise DomainError('not_found', '找不到这个例会')
    return series
