"""Reading pledges: the live ledger, the thank-you names (consenting only), one's own pledges, the organisers' list.

Thanks go to what **arrived**, not to promises: a name appears once something it pledged was received, and only
when its pledger ticked 同意公开致谢. Never a phone number on anything public. The organisers' list masks phones
unless the viewer may `resident.phone`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain import pledges as rules
from domain.people import mask_phone
from domain.permissions import Principal, can
from models import Account, Pledge, PledgeNeed, Resident
from services import accounts
from services.project_moves import get_project

Ledger = rules.Ledger


@dataclass(frozen=True)
class NeedView:
    id: int
    kind: str
    kind_label: str
    item: str
    unit: str
    slot: str
    quantity: Decimal
    still_needed: Decimal


@dataclass(frozen=True)
class ThankYou:
    """One consenting pledger and what arrived from them: ('刷墙', '4', '小时') …"""
    name: str
    gifts: tuple[tuple[str, str, str], ...]  # (item, quantity, unit)

    @property
    def text(self) -> str:
        return '、'.join(f'{item} {quantity} {unit}' for item, quantity, unit in self.gifts)


@dataclass(frozen=True)
class PledgeView:
    id: int
    project_id: int
    need_id: int | None
    name: str
    phone: str  # masked unless the viewer may resident.phone; '' for a name without a resident
    kind: str
    kind_label: str
    item: str
    unit: str
    quantity: Decimal
    slot: str
    state: str
    state_label: str
    received: Decimal
    thank_publicly: bool
    created_at: datetime
    confirmed_by: str
    confirmed_at: datetime | None
    recorded_by: str  # the organiser who recorded it for someone, else ''
    may_withdraw: bool
    withdraw_reason: str = ''


async def ledger(project_id: int) -> rules.Ledger:
    """Needed / pledged / received per need and 其他, with totals per kind and unit (domain.pledges.ledger)."""
    needs = await PledgeNeed.filter(project_id=project_id).order_by('position', 'id')
    rows = await Pledge.filter(project_id=project_id).order_by('id')
    return rules.ledger([_need_row(n) for n in needs], [_pledge_row(p) for p in rows])


async def needs(project_id: int) -> list[NeedView]:
    """The listed needs with what is still needed, for the pledge form."""
    book = await ledger(project_id)
    return [NeedView(line.need_id, line.kind, rules.kind_label(line.kind), line.item, line.unit, line.slot,
                     line.needed, line.still_needed) for line in book.lines if line.need_id is not None]


async def thanks(project_id: int) -> list[ThankYou]:
    """Consenting pledgers with what arrived from them, in the order they first pledged."""
    rows = await Pledge.filter(project_id=project_id, thank_publicly=True).order_by('id')
    people: dict[object, tuple[str, list[tuple[str, str, str]]]] = {}
    for row in rows:
        if _exact(row.received) <= 0:  # compared here: SQLite keeps decimals as text
            continue
        key = ('resident', row.resident_id) if row.resident_id is not None else ('name', row.name)
        _, gifts = people.setdefault(key, (row.name, []))
        gifts.append((row.item, rules.format_quantity(row.received), row.unit))
    return [ThankYou(name, tuple(gifts)) for name, gifts in people.values()]


async def my_pledges(actor: Principal, project_id: int) -> list[PledgeView]:
    """This resident's pledges on the project, newest first."""
    if actor.resident_id is None:
        return []
    project = await get_project(project_id)
    rows = await Pledge.filter(project_id=project.id, resident_id=actor.resident_id).order_by('-id')
    return await _views(actor, project, rows)


async def project_pledges(actor: Principal, project_id: int) -> list[PledgeView]:
    """Every pledge of the project for organisers, newest first. Errors: not_found, forbidden."""
    project = await get_project(project_id)
    accounts.require(actor, 'pledge.confirm', project)
    rows = await Pledge.filter(project_id=project.id).order_by('-id')
    return await _views(actor, project, rows)


async def _views(actor: Principal, project, rows: list[Pledge]) -> list[PledgeView]:
    residents = {r.id: r for r in await Resident.filter(id__in={p.resident_id for p in rows if p.resident_id})}
    account_ids = {a for p in rows for a in (p.confirmed_by_id, p.recorded_by_id) if a}
    names = dict(await Account.filter(id__in=account_ids).values_list('id', 'name')) if account_ids else {}
    full = can(actor, 'resident.phone', project)
    organiser = can(actor, 'pledge.confirm', project)
    views = []
    for p in rows:
        resident = residents.get(p.resident_id)
        phone = (resident.phone or '') if resident else ''
        own = actor.resident_id is not None and p.resident_id == actor.resident_id
        views.append(PledgeView(
            id=p.id, project_id=p.project_id, need_id=p.need_id, name=p.name,
            phone=phone if full or own else mask_phone(phone), kind=p.kind, kind_label=rules.kind_label(p.kind),
            item=p.item, unit=p.unit, quantity=p.quantity, slot=p.slot, state=p.state,
            state_label=rules.state_label(p.state), received=p.received, thank_publicly=p.thank_publicly,
            created_at=p.created_at, confirmed_by=names.get(p.confirmed_by_id, ''), confirmed_at=p.confirmed_at,
            recorded_by=names.get(p.recorded_by_id, ''),
            may_withdraw=p.state != 'withdrawn' and (organiser or (own and p.received == 0)),
            withdraw_reason=p.withdraw_reason or ''))
    return views


def _need_row(n: PledgeNeed) -> rules.NeedRow:
    return rules.NeedRow(n.id, n.kind, n.item, n.unit, _exact(n.quantity), n.slot, n.position)


def _pledge_row(p: Pledge) -> rules.PledgeRow:
    return rules.PledgeRow(p.id, p.need_id, p.kind, p.unit, _exact(p.quantity), _exact(p.received), p.state)


def _exact(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
