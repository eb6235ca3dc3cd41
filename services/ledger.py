"""The staff ledger (台账): every issue and wish of a community, filtered, on screen and as Excel to hand upward.

Read-only. Names appear (it is a staff ledger) but never a phone number: the export goes up to the street and
beyond, so even a mobile number typed into a title, text or reason is masked as 138****5678.
"""
from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from tortoise.expressions import Q

from domain import lifecycle, triage
from domain.errors import DomainError
from domain.people import mask_phone
from domain.permissions import Principal
from models import Community, Issue, IssueEvent
from services import accounts, audit, excel, issues

LOCAL = triage.LOCAL
PAGE = 50
BATCH = 500  # rows fetched per query when exporting: memory stays flat however big the community
MAX_SEARCH = 40
_MOBILE = re.compile(r'(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)')

HEADERS = ('编号', '类型', '标题', '内容', '类别', '小区', '楼栋', '提出人', '渠道', '状态', '分类', '牵头单位',
           '附议数', '提出时间', '最后更新', '街道答复期限', '处理经过')
WIDTHS = (8, 10, 30, 50, 16, 14, 10, 12, 12, 12, 8, 24, 8, 17, 17, 17, 70)
_DATE_COLUMNS = {'提出时间', '最后更新', '街道答复期限'}
_WRAPPED = {'标题', '内容', '处理经过'}


@dataclass(frozen=True)
class Filters:
    """What the ledger shows; every field empty means everything. Dates are local calendar days, both included."""
    kind: str | None = None
    state: str | None = None
    channel: str | None = None
    category: str | None = None
    compound_id: int | None = None
    scale: str | None = None
    since: date | None = None
    until: date | None = None
    text: str = ''

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Filters:
        """From query parameters (the export's address). Errors: invalid_filter."""
        def choice(name: str, allowed) -> str | None:
            value = (params.get(name) or '').strip()
            if value and value not in allowed:
                raise DomainError('invalid_filter', '筛选条件不对：{name}', name=name)
            return value or None

        def number(name: str) -> int | None:
            value = (params.get(name) or '').strip()
            if not value:
                return None
            if not value.isdecimal():
                raise DomainError('invalid_filter', '筛选条件不对：{name}', name=name)
            return int(value)

        def day(name: str) -> date | None:
            value = (params.get(name) or '').strip()
            try:
                return date.fromisoformat(value) if value else None
            except ValueError as e:
                raise DomainError('invalid_filter', '筛选条件不对：{name}', name=name) from e

        return cls(kind=choice('kind', issues.KINDS), state=choice('state', states()),
                   channel=choice('channel', issues.CHANNELS), category=choice('category', triage.CATEGORIES),
                   compound_id=number('compound'), scale=choice('scale', triage.SCALES),
                   since=day('since'), until=day('until'), text=(params.get('q') or '').strip()[:MAX_SEARCH])

    def as_query(self) -> dict[str, str]:
        """The query parameters that give these filters back (only the ones set)."""
        names = {'compound_id': 'compound', 'text': 'q'}
        query = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value not in (None, ''):
                query[names.get(item.name, item.name)] = value.isoformat() if isinstance(value, date) else str(value)
        return query

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)


@dataclass(frozen=True)
class Row:
    """One item as the ledger shows it: labels in Chinese, times aware, no phone number anywhere."""
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    category: str
    compound: str
    building: str
    author: str
    channel: str
    state: str
    state_label: str
    scale: str
    lead: str
    supports: int
    created_at: datetime
    updated_at: datetime
    street_due_at: datetime | None
    overdue: bool
    timeline: str


def states() -> dict[str, str]:
    """Every state of either kind, for the filter (shared values such as 已提交 appear once)."""
    found: dict[str, str] = {}
    for enum in (lifecycle.IssueState, lifecycle.WishState):
        for state in enum:
            found.setdefault(state.value, state.label)
    return found


def channels() -> dict[str, str]:
    return dict(issues.CHANNELS)


async def page(user: Principal, community_id: int, filters: Filters, *, limit: int = PAGE,
               at: datetime | None = None) -> tuple[int, list[Row]]:
    """How many items match, and the newest `limit` of them. Errors: forbidden."""
    accounts.require(user, 'issue.ledger', community_id)
    query = _query(community_id, filters)
    total = await query.count()
    rows = await _rows(await query.order_by('-created_at', '-id').limit(limit)
                       .prefetch_related('compound', 'building'), at=at or audit.now())
    return total, rows


async def all_rows(user: Principal, community_id: int, filters: Filters, *,
                   at: datetime | None = None) -> AsyncIterator[Row]:
    """Every matching item, newest first, fetched `BATCH` at a time. Errors: forbidden."""
    accounts.require(user, 'issue.ledger', community_id)
    at = at or audit.now()
    last: tuple[datetime, int] | None = None
    while True:
        query = _query(community_id, filters)
        if last is not None:  # keyset paging: stable while new items arrive during the export
            query = query.filter(Q(created_at__lt=last[0]) | Q(created_at=last[0], id__lt=last[1]))
        batch = await query.order_by('-created_at', '-id').limit(BATCH).prefetch_related('compound', 'building')
        if not batch:
            return
        for row in await _rows(batch, at=at):
            yield row
        last = (batch[-1].created_at, batch[-1].id)


