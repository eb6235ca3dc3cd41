"""民事民提: raise an issue or a micro-wish (by a resident, by staff on their behalf, or by an integration),
support it, move it through its lifecycle with a reason on the timeline, merge duplicates, tell the author."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import lifecycle, triage
from domain.errors import DomainError
from domain.people import MAX_NAME
from domain.people import checked_text as _text
from domain.permissions import Principal
from models import (
    Account,
    ApiKey,
    Building,
    Compound,
    Issue,
    IssueEvent,
    IssuePhoto,
    IssueSupport,
    Notification,
    Resident,
)
from services import accounts, audit, events, photos

Photo = bytes | photos.ProcessedPhoto  # raw upload bytes, or a photo the page already checked and re-encoded
KINDS = {'issue': '公共议题', 'wish': '微心愿'}
CHANNELS = {'app': '手机提交', 'phone': '电话', '12345': '12345 热线', 'wechat': '微信群', 'visit': '入户走访',
            'box': '意见箱', 'meeting': '会议', 'api': '系统对接'}
MAX_TITLE = 60
# wish edges that carry more than a state (the claimer, the rating): only services.wishes takes them
WISH_SERVICE_EDGES = frozenset({('open', 'claimed'), ('claimed', 'open'), ('fulfilled', 'confirmed')})
MAX_BODY = 2000


@dataclass(frozen=True)
class Draft:
    """What a person fills in; validated by `_clean`."""
    kind: str
    title: str
    body: str
    category: str
    compound_id: int | None = None
    building_id: int | None = None
    show_author: bool = False
    urgent: bool = False


async def raise_item(actor: Principal, draft: Draft, *, photo_data: list[Photo] | None = None,
                     at: datetime | None = None) -> Issue:
    """A resident raises an issue or a wish in their community; the place defaults to their building.

    Errors: forbidden, not_resident, invalid_kind, invalid_title, invalid_body, invalid_category, invalid_place,
    too_many_photos and the photo errors of services.photos.
    """
    resident = await Resident.get_or_none(id=actor.resident_id).prefetch_related('household__building') \
        if actor.resident_id else None
    if resident is None or resident.status == 'left':
        raise DomainError('not_resident', '只有本社区居民可以提交，请先登录')
    accounts.require(actor, 'issue.raise', resident)
    if draft.compound_id is None and draft.building_id is None and resident.household is not None:
        building = resident.household.building
        draft = Draft(**{**draft.__dict__, 'building_id': building.id, 'compound_id': building.compound_id})
    return await _create(resident.community_id, draft, author=resident, author_name=resident.name, channel='app',
                         recorded_by=actor.account_id, photo_data=photo_data or [], at=at)


async def record_for_resident(actor: Principal, community_id: int, draft: Draft, *, channel: str, author_name: str,
                              resident_id: int | None = None, photo_data: list[Photo] | None = None,
                              at: datetime | None = None) -> Issue:
    """Staff record what someone raised by phone, the 12345 hotline, a WeChat group, a visit, the box or a meeting.

    Errors: forbidden, invalid_channel, invalid_author, not_found, and those of raise_item.
    """
    accounts.require(actor, 'issue.record', community_id)
    if channel not in CHANNELS or channel in {'app', 'api'}:
        raise DomainError('invalid_channel', '请选择来源渠道')
    author = None
    if resident_id is not None:
        author = await Resident.get_or_none(id=resident_id, community_id=community_id)
        if author is None:
            raise DomainError('not_found', '找不到这位居民')
    name = _text(author.name if author else author_name, MAX_NAME, 'invalid_author', '提出人姓名')
    if not name:
        raise DomainError('invalid_author', '请填写提出人姓名')
    return await _create(community_id, draft, author=author, author_name=name, channel=channel,
                         recorded_by=actor.account_id, photo_data=photo_data or [], at=at)


async def push_from_api(key: ApiKey, draft: Draft, *, reference: str, author_name: str,
                        at: datetime | None = None) -> tuple[Issue, bool]:
    """An integration (12345, 宜格服务) pushes an issue with its own reference; the same reference twice is one issue.

    Returns (issue, created). Errors: invalid_reference, invalid_author, and those of raise_item.
    """
    reference = _text(reference, 80, 'invalid_reference', '对接编号')
    if not reference:
        raise DomainError('invalid_reference', '缺少对接编号（reference）')
    existing = await Issue.get_or_none(community_id=key.community_id, external_source=key.prefix,
                                       external_ref=reference)
    if existing is not None:
        return existing, False
    name = _text(author_name, MAX_NAME, 'invalid_author', '提出人姓名') or '（系统对接）'
    try:
        issue = await _create(key.community_id, draft, author=None, author_name=name, channel='api',
                              recorded_by=None, photo_data=[], at=at, external=(key.prefix, reference))
    except IntegrityError:  # the same reference pushed twice at the same moment
        return await Issue.get(community_id=key.community_id, external_source=key.prefix,
                               external_ref=reference), False
    return issue, True


async def support(actor: Principal, issue_id: int, *, at: datetime | None = None) -> int:
    """附议: one per verified resident; a repeat changes nothing. Returns the support count.

    Errors: not_found, forbidden, not_verified, not_supportable, own_issue.
    """
    issue, resident = await _supporter(actor, issue_id)
    if issue.author_id == resident.id:
        raise DomainError('own_issue', '不能附议自己提出的议题')
    try:
        async with in_transaction() as conn:
            await IssueSupport.create(issue_id=issue.id, resident_id=resident.id, created_at=at or audit.now(),
                                      using_db=conn)
            await Issue.filter(id=issue.id).using_db(conn).update(support_count=F('support_count') + 1)
    except IntegrityError:  # already supported (a double tap, or two phones of the same person)
        pass
    count = await _count(issue.id)
    await events.publish('issue.supported', community_id=issue.community_id, issue_id=issue.id, supports=count)
    return count


async def withdraw_support(actor: Principal, issue_id: int) -> int:
    """Undo 附议; undoing twice changes nothing. Returns the support count. Errors as `support`."""
    issue, resident = await _supporter(actor, issue_id)
    async with in_transaction() as conn:
        removed = await IssueSupport.filter(issue_id=issue.id, resident_id=resident.id).using_db(conn).delete()
        if removed:
            await Issue.filter(id=issue.id).using_db(conn).update(support_count=F('support_count') - removed)
    count = await _count(issue.id)
    await events.publish('issue.supported', community_id=issue.community_id, issue_id=issue.id, supports=count)
    return count


async def move(actor: Principal, issue_id: int, target: str, *, reason: str | None = None,
               at: datetime | None = None) -> Issue:
    """Move an item along its lifecycle (domain.lifecycle), on the timeline with who, when and why; tell the author.

    Errors: not_found, illegal_transition, reason_required, forbidden, changed_meanwhile, invalid_reason,
    merge_needs_target.
    """
    at = at or audit.now()
    issue = await _issue(issue_id)
    if target == 'merged':  # needs the surviving issue, and the supports must move: that is `merge`
        raise DomainError('merge_needs_target', '合并时请选择要并入的议题')
    reason = _text(reason, 500, 'invalid_reason', '理由') or None
    if issue.kind == 'wish' and (issue.state, target) in WISH_SERVICE_EDGES:
        raise DomainError('illegal_transition', '认领、放弃认领和评价请在心愿页面操作')
    lifecycle.check_transition(issue.kind, issue.state, target, roles=roles_for(actor, issue), reason=reason)
    async with in_transaction() as conn:
        changed = await Issue.filter(id=issue.id, state=issue.state).using_db(conn) \
            .update(state=target, updated_at=at)
        if not changed:
            raise DomainError('changed_meanwhile', '这条记录刚被别人处理过，请刷新后再试')
        await record_move(issue, issue.state, target, actor=actor.account_id, reason=reason, at=at, conn=conn)
    issue.state = target
    await events.publish(f'{issue.kind}.moved', community_id=issue.community_id, issue_id=issue.id, state=target)
    return issue


async def merge(actor: Principal, duplicate_id: int, into_id: int, *, reason: str | None = None,
                at: datetime | None = None) -> Issue:
    """Merge a duplicate into the surviving issue: its supports move over (one per person), its author is told.

    Errors: not_found, forbidden, not_mergeable, illegal_transition.
    """
    at = at or audit.now()
    duplicate, survivor = await _issue(duplicate_id), await _issue(into_id)
    accounts.require(actor, 'issue.merge', duplicate)
    if duplicate.id == survivor.id or duplicate.community_id != survivor.community_id \
            or duplicate.kind != 'issue' or survivor.kind != 'issue' or lifecycle.is_final(survivor.state):
        raise DomainError('not_mergeable', '只能把同一社区的议题合并到一个仍在处理中的议题')
    why = _text(reason, 500, 'invalid_reason', '理由') or f'与《{survivor.title}》重复'
    lifecycle.check_transition('issue', duplicate.state, 'merged', roles=roles_for(actor, duplicate), reason=why)
    async with in_transaction() as conn:
        changed = await Issue.filter(id=duplicate.id, state=duplicate.state).using_db(conn) \
            .update(state='merged', merged_into_id=survivor.id, updated_at=at)
        if not changed:
            raise DomainError('changed_meanwhile', '这条记录刚被别人处理过，请刷新后再试')
        supporters = set(await IssueSupport.filter(issue_id=duplicate.id).using_db(conn)
                         .values_list('resident_id', flat=True))
        if duplicate.author_id is not None:
            supporters.add(duplicate.author_id)  # raising the same thing is the strongest support
        already = set(await IssueSupport.filter(issue_id=survivor.id).using_db(conn)
                      .values_list('resident_id', flat=True))
        await IssueSupport.bulk_create([
            IssueSupport(issue_id=survivor.id, resident_id=r, created_at=at)
            for r in sorted(supporters - already - {survivor.author_id})], using_db=conn)
        await IssueSupport.filter(issue_id=duplicate.id).using_db(conn).delete()
        for row in (duplicate, survivor):
            count = await IssueSupport.filter(issue_id=row.id).using_db(conn).count()
            await Issue.filter(id=row.id).using_db(conn).update(support_count=count)
        await record_move(duplicate, duplicate.state, 'merged', actor=actor.account_id, reason=why, at=at, conn=conn)
        await _tell_author(survivor, f'《{duplicate.title}》与您的议题重复，已并入，附议一并转来',
                           actor=actor.account_id, at=at, conn=conn)
    await events.publish('issue.merged', community_id=survivor.community_id, issue_id=duplicate.id,
                         into_id=survivor.id)
    return await _issue(survivor.id)


async def notifications(actor: Principal, *, unread_only: bool = False, limit: int = 50) -> list[Notification]:
    """The signed-in person's notices, newest first."""
    if not actor.is_authenticated:
        return []
    query = Notification.filter(account_id=actor.account_id)
    if unread_only:
        query = query.filter(read_at=None)
    return await query.order_by('-at', '-id').limit(limit)


