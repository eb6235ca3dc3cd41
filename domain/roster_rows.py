"""The roster template's columns, loose header matching, and the rules of one row read on its own.

The rules that need several rows (duplicate phones, one owner of several units, one unit described twice)
are in `domain.roster`.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain import people
from domain.errors import DomainError
from domain.i18n import t

HEADER_SEARCH_ROWS = 10  # a sheet may carry a title line or two above the header
TAG_SEPARATOR = '、'


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # exactly as in the template
    required: bool
    help: str  # one line for the 说明 sheet
    aliases: tuple[str, ...] = ()  # other headers staff use for the same thing (compared loosely)


COLUMNS: tuple[Column, ...] = (
    Column('compound', '小区', True, '小区（村里填村民小组）名称，例如“嘉明花园”', ('小区名称', '小区名', '村民小组')),
    Column('building', '楼栋', True, '楼栋名称，例如“1栋”；同一栋楼请每行写法一致',
           ('楼号', '栋', '楼栋号', '栋号', '楼')),
    Column('room', '房号', True, '房号，例如“101”或“2-301”', ('房间号', '门牌号', '室号', '房屋号')),
    Column('area', '建筑面积(㎡)', True, '不动产权证上的建筑面积，单位平方米，例如 89.5；须大于 0、不超过 2000',
           ('建筑面积', '面积', '房屋面积', '房屋建筑面积')),
    Column('occupancy', '房屋性质', True, '自住、出租或空置', ('居住性质', '房屋状态')),
    Column('sale_status', '销售状态', False, '已售或未售；不填按“已售”', ('出售状态',)),
    Column('certificate_no', '不动产权证号', False, '填了证号且“与房屋关系”为业主的人，登记为这套房的产权人',
           ('产权证号', '房产证号', '不动产证号', '不动产权证书号')),
    Column('name', '姓名', True, '居民姓名', ('居民姓名', '名字')),
    Column('phone', '手机号', False, '11 位手机号；没有手机的老人可不填；同一个号码只能属于一个人',
           ('手机', '手机号码', '联系电话', '电话')),
    Column('birth_year', '出生年份', True, '四位数字，例如 1956（写成 1956-03-01 也可以）',
           ('出生年', '出生年月', '出生日期')),
    Column('relation', '与房屋关系', True, '业主、家属或租户', ('房屋关系', '与房屋的关系')),
    Column('tags', '标签', False, f'可不填；多个用“{TAG_SEPARATOR}”隔开：{TAG_SEPARATOR.join(people.TAGS)}',
           ('身份标签',)),
    Column('verified', '已核验', False, '是或否：社区是否已核实此人身份；不填则保持原样（新居民为待核验）',
           ('是否核验', '是否已核验', '核验')),
)
BY_KEY = {column.key: column for column in COLUMNS}
UNIT_FIELDS = ('compound', 'building', 'room', 'area', 'occupancy', 'sale_status', 'certificate_no')
PERSON_FIELDS = ('name', 'phone', 'birth_year', 'relation', 'tags', 'verified')

LABELS = {  # what staff write in a cell → the stored key
    'occupancy': {label: key for key, label in people.OCCUPANCY.items()},
    'relation': {label: key for key, label in people.RELATIONS.items()},
    'sale_status': {'已售': 'sold', '未售': 'unsold', '未交付': 'unsold', '未售/未交付': 'unsold'},
    'verified': {'是': True, '否': False},
}
MAX_LEN = {'compound': people.MAX_PLACE_NAME, 'building': 40, 'room': 20, 'certificate_no': 40,
           'name': people.MAX_NAME, 'tags': 100}

# the template's two example rows; a row still carrying one of them is refused (nobody imports 示例 people)
EXAMPLES: tuple[dict[str, str], ...] = (
    {'compound': '嘉明花园', 'building': '1栋', 'room': '101', 'area': '89.50', 'occupancy': '自住',
     'sale_status': '已售', 'certificate_no': '鄂(2019)宜昌市不动产权第0012345号', 'name': '示例张桂兰',
     'phone': '13900000001', 'birth_year': '1956', 'relation': '业主', 'tags': '党员、居民代表', 'verified': '是'},
    {'compound': '嘉明花园', 'building': '1栋', 'room': '101', 'area': '89.50', 'occupancy': '自住',
     'sale_status': '', 'certificate_no': '', 'name': '示例李小明', 'phone': '', 'birth_year': '1985',
     'relation': '家属', 'tags': '', 'verified': '否'},
)

UnitKey = tuple[str, str, str]  # (compound, building, room)


@dataclass(frozen=True)
class RowError:
    """One problem: the row number as Excel shows it (header row included) and the column header as typed."""
    row: int
    column: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return t(self.template, **self.params)

    def text(self, lang: str) -> str:
        return t(self.template, lang=lang, **self.params)


@dataclass
class Record:
    """One data row, read on its own: the values that passed, and the columns that did not."""
    row: int
    unit: dict[str, object] = field(default_factory=dict)
    person: dict[str, object] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    unit_only: bool = False  # a unit with nobody listed (空置, 未售)

    @property
    def key(self) -> UnitKey | None:
        parts = (self.unit.get('compound'), self.unit.get('building'), self.unit.get('room'))
        return parts if all(parts) else None


def canonical(header: object) -> str:
    """Compare headers loosely: width, spaces, '*' marks, units and anything in brackets do not matter."""
    text = unicodedata.normalize('NFKC', '' if header is None else str(header))
    text = re.sub(r'[(\[【〔].*?[)\]】〕]', '', text)
    text = re.sub(r'[\s*＊:：]|平方米|平米|m2|m²', '', text, flags=re.IGNORECASE)
    return text.lower()


_MATCH = {canonical(alias): column.key for column in COLUMNS for alias in (column.header, *column.aliases)}


def match_headers(row: Sequence[object]) -> dict[str, int]:
    """Column key → index in `row`. Errors: roster_duplicate_column."""
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = _MATCH.get(canonical(value))
        if key is None:
            continue
        if key in found:
            raise DomainError('roster_duplicate_column', '表头“{a}”和“{b}”是同一列，请只保留一列',
                              a=cell_text(row[found[key]]), b=cell_text(value))
        found[key] = index
    return found


def cell_text(value: object) -> str:
    """What a cell shows, as text: Excel's 13800138000.0 → '13800138000', a date → '1956-03-01'."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return '是' if value else '否'
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, 'f')
    return str(value)


