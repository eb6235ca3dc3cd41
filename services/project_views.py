"""What the project screens read: a summary per project (the in-app page, the public board, the dashboard), and
the progress part of one project — milestones, reports with their photos, the timeline.

Phone numbers are masked unless the viewer may see them (`resident.phone`); the public board passes ANONYMOUS.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from domain import projects as rules
from domain.errors import DomainError
from domain.people import mask_phone
from domain.permissions import ANONYMOUS, Principal, can
from models import Issue, Milestone, Outcome, ProgressPhoto, ProgressUpdate, Project, ProjectEvent, Vote
from services import project_moves, project_sources, projects


@dataclass(frozen=True)
class ProjectSummary:
    id: int
    community_id: int
    community_name: str
    title: str
    summary: str
    origin: str
    origin_label: str
    decision: str  # the vote's title and verdict with its counts / the approved outcome / the wish's title
    state: str
    state_label: str
    status_label: str
    progress: int
    lead_org: str
    lead_person: str
    lead_phone: str  # masked unless the viewer may `resident.phone`
    site: str
    compound_name: str
    due_on: date | None
    created_at: datetime
    started_at: datetime | None
    done_at: datetime | None
    closed_at: datetime | None
    round: int


@dataclass(frozen=True)
class MilestoneView:
    id: int
    title: str
    due_on: date | None
    round: int
    rectification: bool  # a 整改 milestone
    done_at: datetime | None


@dataclass(frozen=True)
class PhotoView:
    phase: str  # before | during | after
    phase_label: str
    url: str  # /photos/<key>.jpg
    width: int
    height: int


@dataclass(frozen=True)
class UpdateView:
    id: int
    text: str
    progress: int | None
    status_label: str
    author: str
    created_at: datetime
    photos: tuple[PhotoView, ...]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    from_state: str | None
    to_state: str
    label: str
    reason: str


@dataclass(frozen=True)
class StatusChoice:
    id: int
    label: str
    progress: int


@dataclass(frozen=True)
class ProgressView:
    """The progress section of one project, as this viewer sees it."""
    summary: ProjectSummary
    milestones: tuple[MilestoneView, ...]
    updates: tuple[UpdateView, ...]
    timeline: tuple[TimelineEntry, ...]
    may_manage: bool  # staff controls (not on the public board)
    statuses: tuple[StatusChoice, ...]  # for staff: the stages to pick from
    moves: tuple[str, ...]  # the states this viewer may move the project to (domain.projects.allowed_next)
    finish_blocks: tuple[str, ...]  # why 报告完工 is not possible yet


async def project_summary(project_id: int, *, viewer: Principal = ANONYMOUS) -> ProjectSummary:
    """One project's summary. Error: not_found."""
    project = await Project.get_or_none(id=project_id).prefetch_related('community', 'compound', 'status')
    if project is None:
        raise DomainError('not_found', '没有找到这个项目')
    return (await _summaries([project], viewer))[0]


async def list_projects(community_id: int, *, states: Collection[str] | None = None,
                        viewer: Principal = ANONYMOUS) -> list[ProjectSummary]:
    """The community's projects, the newest first (in `states` when given); phones masked unless `viewer` may see."""
    query = Project.filter(community_id=community_id)
    if states is not None:
        query = query.filter(state__in=list(states))
    rows = await query.order_by('-created_at', '-id').prefetch_related('community', 'compound', 'status')
    return await _summaries(rows, viewer)


async def may_view(viewer: Principal, project_id: int) -> bool:
    """May this signed-in person open the in-app page of the project?"""
    community_id = await Project.filter(id=project_id).first().values_list('community_id', flat=True)
    return community_id is not None and can(viewer, 'project.view', community_id)