async def export_xlsx(user: Principal, community_id: int, filters: Filters, *,
                      at: datetime | None = None) -> tuple[str, bytes]:
    """The ledger as an .xlsx: (file name, bytes). Write-only, so rows are streamed out, never all held as cells.

    A title row with the community and the export time, then the Chinese headers (frozen, with an autofilter).
    The export is audited: the file leaves the office. Errors: forbidden, not_found.
    """
    accounts.require(user, 'issue.ledger', community_id)
    at = at or audit.now()
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    book = openpyxl.Workbook(write_only=True)
    sheet = excel.titled_sheet(book, '台账', HEADERS, WIDTHS, f'{community.name} 议题和微心愿台账（导出时间：'
                               f'{excel.local(at):%Y-%m-%d %H:%M}）', heading_size=14)
    last_row = 2
    async for row in all_rows(user, community_id, filters, at=at):
        sheet.append(_cells(sheet, row))
        last_row += 1
    sheet.auto_filter.ref = f'A2:{get_column_letter(len(HEADERS))}{last_row}'
    buffer = io.BytesIO()
    book.save(buffer)
    await audit.record('issue.ledger.exported', actor_id=user.account_id, community_id=community_id,
                       data={'rows': last_row - 2, 'filters': filters.as_query()}, at=at)
    return f'{community.name}台账-{excel.local(at):%Y%m%d-%H%M}.xlsx', buffer.getvalue()


def mask_phones(text: str) -> str:
    """Any mainland mobile number in free text as 138****5678."""
    return _MOBILE.sub(lambda m: mask_phone(m.group(1) + m.group(2) + m.group(3)), text or '')


# ---- helpers ----

def _query(community_id: int, filters: Filters):
    query = Issue.filter(community_id=community_id)
    for name in ('kind', 'state', 'channel', 'category', 'compound_id', 'scale'):
        value = getattr(filters, name)
        if value is not None:
            query = query.filter(**{name: value})
    if filters.since is not None:
        query = query.filter(created_at__gte=datetime.combine(filters.since, time(), tzinfo=LOCAL))
    if filters.until is not None:
        query = query.filter(created_at__lt=datetime.combine(filters.until + timedelta(days=1), time(), tzinfo=LOCAL))
    text = filters.text.strip()
    if text:
        condition = Q(title__icontains=text) | Q(body__icontains=text) | Q(author_name__icontains=text)
        if text.lstrip('#').isdecimal():
            condition |= Q(id=int(text.lstrip('#')))
        query = query.filter(condition)
    return query


async def _rows(items: list[Issue], *, at: datetime) -> list[Row]:
    timelines: dict[int, list[str]] = {item.id: [] for item in items}
    if items:
        for event in await IssueEvent.filter(issue_id__in=list(timelines)).order_by('issue_id', 'at', 'id'):
            line = f'{excel.local(event.at):%Y-%m-%d %H:%M} {lifecycle.label(event.to_state)}'
            if event.reason:
                line += f'：{event.reason}'
            timelines[event.issue_id].append(mask_phones(line))
    return [_row(item, timelines[item.id], at) for item in items]


def _row(item: Issue, timeline: list[str], at: datetime) -> Row:
    category = triage.CATEGORIES.get(item.category)
    waiting = item.state == 'referred' and item.street_replied_at is None
    return Row(
        id=item.id, kind=item.kind, kind_label=issues.KINDS.get(item.kind, item.kind), title=mask_phones(item.title),
        body=mask_phones(item.body), category=category.label if category else item.category,
        compound=item.compound.name if item.compound else '', building=item.building.name if item.building else '',
        author=mask_phones(item.author_name), channel=issues.CHANNELS.get(item.channel, item.channel),
        state=item.state, state_label=lifecycle.label(item.state), scale=triage.SCALES.get(item.scale or '', ''),
        lead=triage.LEADS.get(item.lead or '', ''), supports=item.support_count, created_at=item.created_at,
        updated_at=item.updated_at, street_due_at=item.street_due_at,
        overdue=waiting and triage.is_overdue(_aware(item.street_due_at), at), timeline='\n'.join(timeline))


def _cells(sheet, row: Row) -> list:
    values = (row.id, row.kind_label, row.title, row.body, row.category, row.compound, row.building, row.author,
              row.channel, row.state_label, row.scale, row.lead, row.supports, excel.excel_time(row.created_at),
              excel.excel_time(row.updated_at), excel.excel_time(row.street_due_at), row.timeline)
    cells = []
    for header, value in zip(HEADERS, values, strict=True):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith('='):
            cell.data_type = 's'  # a title such as '=HYPERLINK(…)' stays text and never runs in Excel
        if header in _DATE_COLUMNS and value is not None:
            cell.number_format = 'yyyy-mm-dd hh:mm'
        if header in _WRAPPED:
            cell.alignment = Alignment(wrap_text=True, vertical='top')
        elif header == '街道答复期限' and row.overdue:
            cell.font = Font(bold=True, color='C62828')
        cells.append(cell)
    return cells


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