async def mark_read(actor: Principal, *, at: datetime | None = None) -> int:
    """Mark all of the person's notices read; returns how many were unread."""
    if not actor.is_authenticated:
        return 0
    return await Notification.filter(account_id=actor.account_id, read_at=None).update(read_at=at or audit.now())


# ---- helpers ----

async def _create(community_id: int, draft: Draft, *, author: Resident | None, author_name: str, channel: str,
                  recorded_by: int | None, photo_data: list[Photo], at: datetime | None,
                  external: tuple[str, str] | None = None) -> Issue:
    at = at or audit.now()
    fields = await _clean(community_id, draft)
    photos.check_count(0, len(photo_data))
    processed = [data if isinstance(data, photos.ProcessedPhoto) else await photos.process_async(data)
                 for data in photo_data]  # every photo checked and re-encoded before anything is stored
    async with in_transaction() as conn:
        issue = await Issue.create(
            community_id=community_id, author=author, author_name=author_name, channel=channel,
            recorded_by_id=recorded_by, external_source=external[0] if external else None,
            external_ref=external[1] if external else None, created_at=at, updated_at=at, using_db=conn, **fields)
        for position, photo in enumerate(processed):
            key = photos.save(photo)
            await IssuePhoto.create(issue=issue, key=key, width=photo.width, height=photo.height, position=position,
                                    using_db=conn)
        await IssueEvent.create(issue=issue, at=at, actor_id=recorded_by, from_state=None, to_state=issue.state,
                                reason=CHANNELS[channel], using_db=conn)
        await audit.record(f'{issue.kind}.created', actor_id=recorded_by, community_id=community_id, target=issue,
                           data={'channel': channel, 'photos': len(processed),
                                 **({'reference': external[1], 'api_key': external[0]} if external else {})},
                           at=at, using_db=conn)
    await events.publish(f'{issue.kind}.created', community_id=community_id, issue_id=issue.id)
    return issue


