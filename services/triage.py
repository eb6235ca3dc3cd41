"""议题分流 at the 两委 joint meeting: the accepted issues waiting with a suggested class, classifying each as
大事/小事/微事 with its leading body, the street's reply to a 大事, and the 三事分送清单 on screen and in Excel.

Every state change goes through services.issues.move, so the timeline, the audit entry and the author's notice
are written in one place.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from domain import lifecycle, triage
from domain.errors import DomainError
from domain.people import checked_text as _text
from domain.permissions import Principal
from models import Community, Compound, Council, Issue, IssueEvent
from services import accounts, audit, events, issues

MAX_REPLY = 500  # the reply is also the reason on the resident's timeline, which holds 500 characters
MAX_NOTE = 200
SCALE_ORDER = ('big', 'small', 'micro')
ON_THE_LIST = ('triaged', 'referred')
LEAD_RULES = {  # who leads each class (domain.triage.SCALE_LEAD), as a refusal says it
    'big': '大事应转街道（乡镇）办理，不指定议事会',
    'small': '小事应由社区（村）议事协商委员会牵头',
    'micro': '微事应由本小区（村民小组）的议事会牵头',
}


@dataclass(frozen=True)
class Pending:
    """An accepted issue waiting for the joint meeting, with what the rules suggest and why."""
    id: int
    title: str
    body: str
    category: str  # label
    place: str
    urgent: bool
    supports: int
    created_at: datetime
    suggestion: triage.Suggestion
    community_council: str | None  # the name of the body that would lead a 小事
    compound_council: str | None  # … and a 微事 (the issue's compound's 议事会), when they exist


@dataclass(frozen=True)
class DispatchItem:
    """One line of the 三事分送清单."""
    id: int
    title: str
    category: str  # label
    place: str
    scale: str
    lead: str  # key of domain.triage.LEADS
    lead_body: str  # the council's name, else the LEADS label
    council: str | None
    urgent: bool
    state: str
    created_at: datetime
    triaged_at: datetime | None
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class DispatchGroup:
    scale: str
    label: str
    items: tuple[DispatchItem, ...]


@dataclass(frozen=True)
class DispatchList:
    community_id: int
    community_name: str
    at: datetime  # when the list was drawn up (overdue is judged at this moment)
    groups: tuple[DispatchGroup, ...]  # 大事, 小事, 微事, each present even when empty

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


async def pending(actor: Principal, community_id: int) -> list[Pending]:
    """Accepted issues of the community waiting for triage, urgent first, then oldest first. Errors: forbidden."""
    accounts.require(actor, 'issue.triage', community_id)
    rows = await Issue.filter(community_id=community_id, kind='issue', state='accepted') \
        .order_by('-urgent', 'created_at', 'id').prefetch_related('compound', 'building')
    names = dict(await Compound.filter(community_id=community_id).values_list('id', 'name'))
    councils = await Council.filter(community_id=community_id)
    community_council = next((c.name for c in councils if c.compound_id is None), None)
    by_compound = {c.compound_id: c.name for c in councils if c.compound_id is not None}
    out = []
    for row in rows:
        ids = frozenset({row.compound_id}) if row.compound_id is not None else frozenset()
        suggestion = triage.suggest(category=row.category, compound_ids=ids, compound_names=names) \
            if row.category in triage.CATEGORIES else triage.suggest(category='other', compound_ids=ids,
                                                                     compound_names=names)
        out.append(Pending(row.id, row.title, row.body, _category(row.category), _place(row), row.urgent,
                           row.support_count, row.created_at, suggestion, community_council,
                           by_compound.get(row.compound_id)))
    return out


async def classify(actor: Principal, issue_id: int, *, scale: str, lead: str, council_id: int | None = None,
                   urgent: bool = False, reason: str | None = None, at: datetime | None = None) -> Issue:
    """Sort an accepted issue into 大事/小事/微事 with its leading body; a 大事 goes on to the street with a due date.

    小事 is led by the community's 议事协商委员会, 微事 by the issue's compound's 议事会 (when they exist, or the
    `council_id` given); a 大事 has no council. Errors: not_found, forbidden, not_pending, invalid_scale,
    invalid_lead, lead_mismatch, invalid_council, invalid_reason, and those of services.issues.move.
    """
    at = at or audit.now()
    issue = await Issue.get_or_none(id=issue_id)
    if issue is None or issue.kind != 'issue':
        raise DomainError('not_found', '找不到这条议题')
    accounts.require(actor, 'issue.triage', issue)
    if issue.state != 'accepted':
        raise DomainError('not_pending', '只有“已受理”的议题可以分流，这条现在是“{state}”',
                          state=lifecycle.label(issue.state))
    if scale not in triage.SCALES:
        raise DomainError('invalid_scale', '请选择大事、小事或微事')
    if lead not in triage.LEADS:
        raise DomainError('invalid_lead', '请选择牵头单位')
    if triage.SCALE_LEAD[scale] != lead:
        raise DomainError('lead_mismatch', LEAD_RULES[scale])
    council = await _council_for(issue, scale, council_id)
    note = _text(reason, MAX_NOTE, 'invalid_reason', '说明')
    body = council.name if council is not None else triage.LEADS[lead]
    why = f'分流为{triage.SCALES[scale]}，由{body}牵头' + ('（紧急）' if urgent else '') + (f'：{note}' if note else '')
    await issues.move(actor, issue.id, 'triaged', reason=why, at=at)
    due = triage.street_reply_due(at) if scale == 'big' else None
    async with in_transaction() as conn:
        await Issue.filter(id=issue.id, state='triaged').using_db(conn).update(
            scale=scale, lead=lead, council_id=council.id if council else None, urgent=bool(urgent),
            street_due_at=due, updated_at=at)
        await audit.record('issue.triaged', actor_id=actor.account_id, community_id=issue.community_id,
                           target=issue, data={'scale': scale, 'lead': lead, 'urgent': bool(urgent),
                                               'council_id': council.id if council else None,
                                               'street_due_at': due.isoformat() if due else None},
                           at=at, using_db=conn)
    if scale == 'big':
        await issues.move(actor, issue.id, 'referred', at=at,
                          reason=f'已转{triage.LEADS["street"]}办理，答复期限 {due.strftime("%Y-%m-%d")}')
    await events.publish('issue.triaged', community_id=issue.community_id, issue_id=issue.id, scale=scale)
    return await Issue.get(id=issue.id)


async def record_street_reply(actor: Principal, issue_id: int, *, reply: str, handled: bool,
                              at: datetime | None = None) -> Issue:
    """The street answered a referred 大事: handled (closed, the reply as the reason) or sent back to deliberate.

    Errors: not_found, forbidden, not_referred, invalid_reply, and those of services.issues.move.
    """
    at = at or audit.now()
    issue = await Issue.get_or_none(id=issue_id)
    if issue is None or issue.kind != 'issue':
        raise DomainError('not_found', '找不到这条议题')
    accounts.require(actor, 'issue.triage', issue)
    if issue.state != 'referred':
        raise DomainError('not_referred', '只有“已转街道”的议题可以记录街道答复')
    text = _text(reply, MAX_REPLY, 'invalid_reply', '街道答复')
    if not text:
        raise DomainError('invalid_reply', '请填写街道的答复')
    target = 'closed' if handled else 'deliberating'
    await issues.move(actor, issue.id, target, reason=text, at=at)
    await Issue.filter(id=issue.id, state=target).update(street_reply=text, street_replied_at=at, updated_at=at)
    await events.publish('issue.street_replied', community_id=issue.community_id, issue_id=issue.id, state=target)
    return await Issue.get(id=issue.id)


async def dispatch_list(actor: Principal, community_id: int, *, since: datetime | None = None,
                        until: datetime | None = None, at: datetime | None = None) -> DispatchList:
    """The 三事分送清单: issues triaged (or referred) and not yet taken further, grouped 大事/小事/微事.

    `since`/`until` limit it to issues triaged in that span (until exclusive). Errors: forbidden, not_found.
    """
    accounts.require(actor, 'issue.triage', community_id)
    at = at or audit.now()
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    rows = await Issue.filter(community_id=community_id, kind='issue', state__in=ON_THE_LIST) \
        .prefetch_related('compound', 'building', 'council')
    triaged_at: dict[int, datetime] = {}
    for issue_id, when in await IssueEvent.filter(issue_id__in=[r.id for r in rows], to_state='triaged') \
            .order_by('at', 'id').values_list('issue_id', 'at'):
        triaged_at[issue_id] = when  # the latest triage counts
    items = []
    for row in rows:
        when = triaged_at.get(row.id)
        if (since is not None and (when is None or when < since)) or (until is not None and (when is None
                                                                                             or when >= until)):
            continue
        council = row.council.name if row.council is not None else None
        items.append(DispatchItem(
            id=row.id, title=row.title, category=_category(row.category), place=_place(row),
            scale=row.scale or 'small', lead=row.lead or triage.SCALE_LEAD.get(row.scale or 'small', ''),
            lead_body=council or triage.LEADS.get(row.lead or '', ''), council=council, urgent=row.urgent,
            state=row.state, created_at=row.created_at, triaged_at=when, due_at=row.street_due_at,
            overdue=row.state == 'referred' and triage.is_overdue(row.street_due_at, at)))
    items.sort(key=lambda i: (not i.urgent, i.triaged_at or i.created_at, i.id))
    groups = tuple(DispatchGroup(s, triage.SCALES[s], tuple(i for i in items if i.scale == s)) for s in SCALE_ORDER)
    return DispatchList(community_id, community.name, at, groups)


def dispatch_xlsx(lst: DispatchList) -> bytes:
    """The 三事分送清单 as one printable sheet (A4 landscape, fit to width), in Chinese for handing upward."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = '三事分送清单'
    width = len(XLSX_HEADERS)
    last = get_column_letter(width)
    thin = Side(style='thin', color='999999')
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical='center')

    sheet.append([f'{lst.community_name}三事分送清单（{_local_date(lst.at)}）'])
    sheet.merge_cells(f'A1:{last}1')
    sheet['A1'].font = Font(size=16, bold=True)
    sheet['A1'].alignment = Alignment(horizontal='center', vertical='center')
    sheet.row_dimensions[1].height = 30
    sheet.append([f'共 {lst.count} 项：' + '，'.join(f'{g.label} {len(g.items)} 项' for g in lst.groups)])
    sheet.merge_cells(f'A2:{last}2')
    sheet.append(list(XLSX_HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill('solid', fgColor='DDDDDD')
        cell.border = box
        cell.alignment = Alignment(horizontal='center', vertical='center')
    number = 0
    for group in lst.groups:
        sheet.append([f'{group.label}（{len(group.items)} 项）'])
        row = sheet.max_row
        sheet.merge_cells(f'A{row}:{last}{row}')
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 1).fill = PatternFill('solid', fgColor='F2F2F2')
        if not group.items:
            sheet.append(['', '（无）'])
            continue
        for item in group.items:
            number += 1
            due = _local_date(item.due_at) if item.due_at else ''
            if item.overdue:
                due += '（已超期）'
            sheet.append([number, item.title, item.category, item.place, group.label, item.lead_body,
                          '是' if item.urgent else '', _local_date(item.created_at), due,
                          lifecycle.label(item.state)])
            for cell in sheet[sheet.max_row]:
                cell.border = box
                cell.alignment = wrap
            if item.overdue:
                sheet.cell(sheet.max_row, 9).font = Font(color='C00000', bold=True)
    for index, chars in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = chars
    sheet.freeze_panes = 'A4'
    sheet.print_title_rows = '3:3'
    sheet.page_setup.orientation = 'landscape'
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_HEADERS = ('序号', '议题', '类别', '地点', '分类', '牵头单位', '紧急', '提出时间', '街道答复期限', '状态')
XLSX_WIDTHS = (6, 36, 16, 18, 8, 28, 6, 12, 20, 12)


# ---- helpers ----

async def _council_for(issue: Issue, scale: str, council_id: int | None) -> Council | None:
    """The leading council: the one named (checked), else the community's for 小事 and the compound's for 微事."""
    if scale == 'big':
        if council_id is not None:
            raise DomainError('invalid_council', LEAD_RULES['big'])
        return None
    if council_id is not None:
        council = await Council.get_or_none(id=council_id, community_id=issue.community_id)
        if council is None or (scale == 'small') != (council.compound_id is None):
            raise DomainError('invalid_council', LEAD_RULES[scale])
        return council
    if scale == 'small':
        return await Council.filter(community_id=issue.community_id, compound_id=None).first()
    if issue.compound_id is None:
        return None
    return await Council.filter(community_id=issue.community_id, compound_id=issue.compound_id).first()


def _category(key: str) -> str:
    category = triage.CATEGORIES.get(key)
    return category.label if category else key


def _place(issue: Issue) -> str:
    return ' '.join(p.name for p in (issue.compound, issue.building) if p is not None)


def _local_date(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(triage.LOCAL).strftime('%Y-%m-%d')
