"""The public board (公开栏): what anyone may read about a community's projects, without signing in.

Everything here is public by construction: phones are always masked (whoever looks), no rater's or pledger's name
is read at all. The community board gathers its data with one query per kind (projects, closed rating rounds, money
totals), never one per project.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import money as money_rules
from domain import projects as rules
from domain import satisfaction
from domain.errors import DomainError
from domain.meetings import LOCAL
from domain.permissions import ANONYMOUS, Principal, can
from models import Community, Project, Survey
from services import audit, budget, events, project_views
from services.project_moves import get_project


@dataclass(frozen=True)
class RoundLine:
    """A closed rating round as the board shows it (its counts frozen at close)."""
    round: int
    counts: satisfaction.Counts
    rate: Fraction | None
    threshold: int
    verdict: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class MoneyLine:
    budget: Decimal
    spent: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class BoardLine:
    """One project on the community's board."""
    id: int
    title: str
    site: str
    lead_org: str
    state: str
    state_label: str
    status_label: str
    progress: int
    created_at: datetime
    money: MoneyLine  # all zero when nothing was budgeted or spent
    rating: RoundLine | None  # the last closed round


@dataclass(frozen=True)
class CommunityBoard:
    community_id: int
    community_name: str
    projects: list[BoardLine]
    budget: Decimal  # over the projects shown
    spent: Decimal
    allowance: money_rules.AllowanceUse  # this year's 惠民资金: the allowance, committed to projects, spent


@dataclass(frozen=True)
class ProjectBoard:
    """The header of one project's board: its summary as a stranger sees it, and what only the board adds."""
    summary: project_views.ProjectSummary  # read as ANONYMOUS: the lead's phone is masked whoever looks
    cancel_reason: str | None
    qr_version: int  # the current site poster's version; an older one scanned is said to be replaced

    @property
    def rating_open(self) -> bool:
        return self.summary.state in rules.RATING_OPEN


async def project_board(project_id: int) -> ProjectBoard:
    """The public header of a project (any state). Errors: not_found."""
    summary = await project_views.project_summary(project_id, viewer=ANONYMOUS)
    row = await Project.filter(id=project_id).first().values_list('state_reason', 'qr_version')
    if row is None:  # deleted between the two reads
        raise DomainError('not_found', '没有找到这个项目')
    reason, version = row
    return ProjectBoard(summary=summary, qr_version=version,
                        cancel_reason=reason if summary.state == rules.ProjectState.CANCELLED else None)


async def community_board(community_id: int, *, year: int | None = None) -> CommunityBoard:
    """Every project of the community that was not cancelled, newest first, with money and satisfaction, and how
    much of the year's 惠民资金 (this year unless told) is committed.

    Errors: not_found.
    """
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '没有找到这个社区')
    projects = await Project.filter(community_id=community_id).exclude(state=rules.ProjectState.CANCELLED) \
        .select_related('status').order_by('-created_at', '-id')
    ids = [p.id for p in projects]
    money = await money_lines(ids)
    rounds = await last_closed_rounds(ids)
    lines = [BoardLine(id=p.id, title=p.title, site=p.site, lead_org=p.lead_org, state=p.state,
                       state_label=rules.label(p.state), status_label=p.status.label if p.status else '',
                       progress=p.progress, created_at=p.created_at, money=money[p.id],
                       rating=rounds.get(p.id)) for p in projects]
    return CommunityBoard(community_id=community.id, community_name=community.name, projects=lines,
                          budget=sum((line.money.budget for line in lines), money_rules.ZERO),
                          spent=sum((line.money.spent for line in lines), money_rules.ZERO),
                          allowance=await budget.community_money(community.id,
                                                                 year or audit.now().astimezone(LOCAL).year))


async def last_closed_rounds(project_ids: Collection[int]) -> dict[int, RoundLine]:
    """The latest closed rating round of each project (one query), from the counts frozen when it closed."""
    if not project_ids:
        return {}
    surveys = await Survey.filter(project_id__in=list(project_ids), closed_at__isnull=False).order_by('round')
    found: dict[int, RoundLine] = {}
    for survey in surveys:  # ordered by round: the last one wins
        counts = satisfaction.Counts(survey.satisfied, survey.fair, survey.unsatisfied)
        found[survey.project_id] = RoundLine(round=survey.round, counts=counts, rate=satisfaction.rate(counts),
                                             threshold=survey.threshold, verdict=survey.verdict,
                                             closed_at=survey.closed_at)
    return found


async def revoke_poster(actor: Principal, project_id: int, *, at: datetime | None = None) -> int:
    """Retire every printed site poster of the project (a new one must be printed); returns the new version.

    A scanned old poster still opens the board (it is public anyway) but says that the poster was replaced.
    Errors: not_found, forbidden.
    """
    project = await get_project(project_id)
    if not can(actor, 'project.manage', project):
        raise DomainError('forbidden', '没有权限')
    async with in_transaction() as conn:
        await Project.filter(id=project.id).using_db(conn).update(qr_version=F('qr_version') + 1)
        await audit.record('project.poster.revoked', actor_id=actor.account_id, community_id=project.community_id,
                           target=project, data={'was': project.qr_version}, at=at, using_db=conn)
    await project.refresh_from_db(fields=['qr_version'])
    await events.publish('project.updated', community_id=project.community_id, project_id=project.id)
    return project.qr_version


async def money_lines(project_ids: Collection[int]) -> dict[int, MoneyLine]:
    """Budget, spent and remaining per project (services.budget.money_totals: one query per kind)."""
    totals = await budget.money_totals(project_ids)
    return {pid: MoneyLine(budget=m.budget, spent=m.spent, remaining=m.remaining) for pid, m in totals.items()}

