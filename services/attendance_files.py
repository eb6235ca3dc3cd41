"""A meeting's attendance as Excel (签到 sheet, 席位 sheet, 按楼栋 sheet), for the minutes and the ledger upward.

In Chinese whatever the viewer's language: the file goes into the community's records.

Phone numbers as the viewer may see them (masked for volunteers and committee members); text that looks like a
formula ('=HYPERLINK(…)' typed as a name) is stored as text and never runs in Excel.
"""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from openpyxl.utils import get_column_letter

from domain.permissions import Principal
from services import attendance as reading
from services import audit, excel

HEADERS = ('序号', '姓名', '楼栋房号', '手机号', '席位', '签到方式', '经办人', '签到时间', '备注')
WIDTHS = (6, 12, 26, 14, 18, 14, 10, 17, 10)
SEAT_HEADERS = ('席位', '到场', '姓名', '单位', '签到时间')
SEAT_WIDTHS = (22, 8, 12, 24, 17)
SEAT_STATES = {'present': '✓ 已到', 'missing': '✗ 未到', 'empty': '未邀请'}


async def attendance_xlsx(actor: Principal, meeting_id: int, *, at: datetime | None = None) -> tuple[str, bytes]:
    """(Chinese file name, .xlsx bytes). The export is audited: the list of who came leaves the screen.

    Errors: not_found, forbidden.
    """
    at = at or audit.now()
    report = await reading.attendance(actor, meeting_id)
    book = openpyxl.Workbook(write_only=True)
    when = reading.when_text(report.starts_at, report.ends_at, lang='zh')
    heading = f'{report.community} {report.title}（{when}，{report.place}）'

    sheet = excel.titled_sheet(book, '签到', HEADERS, WIDTHS, f'{heading}，已签到 {report.total} 人')
    for number, entry in enumerate(report.entries, start=1):
        note = '待核验' if entry.pending else ''
        sheet.append(_cells(sheet, (number, entry.name, entry.place, entry.phone, entry.seat, entry.method_label,
                                  entry.by, excel.excel_time(entry.at), note)))
    sheet.auto_filter.ref = f'A2:{get_column_letter(len(HEADERS))}{len(report.entries) + 2}'

    seats = excel.titled_sheet(book, '席位', SEAT_HEADERS, SEAT_WIDTHS,
                   f'{report.template}：{report.seats_present}/{report.seats_total} 个席位有人到场')
    for line in report.seats:
        people = line.invitees or (None,)
        for person in people:
            state = SEAT_STATES['empty'] if person is None else SEAT_STATES['present' if person.present else 'missing']
            seats.append(_cells(seats, (line.label, state, person.name if person else '',
                                      person.organisation if person else '',
                                      excel.excel_time(person.checked_in_at) if person else None)))

    buildings = excel.titled_sheet(book, '按楼栋', ('楼栋', '人数'), (26, 8), heading)
    for label, count in report.buildings:
        buildings.append(_cells(buildings, (label, count)))

    buffer = io.BytesIO()
    book.save(buffer)
    await audit.record('meeting.attendance.exported', actor_id=actor.account_id, community_id=report.community_id,
                       data={'meeting_id': report.meeting_id, 'rows': report.total}, at=at)
    return f'{report.title}-签到表-{excel.local(at):%Y%m%d}.xlsx', buffer.getvalue()


def _cells(sheet, values) -> list:
    return [excel.cell(sheet, value) for value in values]
