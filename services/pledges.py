"""投工投劳、出资出物: needs, pledges, organisers' confirmations, withdrawals. Reading them: services.pledge_views.

A pledge carries the client's nonce: a double tap or a resend returns the first pledge (the unique constraint on
(project, nonce) backs it). A confirmation is a conditional UPDATE on the state and amount the organiser saw, so
of two organisers confirming at once one wins and the other is told (or, when both recorded the same, nothing
changes twice). Events 'pledge.changed' go out after the commit.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import pledges as rules
from domain import projects
from domain.errors import DomainError
from domain.permissions import Principal, can
from models import Pledge, PledgeNeed, Project, Resident
from services import accounts, audit, events
from services.pledge_views import Ledger, PledgeView, ThankYou, ledger, my_pledges, needs, project_pledges, thanks
from services.project_moves import get_project

# reading lives in services.pledge_views; its names are re-exported for the pages and the board
__all__ = ['Ledger', 'PledgeView', 'ThankYou', 'add_need', 'confirm_received', 'ledger', 'my_pledges', 'needs',
           'pledge', 'project_pledges', 'record_for_resident', 'thanks', 'why_cannot_pledge', 'withdraw']


async def add_need(actor: Principal, project_id: int, *, kind: str, item: str, unit: str = '',
                   quantity: object, slot: str = '', at: datetime | None = None) -> PledgeNeed:
    """An organiser lists what the project asks residents for.

    Errors: not_found, forbidden, project_not_open_for_pledges, invalid_kind, invalid_item, invalid_unit,
    invalid_slot and the quantity codes of domain.pledges.check_quantity.
    """
    project = await get_project(project_id)
    accounts.require(actor, 'pledge.confirm', project)
    _check_open(project)
    kind = rules.check_kind(kind)
    unit = rules.check_unit(kind, unit)
    item, slot = rules.check_item(item, kind), rules.check_slot(slot)
    amount = rules.check_quantity(kind, unit, quantity, need=True)
    at = at or audit.now()
    async with in_transaction() as conn:
        position = await PledgeNeed.filter(project_id=project.id).using_db(conn).count()
        need = await PledgeNeed.create(project_id=project.id, kind=kind, item=item, unit=unit, quantity=amount,
                                       slot=slot, position=position, created_at=at, using_db=conn)
        await audit.record('pledge.need.added', actor_id=actor.account_id, community_id=project.community_id,
                           target=need, data={'project_id': project.id, 'kind': kind, 'item': item, 'unit': unit,
                                              'quantity': str(amount), 'slot': slot}, at=at, using_db=conn)
    await _publish(project, need_id=need.id)
    return need


async def pledge(actor: Principal, project_id: int, *, need_id: int | None = None, kind: str, item: str = '',
                 unit: str = '', quantity: object, slot: str = '', thank_publicly: bool, nonce: str,
                 at: datetime | None = None) -> Pledge:
    """A resident of the project's community pledges; the same nonce again returns the first pledge.

    With a need, its kind, item, unit and slot are the pledge's (a labour need without a slot takes the one typed).
    Errors: bad_nonce, not_found, forbidden, project_not_open_for_pledges, need_not_found, need_kind_mismatch,
    invalid_kind, invalid_item, invalid_unit, invalid_slot and the quantity codes of domain.pledges.check_quantity.
    """
    nonce = rules.check_nonce(nonce)
    project = await get_project(project_id)
    first = await _replay(project.id, nonce, resident_id=actor.resident_id)
    if first is not None:
        return first
    accounts.require(actor, 'pledge.make', project)
    resident = await Resident.get_or_none(id=actor.resident_id, community_id=project.community_id) \
        if actor.resident_id is not None else None
    if resident is None or resident.status == 'left':
        raise DomainError('forbidden', '只有本社区的居民可以认捐')
    return await _create(actor, project, resident_id=resident.id, name=resident.name, need_id=need_id, kind=kind,
                         item=item, unit=unit, quantity=quantity, slot=slot, thank_publicly=thank_publicly,
                         nonce=nonce, recorded_by=None, at=at)


async def record_for_resident(actor: Principal, project_id: int, *, resident_id: int | None = None, name: str = '',
                              need_id: int | None = None, kind: str, item: str = '', unit: str = '',
                              quantity: object, slot: str = '', thank_publicly: bool = False, nonce: str,
                              at: datetime | None = None) -> Pledge:
    """An organiser records a pledge for someone without a phone: a resident of the community, or just a name.

    Errors: bad_nonce, not_found, forbidden, project_not_open_for_pledges, resident_not_found, invalid_name,
    need_not_found, need_kind_mismatch and the checks of `pledge`.
    """
    nonce = rules.check_nonce(nonce)
    project = await get_project(project_id)
    accounts.require(actor, 'pledge.confirm', project)
    first = await _replay(project.id, nonce, recorded_by=actor.account_id)
    if first is not None:
        return first
    if resident_id is not None:
        resident = await Resident.get_or_none(id=resident_id, community_id=project.community_id)
        if resident is None or resident.status == 'left':
            raise DomainError('resident_not_found', '没有找到这位居民')
        name = resident.name
    else:
        name = rules.check_name(name)
    return await _create(actor, project, resident_id=resident_id, name=name, need_id=need_id, kind=kind, item=item,
                         unit=unit, quantity=quantity, slot=slot, thank_publicly=thank_publicly, nonce=nonce,
                         recorded_by=actor.account_id, at=at)


async def withdraw(actor: Principal, pledge_id: int, reason: str, *, at: datetime | None = None) -> Pledge:
    """撤回: the pledger before anything arrived, or an organiser at any time (what arrived stays counted).

    Withdrawing a withdrawn pledge changes nothing. Who, when and why are kept on the pledge and in the audit log.
    Errors: not_found, forbidden, already_received, reason_required, invalid_reason, changed_meanwhile.
    """
    row, project = await _pledge_and_project(pledge_id)
    organiser = can(actor, 'pledge.confirm', project)
    own = actor.resident_id is not None and row.resident_id == actor.resident_id and \
        can(actor, 'pledge.make', project)
    if not organiser and not own:
        raise DomainError('forbidden', '只有认捐人自己或社区工作者可以撤回')
    why = rules.check_reason(reason)
    if row.state == 'withdrawn':
        return row
    if not organiser and row.received > 0:
        raise DomainError('already_received', '已经有东西到位了，不能自己撤回；请联系社区工作者')
    at = at or audit.now()
    async with in_transaction() as conn:
        changed = await Pledge.filter(id=row.id, state=row.state, received=row.received).using_db(conn) \
            .update(state='withdrawn', withdrawn_at=at, withdrawn_by_id=actor.account_id, withdraw_reason=why)
        if not changed:
            raise DomainError('changed_meanwhile', '这条记录刚被别人处理过，请刷新后再试')
        await audit.record('pledge.withdrawn', actor_id=actor.account_id, community_id=project.community_id,
                           target=row, data={'project_id': project.id, 'reason': why, 'from': row.state,
                                             'received': str(row.received)}, at=at, using_db=conn)
    await _publish(project, pledge_id=row.id)
    return await Pledge.get(id=row.id)


async def confirm_received(actor: Principal, pledge_id: int, *, received: object, seen: Decimal | None = None,
                           at: datetime | None = None) -> Pledge:
    """An organiser records how much arrived (all, part, or a correction); the same value again changes nothing.

    `seen`: the amount received that the organiser's screen showed. When another organiser changed it since, this
    one is refused with changed_meanwhile (unless both recorded the same), however the two requests interleave:
    without it, the later of two organisers would silently overwrite the first.
    Errors: not_found, forbidden, pledge_withdrawn, invalid_quantity, received_negative, too_many_decimals,
    labour_step, whole_number, received_too_much, changed_meanwhile.
    """
    row, project = await _pledge_and_project(pledge_id)
    accounts.require(actor, 'pledge.confirm', project)
    if row.state == 'withdrawn':
        raise DomainError('pledge_withdrawn', '这笔认捐已撤回，不能再确认到位')
    amount = rules.check_received(row.kind, row.unit, row.quantity, received)
    if amount == row.received and row.confirmed_at is not None:
        return row
    if seen is not None and Decimal(seen) != row.received:  # a colleague confirmed since this screen was drawn
        raise _changed_meanwhile(row)
    state = rules.state_after(row.quantity, amount)
    at = at or audit.now()
    async with in_transaction() as conn:
        changed = await Pledge.filter(id=row.id, state=row.state, received=row.received).using_db(conn) \
            .update(received=amount, state=state, confirmed_by_id=actor.account_id, confirmed_at=at)
        if changed:
            await audit.record('pledge.confirmed', actor_id=actor.account_id, community_id=project.community_id,
                               target=row, data={'project_id': project.id, 'received': str(amount),
                                                 'before': str(row.received), 'state': state}, at=at, using_db=conn)
    if not changed:
        now = await Pledge.get(id=row.id)
        if now.state != 'withdrawn' and now.received == amount:
            return now  # a colleague recorded the same a moment earlier
        raise _changed_meanwhile(now)
    await _publish(project, pledge_id=row.id)
    return await Pledge.get(id=row.id)


def _changed_meanwhile(now: Pledge) -> DomainError:
    return DomainError('changed_meanwhile',
                       '这条记录刚被别人处理过（现在：{state}，到位 {received} {unit}），请刷新后再试',
                       state=rules.state_label(now.state), received=rules.format_quantity(now.received), unit=now.unit)


def why_cannot_pledge(user: Principal, project: Project) -> list[DomainError]:
    """Why this person may not pledge here now (empty: they may), in words for the page."""
    reasons = []
    if project.state not in projects.PLEDGING:
        reasons.append(DomainError('project_not_open_for_pledges', '项目{state}，现在不接受认捐',
                                   state=projects.label(project.state)))
    if not user.is_authenticated:
        reasons.append(DomainError('sign_in', '登录后，本社区居民可以认捐'))
    elif not can(user, 'pledge.make', project):
        reasons.append(DomainError('forbidden', '只有本社区的居民可以认捐'))
    return reasons


def _check_open(project: Project) -> None:
    if project.state not in projects.PLEDGING:
        raise DomainError('project_not_open_for_pledges', '项目{state}，现在不接受认捐',
                          state=projects.label(project.state))


async def _replay(project_id: int, nonce: str, *, resident_id: int | None = None,
                  recorded_by: int | None = None) -> Pledge | None:
    """The pledge made with this nonce, if it was this person's; another person's nonce is refused."""
    first = await Pledge.get_or_none(project_id=project_id, nonce=nonce)
    if first is None:
        return None
    if (recorded_by is not None and first.recorded_by_id == recorded_by) or \
            (recorded_by is None and first.recorded_by_id is None and first.resident_id == resident_id
             and resident_id is not None):
        return first
    raise DomainError('bad_nonce', '提交编号无效，请刷新页面后再试')


async def _create(actor: Principal, project: Project, *, resident_id: int | None, name: str, need_id: int | None,
                  kind: str, item: str, unit: str, quantity: object, slot: str, thank_publicly: bool, nonce: str,
                  recorded_by: int | None, at: datetime | None) -> Pledge:
    _check_open(project)
    kind = rules.check_kind(kind)
    if need_id is not None:
        need = await PledgeNeed.get_or_none(id=need_id, project_id=project.id)
        if need is None:
            raise DomainError('need_not_found', '没有找到这项需求，请刷新后再选')
        if need.kind != kind:
            raise DomainError('need_kind_mismatch', '这项需求是“{need}”，不是“{kind}”',
                              need=rules.kind_label(need.kind), kind=rules.kind_label(kind))
        item, unit, slot = need.item, need.unit, need.slot or rules.check_slot(slot)
    else:
        unit = rules.check_unit(kind, unit)
        item, slot = rules.check_item(item, kind), rules.check_slot(slot)
    amount = rules.check_quantity(kind, unit, quantity)
    at = at or audit.now()
    try:
        async with in_transaction() as conn:
            row = await Pledge.create(project_id=project.id, need_id=need_id, resident_id=resident_id, name=name,
                                      kind=kind, item=item, unit=unit, quantity=amount, slot=slot,
                                      thank_publicly=bool(thank_publicly), state='pledged', received=rules.ZERO,
                                      recorded_by_id=recorded_by, nonce=nonce, created_at=at, using_db=conn)
            await audit.record('pledge.created', actor_id=actor.account_id, community_id=project.community_id,
                               target=row, data={'project_id': project.id, 'need_id': need_id, 'kind': kind,
                                                 'item': item, 'unit': unit, 'quantity': str(amount),
                                                 'for_resident': resident_id, 'name': name if recorded_by else None},
                               at=at, using_db=conn)
    except IntegrityError:  # the same nonce sent twice at the same moment: the first one stands
        first = await Pledge.get_or_none(project_id=project.id, nonce=nonce)
        if first is None:
            raise
        return first
    await _publish(project, pledge_id=row.id)
    return row


async def _pledge_and_project(pledge_id: int) -> tuple[Pledge, Project]:
    row = await Pledge.get_or_none(id=pledge_id)
    if row is None:
        raise DomainError('not_found', '没有找到这笔认捐')
    return row, await get_project(row.project_id)


async def _publish(project: Project, **ids: int) -> None:
    await events.publish('pledge.changed', community_id=project.community_id, project_id=project.id, **ids)

