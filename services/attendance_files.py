"""A meeting's attendance as Excel (签到 sheet, 席位 sheet, 按楼栋 sheet), for the minutes and the ledger upward.

In Chinese whatever the viewer's language: the file goes into the community's records.

Phone numbers as the viewer may see them (masked for volunteers and committee members); text that looks like a
formula ('=HYPERLINK(…)' typed as a name) is stored as text and never runs in Excel.
"""
from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.attendance import LOCAL
from domain.permissions import Principal
from services import attendance as reading
from services import audit

HEADERS = ('序号', '姓名', '楼栋房号', '手机号', '席位', '签到方式', '经办人', '签到时间', '备注')
WIDTHS = (6, 12, 26, 14, 18, 14, 10, 17, 10)
SEAT_HEADERS = ('席位', '到场', '姓名', '单位', '签到时间')
SEAT_WIDTHS = (22, 8, 12, 24, 17)
SEAT_STATES = {'present': '✓ 已到', 'missing': '✗ 未到', 'empty': '未邀请'}
HEADER_FILL = PatternFill('solid', fgColor='C62828')


async def attendance_xlsx(actor: Principal, meeting_id: int, *, at: datetime | None = None) -> tuple[str, bytes]:
    """(Chinese file name, .xlsx bytes). The export is audited: the list of who came leaves the screen.

    Errors: not_found, forbidden.
    """
    at = at or audit.now()
    report = await reading.attendance(actor, meeting_id)
    book = openpyxl.Workbook(write_only=True)
    when = reading.when_text(report.starts_at, report.ends_at, lang='zh')
    heading = f'{report.community} {report.title}（{when}，{report.place}）'

    sheet = _sheet(book, '签到', HEADERS, WIDTHS, f'{heading}，已签到 {report.total} 人')
    for number, entry in enumerate(report.entries, start=1):
        note = '待核验' if entry.pending else ''
        sheet.append(_row(sheet, (number, entry.name, entry.place, entry.phone, entry.seat, entry.method_label,
                                  entry.by, _excel_time(entry.at), note)))
    sheet.auto_filter.ref = f'A2:{get_column_letter(len(HEADERS))}{len(report.entries) + 2}'

    seats = _sheet(book, '席位', SEAT_HEADERS, SEAT_WIDTHS,
                   f'{report.template}：{report.seats_present}/{report.seats_total} 个席位有人到场')
    for line in report.seats:
        people = line.invitees or (None,)
        for person in people:
            state = SEAT_STATES['empty'] if person is None else SEAT_STATES['present' if person.present else 'missing']
            seats.append(_row(seats, (line.label, state, person.name if person else '',
                                      person.organisation if person else '',
                                      _excel_time(person.checked_in_at) if person else None)))

    buildings = _sheet(book, '按楼栋', ('楼栋', '人数'), (26, 8), heading)
    for label, count in report.buildings:
        buildings.append(_row(buildings, (label, count)))

    buffer = io.BytesIO()
    book.save(buffer)
    await audit.record('meeting.attendance.exported', actor_id=actor.account_id, community_id=report.community_id,
                       data={'meeting_id': report.meeting_id, 'rows': report.total}, at=at)
    return f'{report.title}-签到表-{_local(at):%Y%m%d}.xlsx', buffer.getvalue()


def _sheet(book, title: str, headers, widths, heading: str):
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = 'A3'
    first = WriteOnlyCell(sheet, value=heading)
    first.font = Font(bold=True, size=13)
    first.data_type = 's'
    sheet.append([first])
    row = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True, color='FFFFFF')
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal='center', vertical='center')
        row.append(cell)
    sheet.append(row)
    return sheet


def _row(sheet, values) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith('='):
            cell.data_type = 's'  # a name such as '=HYPERLINK(…)' stays text
        elif isinstance(value, datetime):
            cell.number_format = 'yyyy-mm-dd hh:mm'
        cells.append(cell)
    return cells


def _local(value: datetime) -> datetime:
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).astimezone(LOCAL)


def _excel_time(value: datetime | None) -> datetime | None:
    """Excel has no time zones: local wall-clock time, without tzinfo."""
    return _local(value).replace(tzinfo=None) if value is not None else None
