"""The staff ledger (台账) on a real database: filters, who may read it, and the Excel file handed upward."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from domain.errors import DomainError
from models import AuditEntry, Issue
from services import issues, ledger
from services.issues import Draft
from services.ledger import Filters
from tests.support import make_account, make_community, make_household, make_resident, principal_of

MARCH = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in 宜昌
APRIL = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)
AUTHOR_PHONE = '13912345678'


def _draft(title: str, category: str = 'lighting', kind: str = 'issue', **changes) -> Draft:
    return Draft(kind=kind, title=title, body=changes.pop('body', '晚上很黑'), category=category, **changes)


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    other_home = await make_household(community, compound='桃花苑', building='1栋', room='101')
    author = await make_resident(community, name='周美华', household=home, phone=AUTHOR_PHONE)
    me = await principal_of(await make_account(community, name='周美华', resident=author, password=None))
    staff = await principal_of(await make_account(community, 'staff', name='李敏'))
    lamp = await issues.raise_item(me, _draft('3栋门口路灯坏了'), at=MARCH)
    wish = await issues.raise_item(me, _draft('想请人帮忙修轮椅', 'elderly', 'wish'), at=MARCH)
    call = await issues.record_for_resident(
        staff, community.id, _draft('桃花苑垃圾没人清', 'sanitation', building_id=other_home.building_id,
                                    body='来电市民说：回电 138-0000-1234'),
        channel='12345', author_name='来电市民', at=APRIL)
    await issues.move(staff, lamp.id, 'accepted', at=APRIL)
    return {'community': community, 'staff': staff, 'me': me, 'lamp': lamp, 'wish': wish, 'call': call,
            'taohua': (await other_home.building).compound_id}


async def _ids(world, **filters) -> list[int]:
    total, rows = await ledger.page(world['staff'], world['community'].id, Filters(**filters))
    assert total == len(rows)
    return [row.id for row in rows]


async def test_every_issue_and_wish_is_listed_newest_first(world) -> None:
    assert await _ids(world) == [world['call'].id, world['wish'].id, world['lamp'].id]


async def test_each_filter_narrows_the_ledger(world) -> None:
    lamp, wish, call = world['lamp'].id, world['wish'].id, world['call'].id
    assert await _ids(world, kind='wish') == [wish]
    assert await _ids(world, state='accepted') == [lamp]
    assert await _ids(world, channel='12345') == [call]
    assert await _ids(world, category='sanitation') == [call]
    assert await _ids(world, compound_id=world['taohua']) == [call]
    assert await _ids(world, since=date(2026, 4, 1)) == [call]
    assert await _ids(world, until=date(2026, 3, 2)) == [wish, lamp]  # the whole last day counts
    assert await _ids(world, text='轮椅') == [wish]
    assert await _ids(world, text='来电市民') == [call]
    assert await _ids(world, text=f'#{lamp}') == [lamp]
    assert await _ids(world, scale='big') == []
    assert await _ids(world, kind='issue', channel='app') == [lamp]


async def test_a_row_has_labels_and_the_timeline_as_text(world) -> None:
    _, rows = await ledger.page(world['staff'], world['community'].id, Filters(state='accepted'))
    [row] = rows
    assert (row.kind_label, row.category, row.compound, row.building, row.channel, row.state_label) == \
        ('公共议题', '照明/路灯', '嘉明花园', '3栋', '手机提交', '已受理')
    assert row.timeline.splitlines() == ['2026-03-02 10:00 已提交：手机提交', '2026-04-10 10:00 已受理']


async def test_filters_survive_the_round_trip_through_query_parameters(world) -> None:
    filters = Filters(kind='issue', state='accepted', channel='12345', category='lighting', compound_id=7,
                      scale='small', since=date(2026, 3, 1), until=date(2026, 3, 31), text='路灯')
    assert Filters.from_query(filters.as_query()) == filters
    assert Filters.from_query({}) == Filters()
    for bad in ({'kind': 'x'}, {'compound': 'abc'}, {'since': '2026-13-01'}, {'state': 'nope'}):
        with pytest.raises(DomainError) as e:
            Filters.from_query(bad)
        assert e.value.code == 'invalid_filter'


async def test_residents_and_other_communities_may_not_read_the_ledger(world) -> None:
    with pytest.raises(DomainError) as e:
        await ledger.page(world['me'], world['community'].id, Filters())
    assert e.value.code == 'forbidden'
    stranger = await principal_of(await make_account(await make_community('桃花岭社区'), 'staff'))
    with pytest.raises(DomainError):
        await ledger.export_xlsx(stranger, world['community'].id, Filters())
    committee = await principal_of(await make_account(world['community'], 'supervisor'))
    assert (await ledger.page(committee, world['community'].id, Filters()))[0] == 3


async def test_the_excel_file_has_the_title_headers_rows_and_never_a_phone_number(world) -> None:
    at = datetime(2026, 4, 11, 1, 30, tzinfo=UTC)
    name, data = await ledger.export_xlsx(world['staff'], world['community'].id, Filters(), at=at)
    assert name == '船柴社区台账-20260411-0930.xlsx'
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book['台账']
    assert '船柴社区' in sheet['A1'].value and '2026-04-11 09:30' in sheet['A1'].value
    assert [c.value for c in sheet[2]] == list(ledger.HEADERS)
    assert sheet.freeze_panes == 'A3' and sheet.auto_filter.ref == 'A2:Q5'
    assert sheet.column_dimensions['D'].width == 50
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == [world['call'].id, world['wish'].id, world['lamp'].id]
    call = dict(zip(ledger.HEADERS, rows[0], strict=True))
    assert (call['提出人'], call['渠道'], call['小区'], call['类型']) == \
        ('来电市民', '12345 热线', '桃花苑', '公共议题')
    assert call['提出时间'] == datetime(2026, 4, 10, 10, 0)  # local wall-clock time, as Excel has no time zones
    assert '138****1234' in call['内容']
    lamp = dict(zip(ledger.HEADERS, rows[2], strict=True))
    assert lamp['处理经过'] == '2026-03-02 10:00 已提交：手机提交\n2026-04-10 10:00 已受理'
    everything = ' '.join(str(v) for row in rows for v in row)
    assert AUTHOR_PHONE not in everything and '13800001234' not in everything
    assert await AuditEntry.filter(action='issue.ledger.exported').count() == 1


async def test_the_excel_export_follows_the_filters_and_streams_many_rows(world, monkeypatch) -> None:
    monkeypatch.setattr(ledger, 'BATCH', 2)  # several batches with a handful of rows
    for n in range(5):
        await issues.record_for_resident(world['staff'], world['community'].id, _draft(f'来电第{n}件事'),
                                         channel='phone', author_name='来电市民', at=APRIL)
    _, data = await ledger.export_xlsx(world['staff'], world['community'].id, Filters(channel='phone'))
    sheet = openpyxl.load_workbook(io.BytesIO(data))['台账']
    ids = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert len(ids) == len(set(ids)) == 5
    assert set(ids) == set(await Issue.filter(channel='phone').values_list('id', flat=True))


async def test_a_title_that_looks_like_a_formula_stays_text(world) -> None:
    await issues.record_for_resident(world['staff'], world['community'].id, _draft('=HYPERLINK("http://x","点我")'),
                                     channel='box', author_name='匿名')
    _, data = await ledger.export_xlsx(world['staff'], world['community'].id, Filters(channel='box'))
    cell = openpyxl.load_workbook(io.BytesIO(data))['台账']['C3']
    assert cell.data_type == 's' and cell.value.startswith('=HYPERLINK')


def test_mobile_numbers_in_free_text_are_masked() -> None:
    assert ledger.mask_phones('回电 13912345678，或 +86 139-1234-5678') == '回电 139****5678，或 139****5678'
    assert ledger.mask_phones('房号 1-2-301，门牌 12345') == '房号 1-2-301，门牌 12345'

