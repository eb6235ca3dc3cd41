"""The money of a project: budget lines by source, spendings with receipt photos, voiding, and the totals.

A spending is never edited or deleted: a mistake is voided with a reason and stays visible, struck through.
A spending beyond its source's remaining budget is refused ('over_budget', saying by how much) unless a reason is
given; then it is stored flagged (`over_budget`) and every view shows the flag and the reason.

A budget line may be removed only while the spendings from its source still fit in what would remain: removing
a mistyped line must never turn recorded, receipted spending into an overspend behind anyone's back (and a line
whose money was already used is history, not a typo). A line and a spending carry the form's nonce: the same
nonce again (a double tap, a resent form) returns the first, backed by a unique constraint.

Sums are made in Python (domain.money), never in SQL. Every change writes an audit entry and publishes
'budget.changed' (with community_id and project_id) after the commit.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import money as rules
from domain.errors import DomainError
from domain.hall import check_nonce
from domain.meetings import LOCAL
from domain.people import checked_text
from domain.permissions import Principal, can
from domain.projects import WORKING
from models import Account, BudgetLine, Community, Project, Spending
from services import audit, events, photos
from services.project_moves import get_project

EARLIEST_DAYS = 90  # a receipt may predate the project by this much (a design fee, materials bought ahead)
Receipt = tuple[bytes | photos.ProcessedPhoto, str]  # the uploaded bytes (or already re-encoded) and the file name


# ---- use cases ----

async def add_budget_line(actor: Principal, project_id: int, *, source: str, amount: object, note: str = '',
                          nonce: str | None = None, at: datetime | None = None) -> BudgetLine:
    """Add money promised by one source; the same nonce again returns the first line.

    Errors: not_found, forbidden, bad_nonce, project_not_working, invalid_source, invalid_amount,
    amount_not_positive, amount_too_precise, amount_too_large, invalid_note.
    """
    at = at or audit.now()
    project = await _project(actor, project_id)
    if nonce is not None:
        nonce = check_nonce(nonce)
        if nonce is None:
            raise DomainError('bad_nonce', '提交编号无效，请刷新页面后再发')
        first = await BudgetLine.get_or_none(project_id=project.id, nonce=nonce)
        if first is not None:  # the same form tapped twice: added once
            return first
    source = rules.check_source(source)
    value = rules.parse_amount(amount, field='预算金额')
    note = checked_text(note, rules.MAX_NOTE, 'invalid_note', '备注')
    try:
        async with in_transaction() as conn:
            line = await BudgetLine.create(project_id=project.id, source=source, amount=value, note=note,
                                           created_by_id=actor.account_id, nonce=nonce, created_at=at, using_db=conn)
            await audit.record('project.budget.added', actor_id=actor.account_id, community_id=project.community_id,
                               target=project, data={'line': line.id, 'source': source, 'amount': str(value),
                                                     'note': note}, at=at, using_db=conn)
    except IntegrityError:  # the same form sent twice at the same moment
        first = await BudgetLine.get_or_none(project_id=project.id, nonce=nonce) if nonce else None
        if first is None:
            raise
        return first
    await _changed(project)
    return line


async def remove_budget_line(actor: Principal, line_id: int, *, at: datetime | None = None) -> None:
    """Remove a mistyped line while the spendings from its source still fit without it.

    Errors: not_found, forbidden, project_not_working, line_in_use.
    """
    at = at or audit.now()
    line = await BudgetLine.get_or_none(id=line_id)
    if line is None:
        raise DomainError('not_found', '没有找到这条预算')
    project = await _project(actor, line.project_id)
    async with in_transaction() as conn:
        await _lock(project.id, conn)
        summary = await _summary(project.id, conn)
        row = summary.source(line.source)
        if row.budget - line.amount < row.spent:
            raise DomainError('line_in_use', '“{source}”已支出 {spent} 元，删掉这条预算就不够了，不能删除',
                              source=row.label, spent=rules.yuan(row.spent))
        removed = await BudgetLine.filter(id=line.id).using_db(conn).delete()
        if not removed:
            raise DomainError('not_found', '没有找到这条预算')
        await audit.record('project.budget.removed', actor_id=actor.account_id, community_id=project.community_id,
                           target=project, data={'line': line.id, 'source': line.source, 'amount': str(line.amount),
                                                 'note': line.note}, at=at, using_db=conn)
    await _changed(project)


async def record_spending(actor: Principal, project_id: int, *, source: str, amount: object, item: str,
                          payee: str = '', spent_on: date, receipt: Receipt | None, over_reason: str | None = None,
                          nonce: str, at: datetime | None = None) -> Spending:
    """Record money paid out, with a photo of the receipt; the same nonce again returns the first record.

    Errors: not_found, forbidden, bad_nonce, project_not_working, invalid_source, invalid_amount,
    amount_not_positive, amount_too_precise, amount_too_large, invalid_item, invalid_payee, invalid_date,
    spent_in_future, spent_too_early, over_budget (with `over`, `remaining`), invalid_reason, and the photo errors
    of services.photos.
    """
    at = at or audit.now()
    project = await _project(actor, project_id, working=False)
    nonce = check_nonce(nonce)
    if nonce is None:
        raise DomainError('bad_nonce', '提交编号无效，请刷新页面后再发')
    first = await Spending.get_or_none(project_id=project.id, nonce=nonce)
    if first is not None:  # a replay answers as the first time did, even if the project moved on since
        return first
    _check_working(project)
    source = rules.check_source(source)
    value = rules.parse_amount(amount, field='支出金额')
    item = checked_text(item, rules.MAX_ITEM, 'invalid_item', '支出事项')
    if not item:
        raise DomainError('invalid_item', '请写明支出事项（买了什么、做了什么）')
    payee = checked_text(payee, rules.MAX_PAYEE, 'invalid_payee', '收款方')
    _check_date(spent_on, project, at)
    reason = rules.check_reason(over_reason, what='超支原因') if (over_reason or '').strip() else None
    photo = None
    if receipt is not None:
        data, filename = receipt
        photo = data if isinstance(data, photos.ProcessedPhoto) else await photos.process_async(data,
                                                                                                filename=filename)
    try:
        async with in_transaction() as conn:
            await _lock(project.id, conn)
            current = await Project.get(id=project.id).using_db(conn)
            _check_working(current)
            summary = await _summary(project.id, conn)
            over = rules.overspend(summary, source, value)
            if over > 0 and reason is None:
                remaining = max(rules.ZERO, summary.source(source).remaining)
                raise DomainError('over_budget',
                                  '超出“{source}”的剩余预算 {over} 元（还剩 {remaining} 元）。确需支出请写明超支原因',
                                  source=rules.source_label(source), over=rules.yuan(over),
                                  remaining=rules.yuan(remaining))
            key = photos.save(photo) if photo is not None else None  # content-addressed: a rollback leaves no harm
            row = await Spending.create(
                project_id=project.id, source=source, amount=value, item=item, payee=payee, spent_on=spent_on,
                receipt_key=key, receipt_width=photo.width if photo else None,
                receipt_height=photo.height if photo else None, over_budget=over > 0,
                over_reason=reason if over > 0 else None, recorded_by_id=actor.account_id, nonce=nonce,
                created_at=at, using_db=conn)
            await audit.record('project.spending.recorded', actor_id=actor.account_id,
                               community_id=project.community_id, target=project,
                               data={'spending': row.id, 'source': source, 'amount': str(value), 'item': item,
                                     'over': str(over), 'receipt': key}, at=at, using_db=conn)
    except IntegrityError:  # the same form sent twice at the same moment
        first = await Spending.get_or_none(project_id=project.id, nonce=nonce)
        if first is None:
            raise
        return first
    await _changed(project)
    return row


async def void_spending(actor: Principal, spending_id: int, *, reason: str, at: datetime | None = None) -> Spending:
    """Void a mistaken spending with a reason; it stays on every view, struck through.

    Errors: not_found, forbidden, project_not_working, reason_required, invalid_reason, already_voided.
    """
    at = at or audit.now()
    row = await Spending.get_or_none(id=spending_id)
    if row is None:
        raise DomainError('not_found', '没有找到这笔支出')
    project = await _project(actor, row.project_id)
    why = rules.check_reason(reason, what='作废原因')
    async with in_transaction() as conn:
        changed = await Spending.filter(id=row.id, voided_at=None).using_db(conn) \
            .update(voided_at=at, voided_by_id=actor.account_id, void_reason=why)
        if not changed:
            raise await _already_voided(row.id)
        await audit.record('project.spending.voided', actor_id=actor.account_id, community_id=project.community_id,
                           target=project, data={'spending': row.id, 'amount': str(row.amount), 'reason': why},
                           at=at, using_db=conn)
    await _changed(project)
    return await Spending.get(id=row.id)


# ---- views ----

@dataclass(frozen=True)
class LineRow:
    id: int
    source: str
    source_label: str
    amount: rules.Decimal
    note: str
    created_at: datetime


@dataclass(frozen=True)
class SpendingRow:
    id: int
    source: str
    source_label: str
    amount: rules.Decimal
    item: str
    payee: str
    spent_on: date
    receipt_key: str | None
    over_budget: bool
    over_reason: str | None
    voided: bool
    void_reason: str | None
    voided_at: datetime | None
    recorded_by: str  # the staff member's name: only for those who may keep the books, else ''


@dataclass(frozen=True)
class MoneyView:
    project_id: int
    community_id: int
    title: str
    state: str
    summary: rules.MoneySummary
    lines: tuple[LineRow, ...]
    spendings: tuple[SpendingRow, ...]  # newest first, voided ones included
    may_edit: bool  # the viewer keeps the books and the project is still being worked on


async def money_view(project_id: int, *, viewer: Principal) -> MoneyView:
    """Everything the money section shows, for this viewer. Errors: not_found."""
    project = await get_project(project_id)
    lines = await BudgetLine.filter(project_id=project.id).order_by('created_at', 'id')
    spendings = await Spending.filter(project_id=project.id).order_by('-spent_on', '-id')
    staff = can(viewer, 'project.money', project)
    names = {}
    if staff:
        ids = {s.recorded_by_id for s in spendings} - {None}
        names = dict(await Account.filter(id__in=ids).values_list('id', 'name')) if ids else {}
    return MoneyView(
        project.id, project.community_id, project.title, project.state, rules.summarise(lines, spendings),
        tuple(LineRow(x.id, x.source, rules.source_label(x.source), x.amount, x.note, x.created_at) for x in lines),
        tuple(SpendingRow(s.id, s.source, rules.source_label(s.source), s.amount, s.item, s.payee, s.spent_on,
                          s.receipt_key, s.over_budget, s.over_reason, s.voided_at is not None, s.void_reason,
                          s.voided_at, names.get(s.recorded_by_id, '')) for s in spendings),
        staff and project.state in WORKING)


async def money_totals(project_ids: Collection[int]) -> dict[int, rules.MoneySummary]:
    """Per project (every id asked for; all zero without money): budget, spent, remaining, per-source rows."""
    ids = sorted(set(project_ids))
    if not ids:
        return {}
    lines: dict[int, list[BudgetLine]] = {i: [] for i in ids}
    paid: dict[int, list[Spending]] = {i: [] for i in ids}
    for line in await BudgetLine.filter(project_id__in=ids):
        lines[line.project_id].append(line)
    for spending in await Spending.filter(project_id__in=ids, voided_at=None):
        paid[spending.project_id].append(spending)
    return {i: rules.summarise(lines[i], paid[i]) for i in ids}


async def community_money(community_id: int, year: int) -> rules.AllowanceUse:
    """How much of the year's 惠民资金 allowance the community's projects have committed and spent.

    Committed: 惠民资金 budget lines added that year (local time) to projects that were not cancelled; spent:
    unvoided 惠民资金 spendings paid that year, whatever became of the project. Errors: not_found.
    """
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '没有找到这个社区')
    start = datetime(year, 1, 1, tzinfo=LOCAL)
    end = datetime(year + 1, 1, 1, tzinfo=LOCAL)
    committed = sum((line.amount for line in await BudgetLine.filter(
        project__community_id=community_id, source='huimin', created_at__gte=start, created_at__lt=end)
        .exclude(project__state='cancelled')), rules.ZERO)
    spent = sum((s.amount for s in await Spending.filter(
        project__community_id=community_id, source='huimin', voided_at=None, spent_on__gte=date(year, 1, 1),
        spent_on__lt=date(year + 1, 1, 1))), rules.ZERO)
    return rules.allowance_use(community.kind, year, committed=committed, spent=spent)


# ---- helpers ----

async def _project(actor: Principal, project_id: int, *, working: bool = True) -> Project:
    """The project, if this person keeps its books (and, unless `working=False`, it is still worked on)."""
    project = await get_project(project_id)
    if not can(actor, 'project.money', project):
        raise DomainError('forbidden', '只有社区工作者可以记账')
    if working:
        _check_working(project)
    return project


def _check_working(project: Project) -> None:
    if project.state not in WORKING:
        raise DomainError('project_not_working', '项目已办结或已撤销，账目不能再改动')


def _check_date(spent_on: object, project: Project, at: datetime) -> None:
    if not isinstance(spent_on, date) or isinstance(spent_on, datetime):
        raise DomainError('invalid_date', '请选择支出日期')
    today = at.astimezone(LOCAL).date()
    if spent_on > today:
        raise DomainError('spent_in_future', '支出日期不能晚于今天')
    earliest = project.created_at.astimezone(LOCAL).date() - timedelta(days=EARLIEST_DAYS)
    if spent_on < earliest:
        raise DomainError('spent_too_early', '支出日期不能早于 {earliest}（立项前 {days} 天）',
                          earliest=earliest.isoformat(), days=EARLIEST_DAYS)


async def _lock(project_id: int, conn) -> None:
    """Serialise money changes of one project (PostgreSQL row lock; SQLite's writer lock does it there)."""
    await Project.filter(id=project_id).using_db(conn).select_for_update().first()


async def _summary(project_id: int, conn) -> rules.MoneySummary:
    lines = await BudgetLine.filter(project_id=project_id).using_db(conn)
    spendings = await Spending.filter(project_id=project_id, voided_at=None).using_db(conn)
    return rules.summarise(lines, spendings)


async def _already_voided(spending_id: int) -> DomainError:
    row = await Spending.get(id=spending_id)
    when = row.voided_at.astimezone(LOCAL).strftime('%Y-%m-%d %H:%M') if row.voided_at else ''
    return DomainError('already_voided', '这笔支出已于 {when} 作废，原因：{reason}', when=when,
                       reason=row.void_reason or '')


async def _changed(project: Project) -> None:
    await events.publish('budget.changed', community_id=project.community_id, project_id=project.id)
