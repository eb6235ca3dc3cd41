"""Roster rows: every rule a staff member's Excel sheet is checked against, row by row and across rows."""
from __future__ import annotations

import ast
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from domain.errors import DomainError
from domain.i18n import catalogue
from domain.roster import COLUMNS, Roster, RowError, canonical, read
from domain.roster_rows import _CHOICE_HINT
from tests.roster_support import HEADER, family, row

YEAR = 2026


def _read(rows: list[list[object]], *, header: list[object] | None = None, title: bool = False) -> Roster:
    lines: list[list[object]] = ([['船柴社区居民花名册']] if title else []) + [header or HEADER, *rows]
    return read([(number, cells) for number, cells in enumerate(lines, start=1)], this_year=YEAR)


def _errors(roster: Roster) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in roster.sorted_errors()]


def _only(roster: Roster) -> RowError:
    assert len(roster.errors) == 1, [(e.row, e.column, e.message) for e in roster.errors]
    return roster.errors[0]


# ---- the header ----

def test_headers_match_despite_spaces_full_width_brackets_stars_and_area_variants() -> None:
    header = [' 小 区 ', '楼栋', '房号', '面积（平方米）', '*房屋性质', '姓名', '手机号码', '出生年份', '与房屋关系']
    roster = _read([[*row()[:5], '张桂兰', '13800000001', '1956', '业主']], header=header)
    assert not roster.errors and roster.units()[0].area == Decimal('89.50')
    for variant in ('建筑面积', '建筑面积(㎡)', '建筑面积 (m²)', '面积', '建筑面积（㎡）', '面积m2'):
        assert canonical(variant) in {canonical('建筑面积'), canonical('面积')}


def test_missing_required_columns_are_one_clear_error_for_the_whole_file() -> None:
    with pytest.raises(DomainError) as caught:
        _read([['嘉明花园', '1栋', '张桂兰']], header=['小区', '楼栋', '姓名', '备注'])
    assert caught.value.code == 'roster_missing_columns'
    assert '房号、建筑面积(㎡)、房屋性质、出生年份、与房屋关系' in caught.value.message


def test_the_same_column_twice_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        _read([row()], header=[*HEADER, '面积'])
    assert caught.value.code == 'roster_duplicate_column' and '面积' in caught.value.message


def test_a_title_line_above_the_header_is_allowed_and_row_numbers_stay_as_excel_shows_them() -> None:
    roster = _read([row(), row(name='李明', area='-1', relation='家属')], title=True)
    assert _errors(roster) == [(4, '建筑面积(㎡)')]


def test_the_first_data_row_is_row_2_because_the_header_is_row_1() -> None:
    assert _errors(_read([row(room='')])) == [(2, '房号')]


def test_unknown_extra_columns_are_ignored() -> None:
    roster = _read([['1', *row(), '备注随便写']], header=['序号', *HEADER, '备注'])
    assert not roster.errors and roster.people()[0].name == '张桂兰'


def test_an_empty_file_and_a_header_without_rows_are_refused() -> None:
    for rows in ([], [(1, HEADER)], [(1, HEADER), (2, ['', None, '  '])]):
        with pytest.raises(DomainError) as caught:
            read(rows, this_year=YEAR)
        assert caught.value.code == 'roster_empty'


def test_more_than_20000_data_rows_are_refused() -> None:
    with pytest.raises(DomainError) as caught:
        _read([row(room=str(i)) for i in range(20_001)])
    assert caught.value.code == 'roster_too_many_rows'


# ---- one row ----

def test_empty_rows_and_rows_with_only_a_serial_number_are_skipped() -> None:
    roster = _read([['1', *row()], ['', *[''] * 13], ['3', *[''] * 13]], header=['序号', *HEADER])
    assert roster.data_rows == 1 and not roster.errors


def test_required_cells_left_empty_are_errors_in_their_own_column() -> None:
    roster = _read([row(compound='', area='', occupancy='', year='', relation='', name='', phone='13800000001')])
    assert _errors(roster) == [(2, '小区'), (2, '建筑面积(㎡)'), (2, '房屋性质'), (2, '姓名'), (2, '出生年份'),
                               (2, '与房屋关系')]
    assert {e.message for e in roster.errors} == {'必须填写'}


def test_a_unit_with_nobody_listed_is_a_good_row() -> None:
    roster = _read([row(occupancy='空置', sale='未售', name='', year='', relation='')])
    assert not roster.errors and roster.people() == []
    assert roster.units()[0].occupancy == 'vacant' and roster.units()[0].sale_status == 'unsold'


@pytest.mark.parametrize('phone', ['13800138000', '138 0013 8000', '+86 138-0013-8000', 13800138000, 13800138000.0])
def test_phone_numbers_are_normalised_however_excel_stored_them(phone: object) -> None:
    assert _read([row(phone=phone)]).people()[0].phone == '13800138000'


