"""线上议事厅 (指尖上的协商): a live thread per public issue where residents post views and proposals (方案).

One level of replies: a reply to a reply attaches to the top-level post. Proposals are top-level posts their author
(or staff) marks; they come first, newest first (domain.hall explains the 金字塔 rule). Staff hide a post with a
reason: everyone then reads 此条已被隐藏：{reason}, and only hall.moderate holders still read its text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import hall as rules
from domain import lifecycle
from domain.errors import DomainError
from domain.permissions import Principal, can
from models import Account, HallPost, Issue, Notification, Resident, ResidentTag
from services import accounts, audit, events, issue_views

STAFF_ROLES = frozenset(rules.STAFF_LABELS)


@dataclass(frozen=True)
class PostView:
    id: int
    author_name: str
    body: str  # '' when hidden and the viewer may not moderate
    created_at: datetime
    proposal: bool
    backbone: bool  # the author is a resident tagged 居民骨干
    own: bool
    hidden: bool
    hidden_reason: str
    may_mark: bool
    may_hide: bool
    may_reply: bool
    replies: list[PostView] = field(default_factory=list)


@dataclass(frozen=True)
class Thread:
    issue_id: int
    community_id: int
    title: str
    state_label: str
    count: int  # posts not hidden, replies included
    proposals: list[PostView]
    posts: list[PostView]  # the other top-level posts in time order
    may_post: bool
    why_not: DomainError | None  # why this viewer may not post (closed, merged, not verified …)
    merged_into: int | None = None


async def post(actor: Principal, issue_id: int, body: str, *, proposal: bool = False, parent_id: int | None = None,
               nonce: str | None = None, at: datetime | None = None) -> HallPost:
    """发表 a post or a reply; the same (author, nonce) again returns the first post and changes nothing.

    Errors: bad_nonce, not_found, forbidden, not_verified, hall_merged, hall_closed, invalid_body, invalid_parent,
    reply_not_proposal.
    """
    nonce = rules.check_nonce(nonce)
    if nonce is not None and actor.account_id is not None:
        first = await HallPost.get_or_none(author_id=actor.account_id, nonce=nonce)
        if first is not None:
            return first
    issue = await _issue(actor, issue_id)
    await _check_may_post(actor, issue)
    text = rules.check_body(body)
    if parent_id is not None:
        if proposal:
            raise DomainError('reply_not_proposal', '回复不能作为方案，请单独发表您的方案')
        parent_id = await _top_level(issue.id, parent_id)
    name = await _author_name(actor, issue.community_id)
    at = at or audit.now()
    try:
        async with in_transaction() as conn:
            row = await HallPost.create(issue_id=issue.id, author_id=actor.account_id, author_name=name,
                                        parent_id=parent_id, body=text, proposal=bool(proposal), nonce=nonce,
                                        created_at=at, using_db=conn)
    except IntegrityError:  # the same message sent twice at the same moment (a double tap, a retry)
        first = await HallPost.get_or_none(author_id=actor.account_id, nonce=nonce) if nonce else None
        if first is None:
            raise
        return first
    await events.publish('hall.post.created', community_id=issue.community_id, issue_id=issue.id, post_id=row.id)
    return row


async def mark_proposal(actor: Principal, post_id: int, on: bool, *, at: datetime | None = None) -> HallPost:
    """Mark (or unmark) a top-level post as a proposal: its author, or staff (domain.hall.may_mark).

    Errors: not_found, forbidden, hall_merged, hall_closed.
    """
    row, issue = await _post(actor, post_id)
    moderator = can(actor, 'hall.moderate', issue)
    if not rules.may_mark(own=row.author_id == actor.account_id, moderator=moderator,
                          top_level=row.parent_id is None, hidden=row.hidden_at is not None):
        raise DomainError('forbidden', '只有发言人自己或社区工作者可以把发言标为方案')
    await _check_open(issue)
    if row.proposal != bool(on):
        async with in_transaction() as conn:
            await HallPost.filter(id=row.id).using_db(conn).update(proposal=bool(on))
            await audit.record('hall.post.marked', actor_id=actor.account_id, community_id=issue.community_id,
                               target=row, data={'issue_id': issue.id, 'proposal': bool(on)}, at=at or audit.now(),
                               using_db=conn)
        await events.publish('hall.post.marked', community_id=issue.community_id, issue_id=issue.id, post_id=row.id)
    return await HallPost.get(id=row.id)


async def hide(actor: Principal, post_id: int, reason: str, *, at: datetime | None = None) -> HallPost:
    """隐藏 a post with a reason the author is told; hiding a hidden post changes nothing.

    Errors: not_found, forbidden, reason_required, invalid_reason.
    """
    row, issue = await _post(actor, post_id)
    accounts.require(actor, 'hall.moderate', issue)
    why = rules.check_reason(reason)
    if row.hidden_at is not None:
        return row
    at = at or audit.now()
    async with in_transaction() as conn:
        changed = await HallPost.filter(id=row.id, hidden_at=None).using_db(conn) \
            .update(hidden_at=at, hidden_by_id=actor.account_id, hidden_reason=why)
        if not changed:  # hidden by a colleague at the same moment
            return await HallPost.get(id=row.id)
        await audit.record('hall.post.hidden', actor_id=actor.account_id, community_id=issue.community_id,
                           target=row, data={'issue_id': issue.id, 'reason': why}, at=at, using_db=conn)
        if row.author_id != actor.account_id:
            await Notification.create(account_id=row.author_id, at=at, issue_id=issue.id, using_db=conn,
                                      text=f'您在《{issue.title}》议事厅的发言已被隐藏：{why}'[:200])
    await events.publish('hall.post.hidden', community_id=issue.community_id, issue_id=issue.id, post_id=row.id)
    return await HallPost.get(id=row.id)


async def thread(user: Principal, issue_id: int) -> Thread:
    """The hall of one issue: proposals first (newest first), then posts in time order, each with its replies.

    Errors: not_found (also for a wish, or an issue of another community).
    """
    issue = await _issue(user, issue_id)
    why_not = None
    try:
        await _check_may_post(user, issue)
    except DomainError as e:
        why_not = e
    rows = await HallPost.filter(issue_id=issue.id).order_by('created_at', 'id')
    backbones = await _backbones({r.author_id for r in rows})
    moderator = can(user, 'hall.moderate', issue)
    views: dict[int, PostView] = {}
    for row in rows:
        hidden = row.hidden_at is not None
        top = row.parent_id is None
        views[row.id] = PostView(
            id=row.id, author_name=row.author_name, body=row.body if not hidden or moderator else '',
            created_at=row.created_at, proposal=row.proposal and top, backbone=row.author_id in backbones,
            own=row.author_id == user.account_id, hidden=hidden, hidden_reason=row.hidden_reason or '',
            may_mark=why_not is None and rules.may_mark(own=row.author_id == user.account_id, moderator=moderator,
                                                        top_level=top, hidden=hidden),
            may_hide=moderator and not hidden, may_reply=why_not is None and not hidden)
    tops = []
    for row in rows:
        parent = views.get(row.parent_id) if row.parent_id is not None else None
        if parent is not None:
            parent.replies.append(views[row.id])
        elif row.parent_id is None:
            tops.append(views[row.id])
    proposals = sorted((p for p in tops if p.proposal), key=lambda p: (p.created_at, p.id), reverse=True)
    return Thread(issue.id, issue.community_id, issue.title, lifecycle.label(issue.state),
                  sum(1 for r in rows if r.hidden_at is None), proposals, [p for p in tops if not p.proposal],
                  why_not is None, why_not, issue.merged_into_id)


async def post_count(issue_id: int) -> int:
    """Posts of the issue's hall that are not hidden (the link on the issue page says how many)."""
    return await HallPost.filter(issue_id=issue_id, hidden_at=None).count()