async def _clean(community_id: int, draft: Draft) -> dict:
    if draft.kind not in KINDS:
        raise DomainError('invalid_kind', '请选择公共议题或微心愿')
    title = _text(draft.title, MAX_TITLE, 'invalid_title', '标题')
    if len(title) < 2:
        raise DomainError('invalid_title', '请用一句话写清楚是什么事（至少 2 个字）')
    body = _text(draft.body, MAX_BODY, 'invalid_body', '内容')
    if draft.category not in triage.CATEGORIES:
        raise DomainError('invalid_category', '请选择类别')
    compound_id, building_id = draft.compound_id, draft.building_id
    if building_id is not None:
        building = await Building.get_or_none(id=building_id, compound__community_id=community_id)
        if building is None:
            raise DomainError('invalid_place', '请选择本社区的小区和楼栋')
        compound_id = building.compound_id
    elif compound_id is not None and not await Compound.exists(id=compound_id, community_id=community_id):
        raise DomainError('invalid_place', '请选择本社区的小区和楼栋')
    return dict(kind=draft.kind, title=title, body=body, category=draft.category, compound_id=compound_id,
                building_id=building_id, show_author=bool(draft.show_author), urgent=bool(draft.urgent))


async def _issue(issue_id: int) -> Issue:
    issue = await Issue.get_or_none(id=issue_id)
    if issue is None:
        raise DomainError('not_found', '找不到这条议题')
    return issue


