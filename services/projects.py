"""民事民办: a decision becomes a project (from a passed vote, a 会上议定 outcome or a claimed micro-wish), with its
details, milestones and status rows. Moves along the lifecycle are services.project_moves; progress reports with
photos are services.progress.

Every change is guarded by `can(actor, 'project.manage', project)`, made in one transaction with an audit entry,
and published after the commit ('project.created', 'project.updated').
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from domain import projects as rules
from domain.errors import DomainError
from domain.people import checked_text as _text
from domain.permissions import Principal, can
from models import Compound, Issue, Milestone, Project, ProjectEvent, ProjectStatus
from services import audit, events, project_moves, project_sources
from services.project_sources import Source


@dataclass(frozen=True)
class ProjectDraft:
    """What staff fill in when they set a project up or edit it; validated by `_clean`."""
    title: str
    lead_org: str
    summary: str = ''
    lead_person: str = ''
    lead_phone: str | None = None
    site: str = ''
    due_on: date | None = None
    compound_id: int | None = None


async def candidates(actor: Principal, community_id: int) -> list[Source]:
    """The sources staff can pick on /projects/new: ready and without a project yet (each has a `label`)."""
    if not can(actor, 'project.manage', community_id):
        return []
    return await project_sources.ready(community_id)


async def create_project(actor: Principal, *, origin: str, source_id: int, draft: ProjectDraft,
                         at: datetime | None = None) -> Project:
    """立项: the decision becomes a project in 筹备中; the issue it carries out shows 办理中 from now on.

    Errors: invalid_origin, not_found, vote_not_final, vote_not_passed, outcome_not_approved, outcome_not_decided,
    wish_not_claimed, forbidden, other_community, changed_meanwhile, already_a_project, invalid_title, invalid_summary,
    invalid_lead_org, invalid_lead_person, invalid_phone, invalid_site, invalid_due, invalid_place.
    """
    at = at or audit.now()
    source = await project_sources.source(origin, source_id)
    if not can(actor, 'project.manage', source.community_id):
        if actor.communities_with('project.manage'):
            raise DomainError('other_community', '只能为本社区的事项立项')
        raise DomainError('forbidden', '只有社区工作人员可以立项')
    if draft.compound_id is None:
        draft = replace(draft, compound_id=await _issue_compound(source))
    fields = await _clean(source.community_id, draft, today=at.date())
    await ensure_statuses(source.community_id)
    async with in_transaction() as conn:
        if not await project_sources.hold(origin, source_id, conn):
            raise DomainError('changed_meanwhile', '这条记录刚被别人处理过，请刷新后再试')
        if await project_sources.taken(origin, source_id, conn):
            raise DomainError('already_a_project', '这件事已经立项了，请在项目列表里找它')
        project = await Project.create(
            community_id=source.community_id, origin=origin, vote_id=source.id if origin == 'vote' else None,
            outcome_id=source.id if origin == 'outcome' else None, issue_id=source.issue_id, state='preparing',
            created_by_id=actor.account_id, created_at=at, updated_at=at, using_db=conn, **fields)
        await ProjectEvent.create(project_id=project.id, at=at, actor_id=actor.account_id, from_state=None,
                                  to_state='preparing', reason=source.label[:500], using_db=conn)
        await audit.record('project.created', actor_id=actor.account_id, community_id=project.community_id,
                           target=project, data={'origin': origin, 'source_id': source_id}, at=at, using_db=conn)
        issue_before = await _issue_state(project.issue_id, conn)
        await project_moves.issue_follows(project, None, actor_id=actor.account_id, reason=None, at=at, conn=conn)
        issue_after = await _issue_state(project.issue_id, conn)
    await events.publish('project.created', community_id=project.community_id, project_id=project.id)
    if issue_after != issue_before:
        await events.publish('issue.moved', community_id=project.community_id, issue_id=project.issue_id,
                             state=issue_after)
    return project


async def update_details(actor: Principal, project_id: int, draft: ProjectDraft, *,
                         at: datetime | None = None) -> Project:
    """Edit title, summary, lead organisation and contact, site, due date and compound.

    Errors: not_found, forbidden, project_closed, and the field errors of create_project.
    """
    at = at or audit.now()
    project = await _managed(actor, project_id)
    fields = await _clean(project.community_id, draft, today=None)
    async with in_transaction() as conn:
        await Project.filter(id=project.id).using_db(conn).update(updated_at=at, **fields)
        await audit.record('project.updated', actor_id=actor.account_id, community_id=project.community_id,
                           target=project, data={'fields': sorted(fields)}, at=at, using_db=conn)
    await _updated(project)
    return await Project.get(id=project.id)


async def add_milestone(actor: Principal, project_id: int, *, title: str, due_on: date | None = None,
                        at: datetime | None = None) -> Milestone:
    """A step of the plan for this round; while 整改中 it is marked as a 整改 milestone.

    Errors: not_found, forbidden, project_closed, invalid_milestone, invalid_due.
    """
    at = at or audit.now()
    project = await _managed(actor, project_id)
    title = _text(title, rules.MAX_MILESTONE, 'invalid_milestone', '计划节点')
    if len(title) < 2:
        raise DomainError('invalid_milestone', '请写清楚这一步做什么（至少 2 个字）')
    _check_due(due_on)
    async with in_transaction() as conn:
        last = await Milestone.filter(project_id=project.id).using_db(conn).annotate(top=Max('position')) \
            .first().values_list('top', flat=True)
        milestone = await Milestone.create(project_id=project.id, title=title, due_on=due_on, round=project.round,
                                           rectification=project.state == 'rectifying', position=(last or 0) + 1,
                                           created_at=at, using_db=conn)
        await audit.record('project.milestone.added', actor_id=actor.account_id, community_id=project.community_id,
                           target=milestone, data={'project_id': project.id, 'title': title}, at=at, using_db=conn)
    await _updated(project)
    return milestone


async def complete_milestone(actor: Principal, milestone_id: int, *, at: datetime | None = None) -> Milestone:
    """Mark a milestone done; done twice is done once (the first time and person are kept).

    Errors: not_found, forbidden, project_closed.
    """
    at = at or audit.now()
    milestone = await Milestone.get_or_none(id=milestone_id)
    if milestone is None:
        raise DomainError('not_found', '找不到这个计划节点')
    project = await _managed(actor, milestone.project_id)
    async with in_transaction() as conn:
        changed = await Milestone.filter(id=milestone.id, done_at=None).using_db(conn) \
            .update(done_at=at, done_by_id=actor.account_id)
        if changed:
            await audit.record('project.milestone.done', actor_id=actor.account_id,
                               community_id=project.community_id, target=milestone,
                               data={'project_id': project.id}, at=at, using_db=conn)
    if changed:
        await _updated(project)
    return await Milestone.get(id=milestone.id)


async def statuses(community_id: int) -> list[ProjectStatus]:
    """The community's status rows in order (the defaults are made on first use)."""
    await ensure_statuses(community_id)
    return await ProjectStatus.filter(community_id=community_id).order_by('position', 'id')


