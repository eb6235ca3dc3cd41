"""心愿墙: micro-wishes published for volunteers, party members, staff and organisations to claim (认领), fulfil,
and for the wisher to confirm and rate (群众点单 / 组织派单 / 党员接单 / 群众评单).

Contact details stay masked (domain.people.mask_phone) until a claim joins the two sides: then the claimer sees
the wisher's name and phone, and the wisher sees the claimer's; staff see everything. Every move goes on the same
timeline as an issue's (services.issues.record_move) and is published as a 'wish.*' event of the community.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.transactions import in_transaction

from domain import lifecycle, satisfaction
from domain import wishes as rules
from domain.errors import DomainError
from domain.people import checked_text as _text
from domain.people import mask_phone
from domain.permissions import Principal, can
from models import Account, Issue, IssueEvent, IssuePhoto, Notification, ResidentTag, RoleGrant, Seat
from services import audit, events, issue_views, issues, rating_views, ratings

WALL_LIMIT = 100
ORG_SEATS = ('social_org', 'social_org_head')  # domain.seats: a 社会组织 seat makes its holder an organisation


@dataclass(frozen=True)
class Side:
    """The wisher or the claimer as this viewer may see them: masked unless `revealed`."""
    name: str
    phone: str
    kinds: tuple[str, ...] = ()  # the claimer's 党员 / 志愿者 / organisation
    revealed: bool = False


@dataclass(frozen=True)
class WishCard:
    id: int
    community_id: int
    title: str
    body: str
    place: str
    state: str
    state_label: str
    created_at: datetime
    wisher: Side
    claimer: Side | None
    own: bool  # the viewer made the wish
    mine: bool  # the viewer claimed it
    can_claim: bool


@dataclass(frozen=True)
class WishDetail:
    card: WishCard
    photos: list[str] = field(default_factory=list)
    timeline: list[issue_views.Entry] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # claim fulfil give_up confirm not_done publish reject
    rating: str = ''  # label
    rating_comment: str = ''  # only for the two sides and staff


async def wall(actor: Principal, community_id: int, *, state: str | None = None) -> list[WishCard]:
    """The published wishes of the community (待认领, 已认领, 已完成), newest first, masked for this viewer."""
    if not issue_views.may_read(actor, community_id):
        return []
    states = (state,) if state in rules.WALL_STATES else rules.WALL_STATES
    rows = await Issue.filter(community_id=community_id, kind='wish', state__in=states) \
        .order_by('-created_at', '-id').limit(WALL_LIMIT).prefetch_related('compound', 'building', 'author')
    claimers = await _claimers(community_id, {r.claimed_by_id for r in rows} | {actor.account_id})
    viewer_kinds = claimers.get(actor.account_id, _NOBODY)[2]
    return [_card(actor, row, claimers, viewer_kinds) for row in rows]


async def detail(actor: Principal, wish_id: int) -> WishDetail:
    """One wish with photos, timeline, and the buttons this viewer gets. Errors: not_found."""
    wish = await _wish(actor, wish_id)
    await wish.fetch_related('compound', 'building', 'author')
    claimers = await _claimers(wish.community_id, {wish.claimed_by_id, actor.account_id})
    card = _card(actor, wish, claimers, claimers.get(actor.account_id, _NOBODY)[2])
    photos = await IssuePhoto.filter(issue_id=wish.id).order_by('position', 'id').values_list('key', flat=True)
    timeline = [issue_views.Entry(e.to_state, lifecycle.label(e.to_state), e.at, e.reason)
                for e in await IssueEvent.filter(issue_id=wish.id).order_by('at', 'id')]
    close = card.own or card.mine or _staff(actor, wish.community_id)
    # the rating lives in the wish's rating rounds (services.ratings); older wishes kept it on the row
    value, comment = await rating_views.latest_wish_rating(wish.id) or (wish.rating, wish.rating_comment)
    return WishDetail(card, list(photos), timeline, _actions(actor, wish, card),
                      rules.rating_label(value), (comment or '') if close else '')


async def claim(actor: Principal, wish_id: int, *, at: datetime | None = None) -> Issue:
    """认领: exactly one person wins even when several tap at the same moment; the wisher is told who.

    Errors: not_found, own_wish, already_claimed, forbidden, illegal_transition, changed_meanwhile.
    """
    at = at or audit.now()
    wish = await _wish(actor, wish_id)
    roles = issues.roles_for(actor, wish)
    if 'author' in roles:
        raise DomainError('own_wish', '不能认领自己的心愿')
    if wish.claimed_by_id is not None:
        raise await _already_claimed(wish.id)
    kinds = (await _claimers(wish.community_id, {actor.account_id})).get(actor.account_id, _NOBODY)[2]
    if not kinds:
        raise DomainError('forbidden', '志愿者、党员、社区工作者和社会组织可以认领心愿')
    who = f'{actor.name}（{"、".join(kinds)}）'
    won = await _move(actor, wish, 'claimed', reason=None, at=at, event='claimed',
                      changes={'claimed_by_id': actor.account_id, 'claimed_at': at},
                      notice=f'《{wish.title}》已被{who}认领，打开心愿可以看到联系方式')
    if not won:  # someone else's claim committed first (the conditional UPDATE matched no row)
        raise await _already_claimed(wish.id)
    return await Issue.get(id=wish.id)


async def give_up(actor: Principal, wish_id: int, *, reason: str, at: datetime | None = None) -> Issue:
    """放弃认领 (or staff release it): back on the wall for someone else, with the reason on the timeline.

    Errors: not_found, forbidden, illegal_transition, reason_required, invalid_reason, changed_meanwhile.
    """
    wish = await _wish(actor, wish_id)
    why = _text(reason, rules.MAX_REASON, 'invalid_reason', '原因')
    await _must_move(actor, wish, 'open', reason=why, at=at, event='given_up',
                     changes={'claimed_by_id': None, 'claimed_at': None},
                     tell_claimer=f'《{wish.title}》的认领已被取消：{why}')
    return await Issue.get(id=wish.id)


async def mark_fulfilled(actor: Principal, wish_id: int, *, note: str | None = None,
                         at: datetime | None = None) -> Issue:
    """完成了: the claimer says it is done; the wisher is asked to confirm and rate.

    Errors: not_found, forbidden, illegal_transition, invalid_reason, changed_meanwhile.
    """
    wish = await _wish(actor, wish_id)
    note = _text(note, rules.MAX_REASON, 'invalid_reason', '说明') or None
    await _must_move(actor, wish, 'fulfilled', reason=note, at=at, event='fulfilled',
                     notice=f'《{wish.title}》已完成，请确认并评价' + (f'：{note}' if note else ''))
    return await Issue.get(id=wish.id)


async def confirm(actor: Principal, wish_id: int, *, rating: str, comment: str | None = None,
                  at: datetime | None = None) -> Issue:
    """确认并评价 (服务谁、谁评价): the wisher (or staff for them) rates 满意 / 基本满意 / 不满意; the claimer is told.

    The rating is a one-rating round of the wish (services.ratings.record_wish_round). Below the community's
    threshold (不满意) the wish goes back to the claimer for 整改 (state 'claimed', the reason on the timeline)
    instead of being confirmed, and is rated again when fulfilled again.
    Errors: not_found, invalid_rating, invalid_comment, forbidden, illegal_transition, changed_meanwhile.
    """
    at = at or audit.now()
    wish = await _wish(actor, wish_id)
    if rating not in rules.RATINGS:
        raise DomainError('invalid_rating', '请选择满意、基本满意或不满意')
    comment = _text(comment, rules.MAX_COMMENT, 'invalid_comment', '评价') or None
    label = rules.RATINGS[rating]
    threshold = await ratings.threshold_of(wish.community_id)
    counts = satisfaction.count([rating])
    passed = satisfaction.passes(counts, threshold)
    on_behalf = actor.resident_id is None or actor.resident_id != wish.author_id
    said = f'，{comment}' if comment else ''

    async def rated(conn) -> None:
        await ratings.record_wish_round(wish, value=rating, comment=comment or '',
                                        recorded_by=actor.account_id if on_behalf else None, at=at, conn=conn)

    if passed:
        # Issue.rating mirrors a confirmed rating for older readers; 'unsatisfied' (11 characters) would not fit
        # its 10, and lives in the rating round only
        await _must_move(actor, wish, 'confirmed', reason=label, at=at, event='confirmed', also=rated,
                         changes={'rating': rating, 'rating_comment': comment},
                         tell_claimer=f'《{wish.title}》已确认，评价：{label}{said}')
    else:
        why = f'{label}：{satisfaction.outcome_reason(counts, threshold)}{said}'
        await _must_move(actor, wish, 'claimed', reason=why[:rules.MAX_REASON], at=at, event='reopened', also=rated,
                         tell_claimer=f'《{wish.title}》评价：{label}，请整改后再点“完成了”{said}')
    await events.publish('survey.closed', community_id=wish.community_id, issue_id=wish.id, wish_id=wish.id,
                         verdict='passed' if passed else 'reopened')
    return await Issue.get(id=wish.id)


async def not_done(actor: Principal, wish_id: int, *, reason: str, at: datetime | None = None) -> Issue:
    """没完成: the wisher sends it back to the claimer with the reason.

    Errors: not_found, forbidden, illegal_transition, reason_required, invalid_reason, changed_meanwhile.
    """
    wish = await _wish(actor, wish_id)
    why = _text(reason, rules.MAX_REASON, 'invalid_reason', '原因')
    await _must_move(actor, wish, 'claimed', reason=why, at=at, event='not_done',
                     tell_claimer=f'《{wish.title}》还没完成：{why}')
    return await Issue.get(id=wish.id)


async def publish(actor: Principal, wish_id: int, *, at: datetime | None = None) -> Issue:
    """Staff put a submitted wish on the wall (待认领). Errors: not_found, forbidden, illegal_transition."""
    wish = await _wish(actor, wish_id)
    await _must_move(actor, wish, 'open', reason=None, at=at, event='published')
    return await Issue.get(id=wish.id)


async def reject(actor: Principal, wish_id: int, *, reason: str, at: datetime | None = None) -> Issue:
    """Staff decline a wish with a reason the wisher reads. Errors: as publish, and reason_required."""
    wish = await _wish(actor, wish_id)
    why = _text(reason, rules.MAX_REASON, 'invalid_reason', '原因')
    await _must_move(actor, wish, 'rejected', reason=why, at=at, event='rejected')
    return await Issue.get(id=wish.id)


# ---- helpers ----

_NOBODY = ('', '', ())


async def _wish(actor: Principal, wish_id: int) -> Issue:
    """The wish if this person may see it: published ones for the community, earlier ones for the wisher and desk."""
    wish = await Issue.get_or_none(id=wish_id, kind='wish')
    if wish is None or not issue_views.may_read(actor, wish.community_id) or (
            wish.state not in (*rules.WALL_STATES, 'confirmed')
            and actor.resident_id != wish.author_id and not _desk(actor, wish.community_id)):
        raise DomainError('not_found', '找不到这个心愿')
    return wish


async def _move(actor: Principal, wish: Issue, target: str, *, reason: str | None, at: datetime | None, event: str,
                changes: dict | None = None, notice: str | None = None, tell_claimer: str | None = None,
                also: Callable[[object], Awaitable[None]] | None = None) -> bool:
    """One checked move, applied only if nobody moved the wish meanwhile (same state, same claimer): True if applied.

    `also(conn)` writes more in the same transaction (the rating round of a confirmation).
    """
    at = at or audit.now()
    lifecycle.check_transition('wish', wish.state, target, roles=issues.roles_for(actor, wish), reason=reason)
    async with in_transaction() as conn:
        changed = await Issue.filter(id=wish.id, state=wish.state, claimed_by_id=wish.claimed_by_id) \
            .using_db(conn).update(state=target, updated_at=at, **(changes or {}))
        if not changed:
            return False
        await issues.record_move(wish, wish.state, target, actor=actor.account_id, reason=reason, at=at, conn=conn,
                                 notice=notice)
        if also is not None:
            await also(conn)
        if tell_claimer and wish.claimed_by_id is not None and wish.claimed_by_id != actor.account_id:
            await Notification.create(account_id=wish.claimed_by_id, at=at, text=tell_claimer[:200],
                                      issue_id=wish.id, using_db=conn)
    await events.publish(f'wish.{event}', community_id=wish.community_id, wish_id=wish.id, state=target)
    return True


async def _must_move(actor: Principal, wish: Issue, target: str, **options) -> None:
    if not await _move(actor, wish, target, **options):
        raise DomainError('changed_meanwhile', '这个心愿刚被别人处理过，请刷新后再试')


async def _already_claimed(wish_id: int) -> DomainError:
    wish = await Issue.get(id=wish_id)
    if wish.claimed_by_id is None:  # moved some other way meanwhile (rejected, released)
        return DomainError('changed_meanwhile', '这个心愿刚被别人处理过，请刷新后再试')
    claimer = await Account.get_or_none(id=wish.claimed_by_id)
    name = _mask_name(claimer.name if claimer else '')
    return DomainError('already_claimed', '这个心愿刚被 {name} 认领了', name=name)


async def _claimers(community_id: int, account_ids: set[int | None]) -> dict[int, tuple[str, str, tuple[str, ...]]]:
    """account id → (name, phone, what makes them a claimer here); an empty third part: they may not claim."""
    ids = sorted(i for i in account_ids if i is not None)
    if not ids:
        return {}
    accounts = await Account.filter(id__in=ids).prefetch_related('resident')
    roles: dict[int, set[str]] = {}
    for grant in await RoleGrant.filter(account_id__in=ids, community_id=community_id):
        roles.setdefault(grant.account_id, set()).add(grant.role)
    residents = {a.resident.id: a.id for a in accounts
                 if a.resident is not None and a.resident.community_id == community_id and a.resident.status != 'left'}
    tags: dict[int, list[str]] = {}
    for tag in await ResidentTag.filter(resident_id__in=list(residents)):
        tags.setdefault(residents[tag.resident_id], []).append(tag.tag)
    organisations: dict[int, str] = {}
    for seat in await Seat.filter(resident_id__in=list(residents), kind__in=ORG_SEATS,
                                  council__community_id=community_id).order_by('id'):
        organisations.setdefault(residents[seat.resident_id], seat.organisation or '社会组织')
    return {a.id: (a.name, a.phone or (a.resident.phone if a.resident else '') or '',
                   tuple(rules.claimer_kinds(frozenset(roles.get(a.id, ())), tags.get(a.id, []),
                                             organisations.get(a.id))))
            for a in accounts}


def _card(actor: Principal, wish: Issue, claimers: dict, viewer_kinds: tuple[str, ...]) -> WishCard:
    staff = _staff(actor, wish.community_id)
    own = actor.resident_id is not None and actor.resident_id == wish.author_id
    mine = actor.account_id is not None and actor.account_id == wish.claimed_by_id
    joined = wish.state in rules.CLAIMED_STATES and wish.claimed_by_id is not None
    wisher_open = own or staff or (mine and joined)
    author = wish.author
    wisher = Side(name=wish.author_name if wisher_open or wish.show_author else issue_views.ANONYMOUS_AUTHOR,
                  phone=_phone(author.phone if author else '', revealed=wisher_open), revealed=wisher_open)
    claimer = None
    if joined:
        name, phone, kinds = claimers.get(wish.claimed_by_id, _NOBODY)
        claimer_open = own or staff or mine
        claimer = Side(name=name if claimer_open else _mask_name(name), phone=_phone(phone, revealed=claimer_open),
                       kinds=kinds, revealed=claimer_open)
    can_claim = wish.state == 'open' and not own and bool(viewer_kinds) and lifecycle.WishState.CLAIMED in \
        lifecycle.allowed_next('wish', wish.state, issues.roles_for(actor, wish))
    return WishCard(id=wish.id, community_id=wish.community_id, title=wish.title, body=wish.body,
                    place=issue_views.place_of(wish), state=wish.state, state_label=lifecycle.label(wish.state),
                    created_at=wish.created_at, wisher=wisher, claimer=claimer, own=own, mine=mine,
                    can_claim=can_claim)


_ACTIONS = {  # (from, to) → the button; claim is decided on the card (it also needs a tag or role)
    ('claimed', 'fulfilled'): 'fulfil', ('claimed', 'open'): 'give_up', ('fulfilled', 'confirmed'): 'confirm',
    ('fulfilled', 'claimed'): 'not_done', ('submitted', 'open'): 'publish', ('submitted', 'rejected'): 'reject',
    ('open', 'rejected'): 'reject',
}


def _actions(actor: Principal, wish: Issue, card: WishCard) -> list[str]:
    allowed = lifecycle.allowed_next('wish', wish.state, issues.roles_for(actor, wish))
    found = ['claim'] if card.can_claim else []
    return found + [_ACTIONS[(wish.state, s.value)] for s in allowed if (wish.state, s.value) in _ACTIONS]


def _staff(actor: Principal, community_id: int) -> bool:
    return can(actor, 'resident.phone', community_id)


def _desk(actor: Principal, community_id: int) -> bool:
    """Those who may publish a submitted wish may read it before it is published."""
    return bool(lifecycle.allowed_next('wish', 'submitted', actor.roles_in(community_id)))


def _phone(phone: str | None, *, revealed: bool) -> str:
    return (phone or '') if revealed else mask_phone(phone)


def _mask_name(name: str) -> str:
    """王丽 → 王*: enough for a neighbour to know a claim happened, not who to ring."""
    return name[:1] + '*' * max(len(name) - 1, 1) if name else ''
