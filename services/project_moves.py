"""Moving a project along its lifecycle (domain.projects), on its timeline, with the issue it carries out kept in step.

`apply_move` works inside the caller's transaction (the rating service closes a round and moves the project in
one); `move` is the use case a page calls. The event 'project.moved' is published after the commit.
"""
from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from domain import lifecycle
from domain import projects as rules
from domain.errors import DomainError
from domain.permissions import Principal
from models import Issue, Milestone, Project, ProjectEvent
from services import audit, events
from services.issues import record_move

# project state → the state its issue moves to, when the issue's lifecycle has that edge from where it is
_ISSUE_FOLLOWS = {
    'preparing': 'in_progress',  # a new project: 办理中 from the day it is set up
    'underway': 'in_progress',
    'rating': 'rating',
    'rectifying': 'in_progress',
    'closed': 'closed',
}


async def move(actor: Principal, project_id: int, target: str, *, reason: str | None = None,
               at: datetime | None = None) -> Project:
    """Move a project (start, report done, cancel …), with who, when and why.

    Errors: not_found, illegal_transition, forbidden, reason_required, invalid_reason, changed_meanwhile,
    milestones_open (报告完工 while milestones of this round are not done).
    """
    at = at or audit.now()
    project = await get_project(project_id)
    reason = (reason or '').strip() or None
    if reason is not None and len(reason) > 500:
        raise DomainError('invalid_reason', '原因最多 500 字')
    if target == 'rating':
        rules.check_transition(project.state, target, roles=actor.roles_in(project.community_id), reason=reason)
        blocks = await finish_blocks(project)
        if blocks:
            raise blocks[0]
    async with in_transaction() as conn:
        await apply_move(project, target, roles=actor.roles_in(project.community_id), actor_id=actor.account_id,
                         reason=reason, at=at, conn=conn)
    await publish_moved(project)
    return project


async def apply_move(project: Project, target: str, *, roles: frozenset[str], actor_id: int | None,
                     reason: str | None, at: datetime, conn) -> None:
    """Check the edge, change the state (refused if someone moved it meanwhile), write timeline and audit, in `conn`."""
    rules.check_transition(project.state, target, roles=roles, reason=reason)
    stamps: dict[str, object] = {'state': target, 'state_reason': reason, 'updated_at': at}
    if target == 'underway' and project.started_at is None:
        stamps['started_at'] = at
    if target == 'rating':
        stamps['done_at'] = at
    if target in ('closed', 'cancelled'):
        stamps['closed_at'] = at
    changed = await Project.filter(id=project.id, state=project.state).using_db(conn).update(**stamps)
    if not changed:
        raise DomainError('changed_meanwhile', '这条记录刚被别人处理过，请刷新后再试')
    await ProjectEvent.create(project_id=project.id, at=at, actor_id=actor_id, from_state=project.state,
                              to_state=target, reason=reason, using_db=conn)
    await audit.record('project.moved', actor_id=actor_id, community_id=project.community_id, target=project,
                       data={'from': project.state, 'to': target, 'reason': reason}, at=at, using_db=conn)
    previous = project.state
    for name, value in stamps.items():
        setattr(project, name, value)
    await issue_follows(project, previous, actor_id=actor_id, reason=reason, at=at, conn=conn)
    if target == 'rating':  # reported done: the rating round of project.round opens with its invitations
        from services import ratings  # imported here: ratings closes rounds through apply_move
        await ratings.open_round(project, at=at, actor_id=actor_id, conn=conn)


async def publish_moved(project: Project) -> None:
    await events.publish('project.moved', community_id=project.community_id, project_id=project.id,
                         state=project.state)
    if project.state == 'rating':
        await events.publish('survey.opened', community_id=project.community_id, project_id=project.id,
                             round=project.round)


async def finish_blocks(project: Project) -> list[DomainError]:
    """What keeps a project from being reported done (→ rating): the milestones of this round not done yet.

    Nothing when the project is not where 报告完工 starts (the button is not offered there at all).
    """
    if project.state not in rules.FINISHING:
        return []
    titles = await Milestone.filter(project_id=project.id, round=project.round, done_at=None) \
        .order_by('position', 'id').values_list('title', flat=True)
    if not titles:
        return []
    return [DomainError('milestones_open', '还有 {n} 个计划节点没完成：{titles}', n=len(titles),
                        titles='、'.join(titles))]


async def get_project(project_id: int) -> Project:
    """The project, or DomainError 'not_found'."""
    project = await Project.get_or_none(id=project_id)
    if project is None:
        raise DomainError('not_found', '没有找到这个项目')
    return project


async def issue_follows(project: Project, previous: str | None, *, actor_id: int | None, reason: str | None,
                         at: datetime, conn) -> None:
    """The public issue a project carries out shows 办理中 / 评价中 / 已办结 with it (wishes keep their own flow)."""
    target = _ISSUE_FOLLOWS.get(project.state)
    if project.issue_id is None or target is None:
        return
    issue = await Issue.get_or_none(id=project.issue_id).using_db(conn)
    if issue is None or issue.kind != 'issue' or lifecycle.rule_for('issue', issue.state, target) is None:
        return
    changed = await Issue.filter(id=issue.id, state=issue.state).using_db(conn).update(state=target, updated_at=at)
    if changed:
        why = reason or (f'项目《{project.title}》{rules.label(previous)} → {rules.label(project.state)}' if previous
                         else f'已立项：《{project.title}》')
        await record_move(issue, issue.state, target, actor=actor_id, reason=why, at=at, conn=conn)