async def ensure_statuses(community_id: int) -> None:
    """Give the community the default status rows (domain.projects.DEFAULT_STATUSES) the first time."""
    if await ProjectStatus.filter(community_id=community_id).exists():
        return
    for position, spec in enumerate(rules.DEFAULT_STATUSES):
        try:
            await ProjectStatus.create(community_id=community_id, key=spec.key, label=spec.label,
                                       progress=spec.progress, position=position)
        except IntegrityError:  # another request made the same row a moment ago
            continue


async def add_status(actor: Principal, community_id: int, *, label: str, progress: int,
                     at: datetime | None = None) -> ProjectStatus:
    """A stage of the staff's own (e.g. 公示方案) with the progress it shows, after the existing ones.

    Errors: forbidden, invalid_status, status_exists, invalid_progress.
    """
    at = at or audit.now()
    if not can(actor, 'project.manage', community_id):
        raise DomainError('forbidden', '只有社区工作人员可以修改项目')
    label = _text(label, rules.MAX_STATUS_LABEL, 'invalid_status', '阶段名称')
    if not label:
        raise DomainError('invalid_status', '请填写阶段名称')
    progress = rules.check_progress(progress)
    rows = await statuses(community_id)
    if any(row.label == label for row in rows):
        raise DomainError('status_exists', '已经有“{label}”这个阶段了', label=label)
    async with in_transaction() as conn:
        status = await ProjectStatus.create(community_id=community_id, key=f'own{len(rows) + 1}', label=label,
                                            progress=progress, position=max((r.position for r in rows), default=0) + 1,
                                            using_db=conn)
        await audit.record('project.status.added', actor_id=actor.account_id, community_id=community_id,
                           target=status, data={'label': label, 'progress': progress}, at=at, using_db=conn)
    return status


