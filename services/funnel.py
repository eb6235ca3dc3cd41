"""The 五民 funnel of a community: loads every item's timeline in four queries and leaves the maths to domain.funnel."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from domain import funnel as rules
from domain.errors import DomainError
from domain.meetings import LOCAL
from domain.permissions import Principal
from models import Compound, Issue, IssueEvent, Project, ProjectEvent
from services import accounts

NO_COMPOUND = '未分小区'


@dataclass(frozen=True)
class Filters:
    """Which items: one compound (or all), raised in the months from `since` to `until` (first days, inclusive)."""
    compound_id: int | None = None
    since: date | None = None  # the first day of a month
    until: date | None = None  # any day of the last month


@dataclass(frozen=True)
class Dashboard:
    """Public issues and micro-wishes as two series, with the names of the community's compounds."""
    issues: rules.Funnel
    wishes: rules.Funnel
    compounds: dict[int, str]

    def compound_name(self, compound_id: int | None) -> str:
        return self.compounds.get(compound_id, NO_COMPOUND) if compound_id is not None else NO_COMPOUND


async def compounds(community_id: int) -> dict[int, str]:
    rows = await Compound.filter(community_id=community_id).order_by('name').values_list('id', 'name')
    return dict(rows)


async def dashboard(user: Principal, community_id: int, filters: Filters = Filters()) -> Dashboard:
    """The funnel of the community's issues and micro-wishes raised in the chosen months and compound.

    Every screen showing the same community and filters shares one computation while the data stays the same: a
    change publishes an event, each open dashboard redraws, and only the first of them loads and counts (with 5,000
    issues that is most of a second of the server's one event loop).
    Errors: forbidden, invalid_months.
    """
    accounts.require(user, 'dashboard.view', community_id)
    scope = _scope(community_id, filters)
    key = (asyncio.get_running_loop(), community_id, filters)
    version = await _version(community_id)
    shared = _shared.get(key)
    if shared is None or shared[0] != version or (shared[1].done() and shared[1].exception() is not None):
        shared = (version, asyncio.ensure_future(_load(community_id, scope)))
        _shared[key] = shared
        for stale in [k for k in _shared if k[0] is not key[0]]:  # another event loop's (a finished test's)
            del _shared[stale]
    return await asyncio.shield(shared[1])


_shared: dict[tuple, tuple[tuple, asyncio.Future]] = {}  # (loop, community, filters) → (data version, result)


async def _version(community_id: int) -> tuple:
    """What changes whenever anything the funnel counts changes: the newest issue, move, project and project move."""
    async def newest(query) -> tuple:
        return tuple(await query.order_by('-id').limit(1).values_list('id', flat=True))
    issue = await Issue.filter(community_id=community_id).order_by('-updated_at', '-id').limit(1) \
        .values_list('id', 'updated_at')
    return (tuple(issue), await Issue.filter(community_id=community_id).count(),
            await newest(IssueEvent.filter(issue__community_id=community_id)),
            await newest(Project.filter(community_id=community_id)),
            await newest(ProjectEvent.filter(project__community_id=community_id)))


async def _load(community_id: int, scope: dict) -> Dashboard:
    items = await Issue.filter(**scope).values('id', 'kind', 'compound_id', 'created_at')
    moves: dict[int, list[rules.Move]] = defaultdict(list)
    for row in await IssueEvent.filter(**_through('issue', scope)).values('issue_id', 'at', 'from_state', 'to_state'):
        moves[row['issue_id']].append(rules.Move(row['at'], row['from_state'], row['to_state']))
    carried = dict(await Project.filter(**_through('issue', scope)).values_list('id', 'issue_id'))
    project_moves: dict[int, list[rules.Move]] = defaultdict(list)
    for row in await ProjectEvent.filter(**_through('project__issue', scope)) \
            .values('project_id', 'at', 'from_state', 'to_state'):
        project_moves[carried[row['project_id']]].append(rules.Move(row['at'], row['from_state'], row['to_state']))
    timelines = [rules.Timeline(row['id'], row['kind'], row['compound_id'], row['created_at'],
                                tuple(moves[row['id']]), tuple(project_moves[row['id']])) for row in items]
    return Dashboard(rules.funnel(t for t in timelines if t.kind == 'issue'),
                     rules.funnel(t for t in timelines if t.kind == 'wish'),
                     await compounds(community_id))


def month_start(value: date) -> date:
    return value.replace(day=1)


def _scope(community_id: int, filters: Filters) -> dict:
    scope: dict = {'community_id': community_id, 'kind__in': ('issue', 'wish')}
    if filters.compound_id is not None:
        scope['compound_id'] = filters.compound_id
    if filters.since is not None and filters.until is not None and month_start(filters.until) < \
            month_start(filters.since):
        raise DomainError('invalid_months', '结束月份不能早于开始月份')
    if filters.since is not None:
        scope['created_at__gte'] = _local_midnight(month_start(filters.since))
    if filters.until is not None:
        last = month_start(filters.until)
        following = date(last.year + last.month // 12, last.month % 12 + 1, 1)
        scope['created_at__lt'] = _local_midnight(following)
    return scope


def _through(relation: str, scope: dict) -> dict:
    return {f'{relation}__{name}': value for name, value in scope.items()}


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL).astimezone(UTC)
