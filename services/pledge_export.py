"""The pledge ledger (认捐台账) as Excel: every pledge of one project, or of a whole community, with totals per project.

Each project's rows are followed by its totals, one row per kind and unit, computed by domain.pledges.ledger — the
same maths as the screen, so the sheet and the board never disagree. Phones are masked unless the downloader may
`resident.phone`. The export is audited: the file leaves the office.
"""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from domain import pledges as rules
from domain.errors import DomainError
from domain.permissions import Principal
from models import Community, Project
from services import accounts, audit, excel, pledge_views
from services.project_moves import get_project

HEADERS = ('项目', '认捐人', '电话', '类型', '内容', '数量', '单位', '时间段', '认捐时间', '已到位', '确认人',
           '确认时间', '状态', '同意公开致谢', '代为登记', '撤回原因')
WIDTHS = (24, 12, 14, 10, 18, 10, 8, 16, 17, 10, 10, 17, 10, 12, 10, 24)
TOTAL = '合计'


async def project_xlsx(user: Principal, project_id: int, *, at: datetime | None = None) -> tuple[str, bytes]:
    """One project's pledge ledger: (file name, bytes). Errors: not_found, forbidden."""
    project = await get_project(project_id)
    accounts.require(user, 'pledge.confirm', project)
    at = at or audit.now()
    data = await _book(user, [project], f'《{project.title}》认捐台账（导出时间：{excel.local(at):%Y-%m-%d %H:%M}）')
    await audit.record('pledge.exported', actor_id=user.account_id, community_id=project.community_id,
                       target=project, data={'project_id': project.id}, at=at)
    return f'{project.title}-认捐台账-{excel.local(at):%Y%m%d-%H%M}.xlsx', data


async def community_xlsx(user: Principal, community_id: int, *, at: datetime | None = None) -> tuple[str, bytes]:
    """Every project's pledges in the community on one sheet, project by project. Errors: not_found, forbidden."""
    accounts.require(user, 'pledge.confirm', community_id)
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    at = at or audit.now()
    projects = await Project.filter(community_id=community_id).order_by('id')
    data = await _book(user, projects, f'{community.name} 认捐台账（导出时间：{excel.local(at):%Y-%m-%d %H:%M}）')
    await audit.record('pledge.exported', actor_id=user.account_id, community_id=community_id,
                       data={'projects': len(projects)}, at=at)
    return f'{community.name}认捐台账-{excel.local(at):%Y%m%d-%H%M}.xlsx', data


async def _book(user: Principal, projects: list[Project], heading: str) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = excel.titled_sheet(book, '认捐台账', HEADERS, WIDTHS, heading)
    last_row = 2
    for project in projects:
        views = sorted(await pledge_views.project_pledges(user, project.id), key=lambda v: v.id)
        book_of = await pledge_views.ledger(project.id)
        if not views and book_of.empty:
            continue
        for view in views:
            sheet.append([excel.cell(sheet, value) for value in _row(project, view)])
            last_row += 1
        for total in book_of.totals:
            row = [excel.cell(sheet, value) for value in _total_row(project, total)]
            for made in row:
                made.font = Font(bold=True)
            sheet.append(row)
            last_row += 1
    sheet.auto_filter.ref = f'A2:{get_column_letter(len(HEADERS))}{last_row}'
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(project: Project, view: pledge_views.PledgeView) -> list[object]:
    return [project.title, view.name, view.phone, view.kind_label, view.item, view.quantity, view.unit, view.slot,
            excel.excel_time(view.created_at), view.received, view.confirmed_by, excel.excel_time(view.confirmed_at),
            view.state_label, '是' if view.thank_publicly else '否', view.recorded_by, view.withdraw_reason]


def _total_row(project: Project, total: rules.Total) -> list[object]:
    needed = f'需要 {rules.format_quantity(total.needed)}' if total.needed else ''
    return [project.title, TOTAL, '', rules.kind_label(total.kind), needed, total.pledged, total.unit, '', None,
            total.received, '', None, '', '', '', '']
