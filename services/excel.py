"""Excel exports share one look and two safety rules: text that looks like a formula stays text, times are local."""
from __future__ import annotations

from datetime import UTC, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.meetings import LOCAL

HEADER_FILL = PatternFill('solid', fgColor='C62828')


def titled_sheet(book, title: str, headers, widths, heading: str, *, heading_size: int = 13):
    """A write-only sheet with a bold heading row and white-on-red column headers, both kept in view."""
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = 'A3'
    first = cell(sheet, heading)
    first.font = Font(bold=True, size=heading_size)
    sheet.append([first])
    row = []
    for text in headers:
        header = WriteOnlyCell(sheet, value=text)
        header.font = Font(bold=True, color='FFFFFF')
        header.fill = HEADER_FILL
        header.alignment = Alignment(horizontal='center', vertical='center')
        row.append(header)
    sheet.append(row)
    return sheet


def cell(sheet, value: object) -> WriteOnlyCell:
    """A cell whose text never runs as a formula ('=HYPERLINK(…)' stays text) and whose times read as times."""
    made = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith('='):
        made.data_type = 's'
    elif isinstance(value, datetime):
        made.number_format = 'yyyy-mm-dd hh:mm'
    return made


def local(value: datetime) -> datetime:
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).astimezone(LOCAL)


def excel_time(value: datetime | None) -> datetime | None:
    """Excel has no time zones: local wall-clock time, without tzinfo."""
    return local(value).replace(tzinfo=None) if value is not None else None
