"""Meetings for the demo community, made through the real services (after the demo issues exist).

- 小板凳、大民生：嘉明花园停车难 — held three days ago and closed; the broken-lamp issue was on its agenda too;
- 围楼夜话 tomorrow evening for 船柴小区;
- 嘉明花园周周碰 (weekly, 5+N council) and 船柴社区月月议 (monthly, the community's 4+N), planned ahead.

Idempotent: nothing is added when the community already has meetings or series. Check-ins, minutes and outcomes
are added by their own loaders, after this one.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from domain.meetings import LOCAL
from domain.permissions import Principal
from models import Account, Compound, Council, Issue, Meeting, MeetingSeries
from services import accounts, audit, meeting_series, meeting_views, meetings

LAMP = '3栋门口路灯坏了，晚上很黑'  # a demo issue (services.demo_issues), triaged for 嘉明花园议事会


async def load(community_id: int, *, at: datetime | None = None) -> int:
    """Schedule, hold and plan the demo meetings; returns how many meetings were added (0 on a second run)."""
    if await Meeting.filter(community_id=community_id).exists() \
            or await MeetingSeries.filter(community_id=community_id).exists():
        return 0
    now = at or audit.now()
    staff = await _staff(community_id)
    council = {c.compound_id: c for c in await Council.filter(community_id=community_id)}
    compound = dict(await Compound.filter(community_id=community_id).values_list('name', 'id'))
    jiaming, chuanchai = council[compound['嘉明花园']], council[compound['船柴小区']]
    lamp = await Issue.get_or_none(community_id=community_id, title=LAMP)
    made = [await _held(staff, community_id, jiaming, lamp, now)]
    tomorrow = _local(now, days=1, hour=19, minute=30)
    made.append(await meetings.create_meeting(
        staff, community_id, title='围楼夜话：船柴小区电动车充电', format='onsite', mode='offline', regular=False,
        level=chuanchai.level, council_id=chuanchai.id, place='船柴小区2栋楼下空地', starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=1), agenda_titles=['充电棚建在哪里', '充电费用怎么分摊'], at=now))
    weekly = await meeting_series.create_series(
        staff, community_id, title='嘉明花园周周碰', cadence='weekly', weekday=2, start_minute=19 * 60,
        duration_minutes=60, format='onsite', mode='offline', level=jiaming.level, council_id=jiaming.id,
        place='嘉明花园党群服务站', at=now)
    made += await meeting_series.plan_series(staff, weekly.id, at=now)
    community_council = council[None]
    monthly = await meeting_series.create_series(
        staff, community_id, title='船柴社区月月议', cadence='monthly', day_of_month=15, start_minute=9 * 60 + 30,
        duration_minutes=120, format='council', mode='both', level=community_council.level,
        council_id=community_council.id, place='船柴社区党群服务中心二楼会议室', at=now)
    made += await meeting_series.plan_series(staff, monthly.id, at=now)
    return len(made)


async def _held(staff: Principal, community_id: int, council: Council, lamp: Issue | None,
                now: datetime) -> Meeting:
    """Three days ago in the courtyard: scheduled two days before, opened on time, closed after ninety minutes."""
    starts = _local(now, days=-3, hour=19, minute=0)
    issue_ids = [lamp.id] if lamp is not None and meetings.agenda_ready(lamp) else []
    stakeholders = [s.resident_id for s in await meeting_views.suggest_stakeholders(staff, issue_ids)][:3]
    meeting = await meetings.create_meeting(
        staff, community_id, title='小板凳、大民生：嘉明花园停车难', format='onsite', mode='offline', regular=False,
        level=council.level, council_id=council.id, place='嘉明花园3栋楼下', starts_at=starts,
        ends_at=starts + timedelta(minutes=90), issue_ids=issue_ids,
        agenda_titles=['晚上车位不够，消防通道被占'], stakeholders=stakeholders, at=starts - timedelta(days=2))
    await meetings.start(staff, meeting.id, at=starts)
    return await meetings.close(staff, meeting.id, at=starts + timedelta(minutes=90))


def _local(now: datetime, *, days: int, hour: int, minute: int) -> datetime:
    day = now.astimezone(LOCAL).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), LOCAL)


async def _staff(community_id: int) -> Principal:
    account = await Account.filter(roles__community_id=community_id, roles__role='staff').order_by('id').first()
    return await accounts.principal(account.id)