async def progress_view(viewer: Principal, project_id: int, *, public: bool = False) -> ProgressView:
    """Everything the progress section shows. In the app the viewer needs `project.view`. Error: not_found."""
    summary = await project_summary(project_id, viewer=viewer)
    if not public and not can(viewer, 'project.view', summary.community_id):
        raise DomainError('not_found', '没有找到这个项目')
    may_manage = not public and can(viewer, 'project.manage', summary.community_id)
    project = await Project.get(id=project_id)
    milestones = tuple(MilestoneView(m.id, m.title, m.due_on, m.round, m.rectification, m.done_at)
                       for m in await Milestone.filter(project_id=project_id).order_by('round', 'position', 'id'))
    statuses: tuple[StatusChoice, ...] = ()
    moves: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    if may_manage:
        statuses = tuple(StatusChoice(s.id, s.label, s.progress) for s in await projects.statuses(project.community_id))
    if not public:
        moves = tuple(str(s) for s in rules.allowed_next(project.state, viewer.roles_in(project.community_id)))
        blocks = tuple(e.message for e in await project_moves.finish_blocks(project))
    return ProgressView(summary, milestones, await _updates(project_id), await timeline(project_id),
                        may_manage, statuses, moves, blocks)


async def timeline(project_id: int) -> tuple[TimelineEntry, ...]:
    """Every move of the project, oldest first."""
    return tuple(TimelineEntry(e.at, e.from_state, e.to_state, rules.label(e.to_state), e.reason or '')
                 for e in await ProjectEvent.filter(project_id=project_id).order_by('at', 'id'))


# ---- helpers ----

async def _updates(project_id: int) -> tuple[UpdateView, ...]:
    rows = await ProgressUpdate.filter(project_id=project_id).order_by('-created_at', '-id') \
        .prefetch_related('status', 'author')
    pictures: dict[int, list[PhotoView]] = {}
    for photo in await ProgressPhoto.filter(update_id__in=[r.id for r in rows]).order_by('position', 'id'):
        pictures.setdefault(photo.update_id, []).append(PhotoView(
            photo.phase, rules.PHASES.get(photo.phase, photo.phase), f'/photos/{photo.key}.jpg', photo.width,
            photo.height))
    return tuple(UpdateView(r.id, r.text, r.progress, r.status.label if r.status else '',
                            r.author.name if r.author else '', r.created_at, tuple(pictures.get(r.id, ())))
                 for r in rows)


async def _summaries(rows: Iterable[Project], viewer: Principal) -> list[ProjectSummary]:
    rows = list(rows)
    decisions = await _decisions(rows)
    return [ProjectSummary(
        id=p.id, community_id=p.community_id, community_name=p.community.name, title=p.title, summary=p.summary,
        origin=p.origin, origin_label=rules.ORIGINS.get(p.origin, p.origin), decision=decisions.get(p.id, ''),
        state=p.state, state_label=rules.label(p.state), status_label=p.status.label if p.status else '',
        progress=p.progress, lead_org=p.lead_org, lead_person=p.lead_person,
        lead_phone=(p.lead_phone or '') if can(viewer, 'resident.phone', p.community_id) else mask_phone(p.lead_phone),
        site=p.site, compound_name=p.compound.name if p.compound else '', due_on=p.due_on, created_at=p.created_at,
        started_at=p.started_at, done_at=p.done_at, closed_at=p.closed_at, round=p.round) for p in rows]


async def _decisions(rows: list[Project]) -> dict[int, str]:
    """project id → the decision in words, in three queries whatever the number of projects."""
    votes = {v.id: v for v in await Vote.filter(id__in=[p.vote_id for p in rows if p.vote_id])}
    outcomes = {o.id: o for o in await Outcome.filter(id__in=[p.outcome_id for p in rows if p.outcome_id])
                .prefetch_related('item__meeting')}
    issues = dict(await Issue.filter(id__in=[p.issue_id for p in rows if p.issue_id]).values_list('id', 'title'))
    found: dict[int, str] = {}
    for p in rows:
        if p.origin == 'vote' and p.vote_id in votes:
            found[p.id] = project_sources.vote_decision(votes[p.vote_id])
        elif p.origin == 'outcome' and p.outcome_id in outcomes:
            outcome = outcomes[p.outcome_id]
            found[p.id] = f'{outcome.item.meeting.title}：{outcome.text}'
        elif p.issue_id in issues:
            found[p.id] = issues[p.issue_id]
    return found