async def _supporter(actor: Principal, issue_id: int) -> tuple[Issue, Resident]:
    issue = await _issue(issue_id)
    accounts.require(actor, 'issue.support', issue)
    if not actor.verified or actor.resident_id is None:
        raise DomainError('not_verified', '实名核验后才能附议，请联系社区工作人员')
    if issue.kind != 'issue' or lifecycle.is_final(issue.state):
        raise DomainError('not_supportable', '这条议题已结束，不能再附议')
    resident = await Resident.get(id=actor.resident_id)
    return issue, resident


async def _count(issue_id: int) -> int:
    return await Issue.filter(id=issue_id).first().values_list('support_count', flat=True)


def roles_for(actor: Principal, issue: Issue) -> frozenset[str]:
    """The roles the lifecycle checks for this person on this item: their community roles, author, claimer."""
    roles = set(actor.roles_in(issue.community_id))
    if actor.resident_id is not None and actor.resident_id == issue.author_id:
        roles.add('author')
    if actor.account_id is not None and actor.account_id == issue.claimed_by_id:
        roles.add('claimer')
    return frozenset(roles)


async def record_move(issue: Issue, from_state: str, to_state: str, *, actor: int | None, reason: str | None,
                      at: datetime, conn, notice: str | None = None) -> None:
    """Write one move to the timeline and the audit log, and tell the author (unless they made it), in `conn`.

    `notice`: what the author reads instead of the plain “from → to: reason” (a claim names the claimer).
    """
    await IssueEvent.create(issue_id=issue.id, at=at, actor_id=actor, from_state=from_state, to_state=to_state,
                            reason=reason, using_db=conn)
    await audit.record(f'{issue.kind}.moved', actor_id=actor, community_id=issue.community_id, target=issue,
                       data={'from': from_state, 'to': to_state, 'reason': reason}, at=at, using_db=conn)
    text = notice or f'《{issue.title}》{lifecycle.label(from_state)} → {lifecycle.label(to_state)}'
    if reason and not notice:
        text += f'：{reason}'
    await _tell_author(issue, text, actor=actor, at=at, conn=conn)


async def _tell_author(issue: Issue, text: str, *, actor: int | None, at: datetime, conn) -> None:
    """An in-app notice to the item's author (not when they did it themselves, nor for authors off the roster)."""
    if issue.author_id is None:
        return
    account = await Account.filter(resident_id=issue.author_id).using_db(conn).first()
    if account is not None and account.id != actor:
        await Notification.create(account_id=account.id, at=at, text=text[:200], issue_id=issue.id, using_db=conn)
