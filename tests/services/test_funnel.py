"""The funnel service on a real database: issues moved through services.issues, projects' timelines, filters."""
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from domain.errors import DomainError
from models import Compound, IssueEvent, ProjectEvent
from services import funnel, issues
from services.funnel import Filters
from services.issues import Draft
from tests.support import make_account, make_community, make_project, principal_of

T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
PATH = ('accepted', 'triaged', 'deliberating', 'reviewed', 'decided', 'published')


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


async def raise_issue(staff, community, title: str, *, compound=None, at: datetime = T0, kind: str = 'issue'):
    draft = Draft(kind=kind, title=title, body='', category='lighting',
                  compound_id=compound.id if compound else None)
    return await issues.record_for_resident(staff, community.id, draft, channel='phone', author_name='来电居民', at=at)


async def walk(staff, item, states, *, start: float = 1) -> None:
    for n, state in enumerate(states):
        await issues.move(staff, item.id, state, at=day(start + n))


@pytest.fixture
async def world(db):
    community = await make_community()
    garden = await Compound.create(community=community, name='嘉明花园')
    peach = await Compound.create(community=community, name='桃花苑')
    staff = await principal_of(await make_account(community, 'staff', 'committee', name='李敏'))
    lamp = await raise_issue(staff, community, '3栋门口路灯坏了', compound=garden)
    await walk(staff, lamp, PATH)  # triaged day 2, reviewed day 4, published day 6
    project = await make_project(community, issue=lamp, compound=garden, state='closed')
    for at, before, after in ((8, 'underway', 'rating'), (9, 'rating', 'rectifying'), (10, 'rectifying', 'rating'),
                              (12, 'rating', 'closed')):
        await ProjectEvent.create(project=project, at=day(at), from_state=before, to_state=after)
    rubbish = await raise_issue(staff, community, '垃圾桶满了', compound=peach, at=day(1))
    await walk(staff, rubbish, ('accepted', 'triaged', 'referred'), start=2)  # triaged day 3
    await issues.move(staff, rubbish.id, 'closed', reason='街道已答复', at=day(20))  # not rated
    later = await raise_issue(staff, community, '单元门禁坏了', at=datetime(2026, 11, 3, tzinfo=UTC))
    wish = await raise_issue(staff, community, '想请人帮忙修轮椅', kind='wish', at=day(0))
    for at, before, after in ((1, 'submitted', 'open'), (2, 'open', 'claimed'), (4, 'claimed', 'fulfilled'),
                              (5, 'fulfilled', 'confirmed')):
        await IssueEvent.create(issue=wish, at=day(at), from_state=before, to_state=after)
    other = await make_community(name='桃园社区')
    other_staff = await principal_of(await make_account(other, 'staff', name='别人'))
    await raise_issue(other_staff, other, '别的社区的事')
    return {'community': community, 'garden': garden, 'peach': peach, 'staff': staff, 'later': later}


async def test_the_community_funnel_counts_each_step_from_issue_and_project_timelines(world) -> None:
    result = await funnel.dashboard(world['staff'], world['community'].id)
    assert result.issues.total.counts == [3, 2, 1, 1, 1]
    steps = result.issues.total.steps
    assert steps[0].days == Fraction(2 + 2, 2)  # lamp 0→2, rubbish 1→3
    assert steps[2].days == 4  # reviewed day 4 → the project first reported done on day 8
    assert steps[3].days == 4  # done day 8 → closed after the passed second round on day 12
    assert result.wishes.total.counts == [1, 1, 1, 1, 1]
    assert [s.skipped for s in result.wishes.total.steps] == [0, 1, 1, 0, 0]


async def test_groups_by_compound_name_the_unplaced_ones_and_by_month(world) -> None:
    result = await funnel.dashboard(world['staff'], world['community'].id)
    by_compound = {result.compound_name(k): v.counts for k, v in result.issues.by_compound.items()}
    assert by_compound == {'嘉明花园': [1, 1, 1, 1, 1], '桃花苑': [1, 1, 0, 0, 0], '未分小区': [1, 0, 0, 0, 0]}
    assert {k: v.items for k, v in result.issues.by_month.items()} == {'2026-10': 2, '2026-11': 1}


async def test_filters_by_compound_and_by_months_of_raising(world) -> None:
    only_peach = await funnel.dashboard(world['staff'], world['community'].id, Filters(compound_id=world['peach'].id))
    assert only_peach.issues.total.counts == [1, 1, 0, 0, 0] and only_peach.wishes.total.items == 0
    november = await funnel.dashboard(world['staff'], world['community'].id,
                                      Filters(since=date(2026, 11, 1), until=date(2026, 11, 30)))
    assert november.issues.total.items == 1 and list(november.issues.by_month) == ['2026-11']
    october = await funnel.dashboard(world['staff'], world['community'].id, Filters(until=date(2026, 10, 15)))
    assert october.issues.total.counts == [2, 2, 1, 1, 1]


async def test_months_the_wrong_way_round_are_refused(world) -> None:
    with pytest.raises(DomainError) as refused:
        await funnel.dashboard(world['staff'], world['community'].id,
                               Filters(since=date(2026, 11, 1), until=date(2026, 10, 1)))
    assert refused.value.code == 'invalid_months'


async def test_a_resident_may_not_read_the_dashboard(world) -> None:
    volunteer = await principal_of(await make_account(world['community'], 'volunteer', name='志愿者'))
    with pytest.raises(DomainError) as refused:
        await funnel.dashboard(volunteer, world['community'].id)
    assert refused.value.code == 'forbidden'


async def test_open_dashboards_share_one_count_until_the_data_changes_and_never_show_an_old_one(world) -> None:
    import asyncio
    first, second = await asyncio.gather(funnel.dashboard(world['staff'], world['community'].id),
                                         funnel.dashboard(world['staff'], world['community'].id))
    assert first is second  # two screens redrawing for the same event: one load, one count
    before = first.issues.total.counts[1]
    await issues.move(world['staff'], world['later'].id, 'accepted', at=day(40))
    await issues.move(world['staff'], world['later'].id, 'triaged', at=day(41))
    after = await funnel.dashboard(world['staff'], world['community'].id)
    assert after is not first and after.issues.total.counts[1] == before + 1
