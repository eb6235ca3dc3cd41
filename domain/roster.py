"""The resident roster as staff keep it in Excel: one row per resident, every row checked before anything is saved.

`read(rows)` takes a sheet's rows as (row number as Excel shows it, cell values) and returns a `Roster`: the
errors by row and column, and the units and people that the good rows describe. Single-row rules and the
template's columns are in `domain.roster_rows`; the rules across rows are here.

Several rows, one person: a phone number belongs to one person. A person who owns several units appears
once per unit: the first row is where they live (their household); every later row must say 业主 and carry
that unit's 不动产权证号, and only adds the ownership. Without a phone, rows with the same name and birth year
are one person in the same way. A unit's registered owner (models.Ownership) is the first good 业主 row that
carries a certificate number.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain import people
from domain.errors import DomainError
from domain.roster_rows import (
    BY_KEY,
    COLUMNS,
    EXAMPLES,
    TAG_SEPARATOR,
    Column,
    Record,
    RowError,
    UnitKey,
    canonical,
    cell_text,
    find_header,
    non_empty,
    read_record,
)

__all__ = [
    'COLUMNS',
    'EXAMPLES',
    'MAX_ROWS',
    'TAG_SEPARATOR',
    'Column',
    'Person',
    'Roster',
    'RowError',
    'Unit',
    'UnitKey',
    'canonical',
    'cell_text',
    'read',
]

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Unit:
    """户 as the good rows describe it; optional values are None when no good row gave one."""
    compound: str
    building: str
    room: str
    area: Decimal
    occupancy: str
    sale_status: str | None = None
    certificate_no: str | None = None

    @property
    def key(self) -> UnitKey:
        return self.compound, self.building, self.room


@dataclass(frozen=True)
class Person:
    """One resident, from one row or — an owner of several units — from several rows (the first is home)."""
    rows: tuple[int, ...]
    home: UnitKey
    name: str
    birth_year: int
    relation: str
    phone: str | None = None
    tags: tuple[str, ...] | None = None  # None: the file has no 标签 column, so tags stay as they are
    verified: bool | None = None  # None: not said, so the status stays as it is
    owns: tuple[UnitKey, ...] = ()  # units this person is the registered owner of (models.Ownership)


def read(rows: Iterable[tuple[int, Sequence[object]]], *, this_year: int) -> Roster:
    """Read a sheet's rows (Excel row number, cell values) into a validated roster.

    Errors (about the whole file): roster_empty, roster_missing_columns, roster_duplicate_column,
    roster_too_many_rows.
    """
    rows = non_empty(rows)
    if not rows:
        raise DomainError('roster_empty', '文件里什么也没有')
    position, columns = find_header(rows)
    header_row, header_cells = rows[position]
    headers = {key: cell_text(header_cells[index]).strip() for key, index in columns.items()}
    body = rows[position + 1:]
    if len(body) > MAX_ROWS:
        raise DomainError('roster_too_many_rows', '一次最多导入 {max} 行，这个文件有 {count} 行。请分成几个文件导入',
                          max=MAX_ROWS, count=len(body))
    records = [record for number, cells in body
               if (record := read_record(number, cells, columns, headers, this_year=this_year)) is not None]
    if not records:
        raise DomainError('roster_empty', '表头下面没有数据')
    return Roster(header_row, headers, records)


class Roster:
    """The rows of one file with every error found; `units()` and `people()` give only what the good rows say."""

    def __init__(self, header_row: int, headers: Mapping[str, str], records: list[Record]) -> None:
        self.header_row = header_row
        self.headers = dict(headers)
        self.records = records
        self.errors: list[RowError] = [error for record in records for error in record.errors]
        self._groups: list[list[Record]] = []
        self._told: set[int] = set()  # rows already told that a sibling row is bad
        self._check_units()
        self._group_people()
        self._spread_errors()

    @property
    def data_rows(self) -> int:
        return len(self.records)

    @property
    def bad_rows(self) -> frozenset[int]:
        return frozenset(error.row for error in self.errors)

    @property
    def good_rows(self) -> int:
        return self.data_rows - len(self.bad_rows)

    def has_column(self, key: str) -> bool:
        return key in self.headers

    def header(self, key: str) -> str:
        return self.headers.get(key, BY_KEY[key].header)

    def reject(self, errors: Iterable[RowError]) -> None:
        """Add errors found elsewhere (e.g. against the database); a person's other rows become bad too."""
        self.errors.extend(errors)
        self._spread_errors()

    def sorted_errors(self) -> list[RowError]:
        order = {column.key: i for i, column in enumerate(COLUMNS)}
        position = {header: order[key] for key, header in self.headers.items()}
        return sorted(self.errors, key=lambda e: (e.row, position.get(e.column, 99)))

    def units(self) -> list[Unit]:
        """Every unit a good row describes; optional values from the first good row that has them."""
        bad = self.bad_rows
        merged: dict[UnitKey, dict[str, object]] = {}
        for record in self.records:
            if record.row in bad:
                continue
            values = merged.setdefault(record.key, {})
            for key, value in record.unit.items():
                values.setdefault(key, value)
        return [Unit(**values) for values in merged.values()]

    def people(self) -> list[Person]:
        """Every person whose rows are all good, with the units they are the registered owner of."""
        bad = self.bad_rows
        groups = [group for group in self._groups if not any(r.row in bad for r in group)]
        owner_row: dict[UnitKey, int] = {}  # per unit: the first good 业主 row that carries a certificate number
        for record in sorted((r for group in groups for r in group), key=lambda r: r.row):
            if record.person['relation'] == 'owner' and record.unit.get('certificate_no'):
                owner_row.setdefault(record.key, record.row)
        owned_on = {row: key for key, row in owner_row.items()}
        result = []
        for group in groups:
            first = group[0]
            verified = [r.person['verified'] for r in group if 'verified' in r.person]
            result.append(Person(
                rows=tuple(r.row for r in group), home=first.key, name=first.person['name'],
                birth_year=first.person['birth_year'], relation=first.person['relation'],
                phone=first.person.get('phone'),
                tags=tuple(dict.fromkeys(t for r in group for t in r.person['tags']))
                if self.has_column('tags') and all('tags' in r.person for r in group) else None,
                verified=(True in verified) if verified else None,
                owns=tuple(owned_on[r.row] for r in group if r.row in owned_on)))
        return result

    def _fail(self, record: Record, key: str, template: str, **params: object) -> None:
        error = RowError(record.row, self.header(key), template, params)
        record.errors.append(error)
        self.errors.append(error)

    def _check_units(self) -> None:
        """One unit described on several rows must say the same area, occupancy, sale status and certificate."""
        first: dict[UnitKey, dict[str, tuple[int, object]]] = {}
        for record in self.records:
            if record.key is None:
                continue
            seen = first.setdefault(record.key, {})
            for key in ('area', 'occupancy', 'sale_status', 'certificate_no'):
                if key not in record.unit:
                    continue
                if key in seen and seen[key][1] != record.unit[key]:
                    row, value = seen[key]
                    self._fail(record, key, '同一套房在第 {row} 行写的是“{value}”，两处不一致', row=row,
                               value=_shown(key, value))
                else:
                    seen.setdefault(key, (record.row, record.unit[key]))

    def _group_people(self) -> None:
        """Who is who: one phone is one person; one owner of several units is one person with several rows."""
        by_phone: dict[str, list[Record]] = {}
        by_name_year: dict[tuple[str, int], list[Record]] = {}  # people without a phone
        by_unit_name: dict[tuple[UnitKey, str], int] = {}
        phone_header = self.header('phone')
        for record in self.records:
            person = record.person
            if record.unit_only or record.key is None or not {'name', 'birth_year', 'relation'} <= person.keys() \
                    or any(e.column == phone_header for e in record.errors):
                continue  # too broken to tell who it is; its own errors say why
            name, year, phone = person['name'], person['birth_year'], person.get('phone')
            same = by_unit_name.get((record.key, name))
            if same is not None:
                self._fail(record, 'name', '与第 {row} 行重复：同一套房里的同一个人', row=same)
                continue
            by_unit_name[(record.key, name)] = record.row
            owns_here = person['relation'] == 'owner' and bool(record.unit.get('certificate_no'))
            group = None
            if phone:
                group = by_phone.get(phone)
            elif owns_here:
                group = by_name_year.get((name, year))
            if group is None:
                group = [record]
                self._groups.append(group)
                if phone:
                    by_phone[phone] = group
                else:
                    by_name_year.setdefault((name, year), group)
                continue
            home = group[0]
            if home.person['name'] != name:
                self._fail(record, 'phone', '手机号与第 {row} 行重复', row=home.row)
            elif home.person['birth_year'] != year:
                self._fail(record, 'birth_year', '与第 {row} 行姓名、手机号相同，但出生年份不同，请核对', row=home.row)
            elif not owns_here:
                self._fail(record, 'certificate_no',
                           '此人已在第 {row} 行登记住址；一人名下有多套房的，其他房屋请写“业主”并填写不动产权证号',
                           row=home.row)
            else:
                group.append(record)

    def _spread_errors(self) -> None:
        """A person is imported whole or not at all: the good rows of a person with a bad row are held back."""
        bad = self.bad_rows
        for group in self._groups:
            wrong = [r.row for r in group if r.row in bad]
            for record in group:
                if wrong and record.row not in bad and record.row not in self._told:
                    self._told.add(record.row)
                    self._fail(record, 'name', '与第 {row} 行是同一人，那一行有错误，这一行也暂不导入', row=wrong[0])


def _shown(key: str, value: object) -> str:
    labels = {'occupancy': people.OCCUPANCY, 'sale_status': people.SALE_STATUS}.get(key)
    return labels.get(value, str(value)) if labels else str(value)