@pytest.mark.parametrize('phone', ['1380013800', '23800138000', '138001380001', '电话没有'])
def test_a_phone_number_that_is_not_a_mainland_mobile_is_an_error(phone: str) -> None:
    error = _only(_read([row(phone=phone)]))
    assert (error.row, error.column) == (2, '手机号') and '11 位' in error.message


def test_a_phone_number_mangled_into_scientific_notation_gets_a_hint_about_text_format() -> None:
    error = _only(_read([row(phone='1.38001E+10')]))
    assert error.column == '手机号' and '科学计数法' in error.message


def test_a_person_without_a_phone_is_allowed() -> None:
    assert _read([row(phone='')]).people()[0].phone is None


@pytest.mark.parametrize(('area', 'words'), [('0', '大于 0'), ('-3', '大于 0'), ('2000.01', '过大'),
                                             ('99999', '过大'), ('八十九', '数字'), ('nan', '面积')])
def test_floor_area_must_be_a_number_above_0_and_at_most_2000(area: str, words: str) -> None:
    error = _only(_read([row(area=area)]))
    assert error.column == '建筑面积(㎡)' and words in error.message


@pytest.mark.parametrize(('area', 'expected'), [(89.5, '89.50'), ('89.5㎡', '89.50'), ('2000', '2000.00'),
                                                (Decimal('1'), '1.00')])
def test_floor_areas_are_kept_exactly_with_two_decimals(area: object, expected: str) -> None:
    assert _read([row(area=area)]).units()[0].area == Decimal(expected)


@pytest.mark.parametrize('year', ['1905', '2027', '56', 'abc'])
def test_a_birth_year_outside_the_last_120_years_or_not_a_year_is_an_error(year: str) -> None:
    assert _only(_read([row(year=year)])).column == '出生年份'


@pytest.mark.parametrize('year', [1956, 1956.0, '1956年', '1956-03-01', '1956/3', date(1956, 3, 1),
                                  datetime(1956, 3, 1)])
def test_a_birth_date_in_any_common_form_gives_the_year(year: object) -> None:
    assert _read([row(year=year)]).people()[0].birth_year == 1956


def test_tags_are_split_by_the_chinese_list_mark_and_unknown_tags_are_errors() -> None:
    assert _read([row(tags='党员、居民代表')]).people()[0].tags == ('党员', '居民代表')
    error = _only(_read([row(tags='党员、楼长')]))
    assert error.column == '标签' and '楼长' in error.message


def test_without_a_tags_column_tags_are_left_alone_and_an_empty_cell_means_none() -> None:
    header = [h for h in HEADER if h != '标签']
    cells = [v for h, v in zip(HEADER, row(), strict=True) if h != '标签']
    assert _read([cells], header=header).people()[0].tags is None
    assert _read([row(tags='')]).people()[0].tags == ()


@pytest.mark.parametrize(('column', 'kwargs'), [('房屋性质', {'occupancy': '自己住'}),
                                                ('与房屋关系', {'relation': '户主'}),
                                                ('销售状态', {'sale': '卖了'}), ('已核验', {'verified': '对'})])
def test_choices_outside_the_drop_down_lists_are_errors(column: str, kwargs: dict) -> None:
    error = _only(_read([row(**kwargs)]))
    assert error.column == column and '应填写' in error.message


def test_choices_read_into_stored_keys() -> None:
    person = _read([row(relation='租户', occupancy='出租', verified='是')]).people()[0]
    assert (person.relation, person.verified) == ('tenant', True)
    assert _read([row(verified='')]).people()[0].verified is None


def test_over_long_text_is_an_error() -> None:
    assert _only(_read([row(name='张' * 41)])).column == '姓名'
    assert _only(_read([row(compound='小' * 61)])).column == '小区'
    assert _only(_read([row(room='1' * 21)])).column == '房号'


def test_control_characters_are_an_error() -> None:
    error = _only(_read([row(name='张\x00桂兰')]))
    assert error.column == '姓名' and '控制字符' in error.message
    assert _only(_read([row(building='1\n栋')])).column == '楼栋'


def test_html_in_a_name_is_kept_as_typed_not_stripped() -> None:
    assert _read([row(name='<b>张</b>')]).people()[0].name == '<b>张</b>'


def test_the_template_example_rows_are_refused() -> None:
    error = _only(_read([row(name='示例张桂兰')]))
    assert error.message == '这是模板里的示例，请删除这一行'


# ---- across rows ----

def test_a_duplicate_phone_is_an_error_on_the_later_row_naming_the_first() -> None:
    roster = _read([row(phone='13800000001'), row(room='102', name='李明', phone='13800000001', relation='家属')])
    error = _only(roster)
    assert (error.row, error.column) == (3, '手机号') and '第 2 行' in error.message
    assert [p.name for p in roster.people()] == ['张桂兰']


def test_the_same_person_twice_in_one_unit_is_an_error() -> None:
    error = _only(_read([row(), row(phone='13800000009')]))
    assert (error.row, error.column) == (3, '姓名') and '第 2 行' in error.message


