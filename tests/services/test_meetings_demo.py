"""The demo's meetings: a closed 小板凳 meeting with a demo issue on its agenda, one tomorrow evening, a 周周碰 for
嘉明花园 and a 月月议 for the community council — made through the services, and only once."""
from datetime import UTC, datetime, timedelta

from domain.meetings import LOCAL
from domain.permissions import ANONYMOUS
from models import Invitation, Issue, IssueEvent, Meeting, MeetingSeries
from services import demo, meeting_views

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


async def test_the_demo_has_a_held_meeting_one_tomorrow_and_two_series_and_loads_them_once(db) -> None:
    report = await demo.load(at=AT)
    assert report.added['meetings'] >= 4
    held = await Meeting.get(title='小板凳、大民生：嘉明花园停车难').prefetch_related('council')
    assert (held.state, held.council.name, held.closed_at is not None) == ('closed', '嘉明花园议事会', True)
    detail = await meeting_views.detail(held.id)
    lamp = await Issue.get(title='3栋门口路灯坏了，晚上很黑')
    assert lamp.id in [line.issue_id for line in detail.agenda] and lamp.state == 'deliberating'
    assert await IssueEvent.filter(issue_id=lamp.id, to_state='deliberating', reason__contains='停车难').exists()
    assert {g.kind for g in detail.invitees} >= {'owners_committee', 'property_company', 'stakeholder'}
    upcoming = await meeting_views.upcoming(ANONYMOUS, report.community_id, at=AT)
    tomorrow = (AT.astimezone(LOCAL) + timedelta(days=1)).date()
    assert any(c.title == '围楼夜话：船柴小区电动车充电' and c.starts_at.astimezone(LOCAL).date() == tomorrow
               for c in upcoming)
    series = {s.title: s for s in await MeetingSeries.all().prefetch_related('council')}
    assert (series['嘉明花园周周碰'].cadence, series['嘉明花园周周碰'].council.level) == ('weekly', 'compound_city')
    assert (series['船柴社区月月议'].cadence, series['船柴社区月月议'].council.level) == ('monthly', 'community')
    weekly = await Meeting.filter(series_id=series['嘉明花园周周碰'].id).first()
    assert weekly.regular and await Invitation.filter(meeting_id=weekly.id).count() >= 5
    before = await Meeting.all().count()
    again = await demo.load(at=AT)
    assert again.added['meetings'] == 0 and await Meeting.all().count() == before