def find_header(rows: Sequence[tuple[int, Sequence[object]]]) -> tuple[int, dict[str, int]]:
    """The header among the first rows: the first with at least three known columns and all the required ones.

    Errors: roster_missing_columns, roster_duplicate_column.
    """
    best: tuple[int, dict[str, int]] | None = None
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = match_headers(cells)
        if best is None or len(found) > len(best[1]):
            best = (position, found)
        if len(found) >= 3 and all(c.key in found for c in COLUMNS if c.required):
            return position, found
    found = best[1] if best else {}
    missing = [c.header for c in COLUMNS if c.required and c.key not in found]
    raise DomainError('roster_missing_columns', '表格缺少这些列：{columns}。请下载模板，按模板第一行的表头填写',
                      columns='、'.join(missing))


def read_record(row: int, cells: Sequence[object], columns: Mapping[str, int], headers: Mapping[str, str], *,
                this_year: int) -> Record | None:
    """Validate one row on its own; None for a row with nothing in the known columns."""
    raw = {key: cell_text(cells[index]).strip() if index < len(cells) else '' for key, index in columns.items()}
    if not any(raw.values()):
        return None
    record = Record(row, unit_only=not any(raw.get(k) for k in PERSON_FIELDS))

    def fail(key: str, template: str, **params: object) -> None:
        record.errors.append(RowError(row, headers.get(key, BY_KEY[key].header), template, params))

    text: dict[str, str] = {}
    for key in ('compound', 'building', 'room', 'certificate_no', 'name', 'tags'):
        try:
            text[key] = people.clean_text(raw.get(key, ''), max_len=MAX_LEN[key])
        except ValueError as e:
            fail(key, str(e))
    for key in ('compound', 'building', 'room'):
        if text.get(key):
            record.unit[key] = text[key]
        elif key in text:
            fail(key, '必须填写')
    if text.get('certificate_no'):
        record.unit['certificate_no'] = text['certificate_no']
    if raw.get('area'):
        try:
            record.unit['area'] = people.parse_area(raw['area'])
        except ValueError as e:
            fail('area', str(e))
    else:
        fail('area', '必须填写')
    _read_choice(raw, 'occupancy', record.unit, fail, required=True)
    _read_choice(raw, 'sale_status', record.unit, fail, required=False)
    if record.unit_only:
        return record

    if text.get('name'):
        record.person['name'] = text['name']
        if any(text['name'] == example['name'] for example in EXAMPLES):
            fail('name', '这是模板里的示例，请删除这一行')
    elif 'name' in text:
        fail('name', '必须填写')
    if re.fullmatch(r'\d(\.\d+)?e\+?\d+', raw.get('phone', ''), flags=re.IGNORECASE):
        fail('phone', 'Excel 把手机号显示成了科学计数法（如 1.38E+10），号码已不完整。请把这一列设为“文本”后重新输入')
    elif raw.get('phone'):
        try:
            record.person['phone'] = people.normalize_phone(raw['phone'])
        except ValueError as e:
            fail('phone', str(e))
    if raw.get('birth_year'):
        try:
            record.person['birth_year'] = people.parse_birth_year(_year_of(raw['birth_year']), this_year=this_year)
        except ValueError as e:
            fail('birth_year', str(e))
    else:
        fail('birth_year', '必须填写')
    _read_choice(raw, 'relation', record.person, fail, required=True)
    _read_choice(raw, 'verified', record.person, fail, required=False)
    if 'tags' in text:  # the column is there: what it says (even nothing) is the person's tags
        try:
            record.person['tags'] = tuple(people.parse_tags(text['tags']))
        except ValueError as e:
            fail('tags', str(e))
    return record


_CHOICE_HINT = {
    'occupancy': '应填写“自住”“出租”或“空置”',
    'relation': '应填写“业主”“家属”或“租户”',
    'sale_status': '应填写“已售”或“未售”',
    'verified': '应填写“是”或“否”',
}


def _read_choice(raw: Mapping[str, str], key: str, target: dict, fail, *, required: bool) -> None:
    text = re.sub(r'\s', '', raw.get(key, ''))
    if not text:
        if required:
            fail(key, '必须填写')
        return
    value = LABELS[key].get(text)
    if value is None:
        fail(key, _CHOICE_HINT[key])
    else:
        target[key] = value


def _year_of(text: str) -> str:
    """'1956-03-01', '1956/3', '1956年' and '1956.03' → '1956'; anything else is left for the year rule."""
    match = re.fullmatch(r'(\d{4})(?:年|[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?:日)?|年\d{1,2}月(?:\d{1,2}日)?)?', text)
    return match.group(1) if match else text


def non_empty(rows: Iterable[tuple[int, Sequence[object]]]) -> list[tuple[int, Sequence[object]]]:
    """Only the rows with something in them (Excel keeps formatted empty rows)."""
    return [(number, cells) for number, cells in rows if any(cell_text(c).strip() for c in cells)]