async def set_status(actor: Principal, project_id: int, status_id: int, *, progress: int | None = None,
                     at: datetime | None = None) -> Project:
    """Put the project at a stage; its progress follows the stage's unless `progress` is given.

    Errors: not_found, forbidden, project_closed, invalid_status, invalid_progress.
    """
    at = at or audit.now()
    project = await _managed(actor, project_id)
    status = await status_of(project.community_id, status_id)
    value = rules.check_progress(progress) if progress is not None else status.progress
    async with in_transaction() as conn:
        await Project.filter(id=project.id).using_db(conn).update(status_id=status.id, progress=value, updated_at=at)
        await audit.record('project.status.set', actor_id=actor.account_id, community_id=project.community_id,
                           target=project, data={'status': status.key, 'progress': value}, at=at, using_db=conn)
    await _updated(project)
    return await Project.get(id=project.id)


async def why_cannot_finish(project: Project) -> list[str]:
    """Why 报告完工 is not possible yet (open milestones of this round); nothing when the state is wrong anyway."""
    return [e.message for e in await project_moves.finish_blocks(project)]


async def status_of(community_id: int, status_id: int | None) -> ProjectStatus:
    """A status row of this community. Error: invalid_status."""
    status = await ProjectStatus.get_or_none(id=status_id, community_id=community_id) if status_id else None
    if status is None:
        raise DomainError('invalid_status', '请选择本社区的项目阶段')
    return status


async def managed(actor: Principal, project_id: int) -> Project:
    """The project, if it is still open and the actor may manage it. Errors: not_found, forbidden, project_closed."""
    return await _managed(actor, project_id)


# ---- helpers ----

async def _managed(actor: Principal, project_id: int) -> Project:
    project = await project_moves.get_project(project_id)
    if not can(actor, 'project.manage', project):
        raise DomainError('forbidden', '只有社区工作人员可以修改项目')
    if not rules.is_open(project.state):
        raise DomainError('project_closed', '项目已{state}，不能再修改', state=rules.label(project.state))
    return project


async def _clean(community_id: int, draft: ProjectDraft, *, today: date | None) -> dict:
    title = _text(draft.title, rules.MAX_TITLE, 'invalid_title', '项目名称')
    if len(title) < 2:
        raise DomainError('invalid_title', '请填写项目名称（至少 2 个字）')
    lead_org = _text(draft.lead_org, rules.MAX_ORG, 'invalid_lead_org', '牵头单位')
    if not lead_org:
        raise DomainError('invalid_lead_org', '请填写牵头单位')
    if draft.due_on is not None:
        _check_due(draft.due_on, today=today)
    compound_id = draft.compound_id
    if compound_id is not None and not await Compound.exists(id=compound_id, community_id=community_id):
        raise DomainError('invalid_place', '请选择本社区的小区')
    return dict(title=title, summary=_text(draft.summary, rules.MAX_SUMMARY, 'invalid_summary', '项目简介'),
                lead_org=lead_org, lead_person=_text(draft.lead_person, rules.MAX_PERSON, 'invalid_lead_person',
                                                     '负责人'),
                lead_phone=rules.check_lead_phone(draft.lead_phone),
                site=_text(draft.site, rules.MAX_SITE, 'invalid_site', '施工地点'), due_on=draft.due_on,
                compound_id=compound_id)


def _check_due(due_on: object, *, today: date | None = None) -> None:
    """A date, not an absurd one; a new project's planned completion is not in the past."""
    if due_on is None:
        return
    if not isinstance(due_on, date) or isinstance(due_on, datetime) or not 2000 <= due_on.year <= 2100:
        raise DomainError('invalid_due', '请选择一个日期')
    if today is not None and due_on < today:
        raise DomainError('invalid_due', '计划完工日期不能早于今天')


async def _issue_compound(source: Source) -> int | None:
    if source.compound_id is not None or source.issue_id is None:
        return source.compound_id
    return await Issue.filter(id=source.issue_id).first().values_list('compound_id', flat=True)


async def _issue_state(issue_id: int | None, conn) -> str | None:
    if issue_id is None:
        return None
    return await Issue.filter(id=issue_id).using_db(conn).first().values_list('state', flat=True)


async def _updated(project: Project) -> None:
    await events.publish('project.updated', community_id=project.community_id, project_id=project.id)