# ---- helpers ----

async def _issue(user: Principal, issue_id: int) -> Issue:
    issue = await Issue.get_or_none(id=issue_id)
    if issue is None or issue.kind != 'issue' or not issue_views.may_read(user, issue.community_id):
        raise DomainError('not_found', '找不到这条议题')
    return issue


async def _post(actor: Principal, post_id: int) -> tuple[HallPost, Issue]:
    row = await HallPost.get_or_none(id=post_id)
    if row is None:
        raise DomainError('not_found', '找不到这条发言')
    return row, await _issue(actor, row.issue_id)


async def _check_open(issue: Issue) -> None:
    if issue.state == 'merged' and issue.merged_into_id is not None:
        survivor = await Issue.get_or_none(id=issue.merged_into_id)
        raise DomainError('hall_merged', '这条议题已并入《{title}》，请到那条议题的议事厅发言',
                          title=survivor.title if survivor else f'#{issue.merged_into_id}', into=issue.merged_into_id)
    if lifecycle.is_final(issue.state):
        raise DomainError('hall_closed', '这条议题已结束（{state}），议事厅已关闭', state=lifecycle.label(issue.state))


async def _check_may_post(actor: Principal, issue: Issue) -> None:
    """Why this person may not post here, as an error; nothing when they may."""
    accounts.require(actor, 'hall.post', issue)
    await _check_open(issue)
    if not actor.roles_in(issue.community_id) & STAFF_ROLES and (not actor.verified or actor.resident_id is None):
        raise DomainError('not_verified', '实名核验后才能在议事厅发言，请联系社区工作人员')


async def _top_level(issue_id: int, parent_id: int) -> int:
    """The top-level post a reply attaches to (one level of replies). Errors: invalid_parent."""
    parent = await HallPost.get_or_none(id=parent_id, issue_id=issue_id)
    if parent is not None and parent.parent_id is not None:
        parent = await HallPost.get_or_none(id=parent.parent_id, issue_id=issue_id)
    if parent is None or parent.hidden_at is not None:
        raise DomainError('invalid_parent', '要回复的发言不存在或已被隐藏')
    return parent.id


async def _author_name(actor: Principal, community_id: int) -> str:
    roles = actor.roles_in(community_id)
    if roles & STAFF_ROLES or actor.resident_id is None:
        return rules.author_name(roles, actor.name)
    resident = await Resident.get(id=actor.resident_id)
    return rules.author_name(frozenset(), resident.name)


async def _backbones(account_ids: set[int]) -> set[int]:
    """The accounts among these whose resident is tagged 居民骨干."""
    if not account_ids:
        return set()
    residents = dict(await Account.filter(id__in=sorted(account_ids), resident_id__isnull=False)
                     .values_list('resident_id', 'id'))
    tagged = await ResidentTag.filter(resident_id__in=list(residents), tag=rules.BACKBONE_TAG) \
        .values_list('resident_id', flat=True)
    return {residents[r] for r in tagged}
