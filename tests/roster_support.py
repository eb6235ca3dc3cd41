"""Roster files for tests: rows in the template's column order, written as CSV (any encoding) or .xlsx."""
from __future__ import annotations

import csv
import io

import openpyxl

from domain.roster import COLUMNS

HEADER = [column.header for column in COLUMNS]


def row(*, compound: str = '嘉明花园', building: str = '1栋', room: object = '101', area: object = '89.50',
        occupancy: str = '自住', sale: str = '', cert: str = '', name: str = '张桂兰', phone: object = '',
        year: object = '1956', relation: str = '业主', tags: str = '', verified: str = '') -> list[object]:
    """One roster row; keyword names follow the template's columns."""
    return [compound, building, room, area, occupancy, sale, cert, name, phone, year, relation, tags, verified]


def csv_bytes(rows: list[list[object]], *, header: list[str] | None = None, encoding: str = 'utf-8-sig') -> bytes:
    buffer = io.StringIO(newline='')
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, header: list[str] | None = None, title: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header or HEADER)
    for values in rows:
        sheet.append([None if value == '' else value for value in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def family() -> list[list[object]]:
    """Two units, four people: an owner family in 1栋101 and a tenant in 2栋202 owned by 王建国 (two units)."""
    return [
        row(name='张桂兰', phone='13800000101', cert='鄂(2019)宜昌市不动产权第0000101号', tags='党员、居民代表',
            verified='是'),
        row(name='李明', phone='13800000102', year='1984', relation='家属'),
        row(building='2栋', room='202', area='64.8', occupancy='出租', name='赵小雨', phone='13800000201',
            year='1995', relation='租户'),
        row(building='3栋', room='301', area='120', name='王建国', phone='13800000301', year='1962',
            cert='鄂(2018)宜昌市不动产权第0000301号'),
        row(building='2栋', room='202', area='64.8', occupancy='出租', name='王建国', phone='13800000301',
            year='1962', cert='鄂(2016)宜昌市不动产权第0000202号'),
    ]