@pytest.mark.parametrize(('kwargs', 'column'), [({'area': '90'}, '建筑面积(㎡)'), ({'occupancy': '出租'}, '房屋性质'),
                                                ({'cert': '证B'}, '不动产权证号'), ({'sale': '未售'}, '销售状态')])
def test_one_unit_described_differently_on_two_rows_is_an_error(kwargs: dict, column: str) -> None:
    roster = _read([row(cert='证A', sale='已售'), row(name='李明', relation='家属', **kwargs)])
    error = _only(roster)
    assert (error.row, error.column) == (3, column) and '第 2 行' in error.message


def test_blank_optional_unit_cells_on_later_rows_are_no_conflict() -> None:
    roster = _read([row(name='李明', relation='家属'), row(cert='证A', sale='已售')])
    assert not roster.errors
    assert roster.units()[0].certificate_no == '证A'


def test_an_owner_of_several_units_is_one_person_living_in_the_first() -> None:
    roster = _read(family())
    wang = [p for p in roster.people() if p.name == '王建国']
    assert len(wang) == 1 and not roster.errors
    assert wang[0].home == ('嘉明花园', '3栋', '301') and wang[0].rows == (5, 6)
    assert wang[0].owns == (('嘉明花园', '3栋', '301'), ('嘉明花园', '2栋', '202'))


def test_a_second_unit_of_the_same_person_needs_owner_and_certificate() -> None:
    rows = [row(phone='13800000001'), row(building='2栋', phone='13800000001', relation='家属')]
    error = _only(_read(rows))
    assert (error.row, error.column) == (3, '不动产权证号') and '第 2 行' in error.message


def test_the_same_phone_with_another_birth_year_is_an_error() -> None:
    rows = [row(phone='13800000001'), row(building='2栋', phone='13800000001', cert='证B', year='1960')]
    assert _only(_read(rows)).column == '出生年份'


def test_without_phone_the_same_name_and_birth_year_owning_another_unit_is_the_same_person() -> None:
    rows = [row(name='刘奶奶', year='1938'), row(building='2栋', name='刘奶奶', year='1938', cert='证B'),
            row(building='3栋', name='刘奶奶', year='1950', cert='证C')]
    people = _read(rows).people()
    assert [(p.name, p.birth_year, len(p.owns)) for p in people] == [('刘奶奶', 1938, 1), ('刘奶奶', 1950, 1)]


def test_an_owner_row_without_a_certificate_owns_nothing_and_co_owners_leave_the_first_as_owner() -> None:
    assert _read([row()]).people()[0].owns == ()
    rows = [row(cert='证A', phone='13800000001'), row(cert='证A', name='李明', phone='13800000002', year='1958')]
    people = _read(rows).people()
    assert [len(p.owns) for p in people] == [1, 0]


def test_a_person_with_one_bad_row_is_held_back_whole() -> None:
    rows = [row(building='3栋', name='王建国', phone='13800000301', cert='证A', area='abc'),
            row(building='2栋', name='王建国', phone='13800000301', cert='证B')]
    roster = _read(rows)
    assert _errors(roster) == [(2, '建筑面积(㎡)'), (3, '姓名')]
    assert '第 2 行' in roster.sorted_errors()[1].message
    assert roster.people() == [] and roster.good_rows == 0


def test_errors_found_later_hold_back_the_person_and_the_unit_only_its_rows_describe() -> None:
    roster = _read(family())
    roster.reject([RowError(5, '手机号', '这个手机号已被本社区另一位居民使用（登记的姓名不同），请核对')])
    assert roster.bad_rows == {5, 6}
    assert '王建国' not in {p.name for p in roster.people()}
    assert ('嘉明花园', '3栋', '301') not in {u.key for u in roster.units()}
    assert ('嘉明花园', '2栋', '202') in {u.key for u in roster.units()}  # the tenant's row still describes it


def test_only_good_rows_give_units_and_people() -> None:
    roster = _read([*family(), row(room='999', area='-1', name='坏数据')])
    assert roster.data_rows == 6 and roster.good_rows == 5 and roster.bad_rows == {7}
    assert len(roster.units()) == 3 and len(roster.people()) == 4


# ---- messages ----

def _templates(path: Path) -> set[str]:
    """Every Chinese message literal a RowError is made with in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, 'id', getattr(node.func, 'attr', ''))
            literals = [a.value for a in node.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str) and not a.value.isascii()]
            if name in {'RowError', 'fail', '_fail'} and literals:
                found.add(literals[-1])
    return found


def test_every_row_message_has_an_english_entry() -> None:
    root = Path(__file__).resolve().parents[2]
    templates = set().union(*(_templates(root / p) for p in ('domain/roster.py', 'domain/roster_rows.py',
                                                             'services/roster_sync.py')))
    templates |= set(_CHOICE_HINT.values())
    assert len(templates) > 10
    assert not templates - catalogue().keys()


def test_every_template_column_has_help_for_the_instructions_sheet() -> None:
    assert all(column.help for column in COLUMNS) and len({c.header for c in COLUMNS}) == 13
