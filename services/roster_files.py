"""Roster files: read .xlsx and .csv (whatever the extension says), and write the two templates.

What a file is, is decided by its first bytes: staff rename files, and Chinese Excel saves CSV in GBK.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain import roster
from domain.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks into something huge
MAX_COLUMNS = 60  # the template has 13; the rest of a wide sheet is ignored
MAX_PHYSICAL_ROWS = roster.MAX_ROWS + 100  # header, title lines and a few spare rows

Rows = list[tuple[int, Sequence[object]]]

_UNREADABLE = '无法读取这个文件。请上传用模板填写的 Excel 表格（.xlsx）或 CSV 文件'


def check_size(data: bytes) -> None:
    """Errors: file_too_large, file_unreadable (empty)."""
    if len(data) > MAX_BYTES:
        raise DomainError('file_too_large', '文件太大（超过 5 MB）。请删去多余的工作表和图片，或分成几个文件')
    if not data:
        raise DomainError('file_unreadable', '文件是空的')


def read_rows(data: bytes) -> Rows:
    """The rows of the roster sheet: (row number as Excel shows it, cell values).

    Errors: file_too_large, file_unreadable, roster_too_many_rows.
    """
    check_size(data)
    if data.startswith(b'PK\x03\x04'):
        return _read_xlsx(data)
    if data.startswith(b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'):
        raise DomainError('file_unreadable', '这是旧版 Excel 文件（.xls）。请在 Excel 里“另存为”.xlsx 格式后再上传')
    if data.startswith(b'%PDF'):
        raise DomainError('file_unreadable', '这是 PDF 文件，不是表格。请上传 Excel 表格（.xlsx）或 CSV 文件')
    return _read_csv(data)


def _read_xlsx(data: bytes) -> Rows:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as e:
        raise DomainError('file_unreadable', _UNREADABLE) from e
    if 'xl/workbook.xml' not in names:
        raise DomainError('file_unreadable', '这个文件不是 Excel 表格。请上传 Excel 表格（.xlsx）或 CSV 文件')
    if unpacked > MAX_UNPACKED:
        raise DomainError('file_too_large', '文件太大（超过 5 MB）。请删去多余的工作表和图片，或分成几个文件')
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise DomainError('file_unreadable', _UNREADABLE) from e
    try:
        sheets = [sheet for sheet in book.worksheets if sheet.title.strip() != '说明'] or book.worksheets
        for sheet in sheets:
            rows = _sheet_rows(sheet)
            if _has_header(rows) or sheet is sheets[-1]:
                return rows
        return []
    except DomainError:
        raise
    except Exception as e:
        raise DomainError('file_unreadable', _UNREADABLE) from e
    finally:
        book.close()


def _sheet_rows(sheet) -> Rows:
    if not hasattr(sheet, 'reset_dimensions'):
        return []  # a chart sheet
    sheet.reset_dimensions()  # some programs write a wrong size; read what is really there
    rows: Rows = []
    for cells in sheet.iter_rows(max_col=MAX_COLUMNS):
        values: dict[int, object] = {}
        number = None
        for cell in cells:
            if getattr(cell, 'row', None) is None:
                continue
            number = cell.row
            if cell.value is not None and cell.value != '':
                values[cell.column] = cell.value
        if number is None or not values:
            continue
        rows.append((number, tuple(values.get(i) for i in range(1, max(values) + 1))))
        if len(rows) > MAX_PHYSICAL_ROWS:
            _too_many()
    return rows


def _has_header(rows: Rows) -> bool:
    try:
        roster.find_header(rows)
    except DomainError:
        return False
    return True


def _read_csv(data: bytes) -> Rows:
    head = data[:8192]
    if head.startswith((b'\xff\xfe', b'\xfe\xff')):
        encodings = ['utf-16']  # Excel's “Unicode 文本”
    elif b'\x00' in head:
        raise DomainError('file_unreadable', _UNREADABLE)
    else:
        encodings = ['utf-8-sig', 'gb18030']
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError('file_unreadable', '文件的文字编码无法识别。请在 Excel 里“另存为”“CSV UTF-8”或 .xlsx 格式')
    first = text.split('\n', 1)[0]
    delimiter = '\t' if first.count('\t') > first.count(',') else ','
    rows: Rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=''), delimiter=delimiter), start=1):
            if any(cell.strip() for cell in cells):
                rows.append((number, tuple(cells[:MAX_COLUMNS])))
                if len(rows) > MAX_PHYSICAL_ROWS:
                    _too_many()
    except csv.Error as e:
        raise DomainError('file_unreadable', _UNREADABLE) from e
    return rows


def _too_many() -> None:
    raise DomainError('roster_too_many_rows', '一次最多导入 {max} 行，这个文件有更多行。请分成几个文件导入',
                      max=roster.MAX_ROWS)


# ---- templates ----

_EXAMPLE_ROWS = [[example[column.key] for column in roster.COLUMNS] for example in roster.EXAMPLES]
_KEYS = [column.key for column in roster.COLUMNS]
_TEXT_COLUMNS = ('building', 'room', 'certificate_no', 'phone')  # keep 0101 and phone numbers as typed
_CHOICES = {'occupancy': '"自住,出租,空置"', 'sale_status': '"已售,未售"', 'relation': '"业主,家属,租户"',
            'verified': '"是,否"'}
_RULES = (
    '每一行是一位居民。同一户的家人、租户各占一行，房屋信息（小区到不动产权证号）每行都照写。',
    '表头（列名）请不要改动。表头上方可以加一行标题，右边可以加“序号”“备注”等列，导入时不读这些。',
    '楼栋、房号、不动产权证号、手机号这几列已设为“文本”格式，以免 Excel 去掉开头的 0 或把手机号变成 1.38E+10；'
    '从别的表格粘贴过来时请用“选择性粘贴 → 数值”。',
    '上表“必填”的列每行都要填写。示例的两行（姓名以“示例”开头）请删掉后再导入，否则会报错。',
    '空置或未售、没有住户的房屋：只填前 7 列（小区到不动产权证号），后面留空。',
    '同一套房写在几行时，面积、房屋性质、销售状态、不动产权证号必须一致。',
    '一个手机号只能属于一个人。没有手机的老人可以不填手机号。',
    '一人名下有多套房：每套房写一行，姓名、手机号、出生年份相同；第一行写他实际居住的那套房，'
    '其他几行“与房屋关系”写“业主”并填上那套房的不动产权证号。系统会把他认作同一个人，他的户在第一行的房屋，'
    '其他房屋登记为他名下的产权。没有手机号的，按“姓名 + 出生年份”认作同一人。',
    '每套房的产权人是该房第一行“与房屋关系”为业主且填了不动产权证号的人；家属、租户不登记产权'
    '（表决按面积计票时，一人名下多套房只计为一位业主）。',
    '重复导入同一个文件不会产生重复的人或房：按“小区 + 楼栋 + 房号”找房屋，'
    '按手机号（没有手机号的按“房屋 + 姓名”）找居民，有变化的更新，没有变化的不动。',
    '只要有一行有错误，默认整个文件都不导入，页面会按“第几行、哪一列”列出错误；也可以明确选择只导入正确的行。',
    f'文件不超过 5 MB，一次不超过 {roster.MAX_ROWS} 行。可以上传 .xlsx，或 CSV（UTF-8 或 GBK 编码均可）。',
)


def template_xlsx() -> bytes:
    """The Excel template: a styled header, two example rows, drop-down lists, and a 说明 sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = '花名册'
    sheet.append([column.header for column in roster.COLUMNS])
    for row in _EXAMPLE_ROWS:  # numbers as numbers, as staff would type them
        sheet.append([_typed(key, value) for key, value in zip(_KEYS, row, strict=True)])
    fill = PatternFill('solid', fgColor='C62828')
    for index, column in enumerate(roster.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color='FFFFFF' if column.required else 'FFE0B2')
        cell.fill = fill
        cell.alignment = Alignment(horizontal='center', vertical='center')
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(36, len(column.header) * 2 + 6))
        if column.key in _TEXT_COLUMNS:  # the whole column as text, so new rows typed in keep their digits too
            sheet.column_dimensions[letter].number_format = '@'
            for row in range(2, 2 + len(_EXAMPLE_ROWS)):
                sheet.cell(row=row, column=index).number_format = '@'
        if column.key in _CHOICES:
            choices = _CHOICES[column.key].strip('"').replace(',', '、')
            validation = DataValidation(type='list', formula1=_CHOICES[column.key], allow_blank=True,
                                        showErrorMessage=True, errorTitle='请从下拉列表中选择',
                                        error=f'可选：{choices}')
            sheet.add_data_validation(validation)
            validation.add(f'{letter}2:{letter}{roster.MAX_ROWS + 1}')
    sheet.freeze_panes = 'A2'
    sheet.row_dimensions[1].height = 24

    notes = book.create_sheet('说明')
    notes.append(['列名', '是否必填', '怎么填'])
    for column in roster.COLUMNS:
        notes.append([column.header, '必填' if column.required else '可不填', column.help])
    notes.append([])
    notes.append(['规则'])
    for number, rule in enumerate(_RULES, start=1):
        notes.append([f'{number}.', '', rule])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions['A'].width = 16
    notes.column_dimensions['B'].width = 10
    notes.column_dimensions['C'].width = 110
    for row in notes.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical='top')
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _typed(key: str, value: str) -> object:
    if key == 'area':
        return float(value)
    if key == 'birth_year':
        return int(value)
    return value or None


def template_csv() -> bytes:
    """The CSV template in UTF-8 with a BOM, so that Excel on a Chinese Windows opens it without garbling."""
    buffer = io.StringIO(newline='')
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow([column.header for column in roster.COLUMNS])
    writer.writerows(_EXAMPLE_ROWS)
    return buffer.getvalue().encode('utf-8-sig')
