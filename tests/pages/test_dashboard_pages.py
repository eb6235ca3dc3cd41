"""/dashboard as staff and residents see it: the funnel's counts, its live redraw, filters, and the assessment file."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from nicegui import ui
from nicegui.testing import User

from models import Compound, IssueEvent, ProjectEvent, Survey
from services import issues
from services.issues import Draft
from tests.support import make_account, make_community, make_project, make_resident, principal_of, sign_in

T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


async def _raise(staff, community, title: str, compound=None, at: datetime = T0):
    draft = Draft(kind='issue', title=title, body='', category='lighting',
                  compound_id=compound.id if compound else None)
    return await issues.record_for_resident(staff, community.id, draft, channel='phone', author_name='来电居民', at=at)


@pytest.fixture
async def world(user: User):
    community = await make_community()
    garden = await Compound.create(community=community, name='嘉明花园')
    staff_account = await make_account(community, 'staff', 'committee', name='李敏')
    staff = await principal_of(staff_account)
    lamp = await _raise(staff, community, '3栋门口路灯坏了', garden)
    for n, state in enumerate(('accepted', 'triaged', 'deliberating', 'reviewed', 'decided', 'published'), start=1):
        await issues.move(staff, lamp.id, state, at=day(n))
    project = await make_project(community, issue=lamp, state='closed', lead_org='船柴社区居委会',
                                 done_at=day(10), closed_at=day(12))
    await ProjectEvent.create(project=project, at=day(10), from_state='underway', to_state='rating')
    await ProjectEvent.create(project=project, at=day(12), from_state='rating', to_state='closed')
    await Survey.create(community=community, project=project, round=1, threshold=80, opened_at=day(10),
                        closed_at=day(12), satisfied=4, fair=0, unsatisfied=1, verdict='passed')
    rubbish = await _raise(staff, community, '垃圾桶满了')
    await issues.move(staff, rubbish.id, 'accepted', at=day(1))
    await _raise(staff, community, '单元门禁坏了')
    resident = await make_resident(community, name='周美华')
    return {'community': community, 'staff': staff_account, 'staff_p': staff, 'rubbish': rubbish,
            'resident': await make_account(community, name='周美华', resident=resident, password=None)}


def _chart(user: User, marker: str) -> ui.echart:
    return next(iter(user.find(marker=marker).elements))


async def test_staff_see_the_funnel_with_the_counts_reaching_each_step(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    await user.should_see('共 3 件公共议题')
    await user.should_see('3', marker='dashboard-step-1')
    await user.should_see('1', marker='dashboard-step-2')
    await user.should_see('1', marker='dashboard-step-5')
    funnel = _chart(user, 'funnel-chart')
    assert funnel.options['series'][0]['type'] == 'funnel'
    assert [d['value'] for d in funnel.options['series'][0]['data']] == [3, 1, 1, 1, 1]
    assert [d['name'] for d in funnel.options['series'][0]['data']] == ['民事民提', '民事民议', '民事民决', '民事民办',
                                                                         '民事民评']
    days = _chart(user, 'days-chart')
    assert days.options['series'][0]['data'] == [2.0, 2.0, 6.0, 2.0]  # triaged d2, reviewed d4, done d10, closed d12
    table = next(iter(user.find(marker='compound-table').elements))
    assert {r['name']: r['s1'] for r in table.rows} == {'嘉明花园': 1, '未分小区': 2, '合计': 3}


def _keys(value) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(k for v in value.values() for k in _keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


async def test_no_chart_option_carries_a_compound_name_or_javascript(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    await user.should_see('共 3 件公共议题')
    for marker in ('funnel-chart', 'days-chart', 'month-chart'):
        chart = _chart(user, marker)
        assert '嘉明花园' not in repr(chart.options) + repr(chart.props)
        assert not [key for key in _keys(chart.options) + list(chart.props) if key.startswith(':')]


async def test_the_funnel_redraws_when_an_issue_moves(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    await user.should_see('1', marker='dashboard-step-2')
    await issues.move(world['staff_p'], world['rubbish'].id, 'triaged', at=day(3))
    await user.should_see('2', marker='dashboard-step-2', retries=40)
    assert [d['value'] for d in _chart(user, 'funnel-chart').options['series'][0]['data']] == [3, 2, 1, 1, 1]


async def test_the_compound_filter_narrows_the_funnel(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    await user.should_see('共 3 件公共议题')
    select = next(iter(user.find(marker='dashboard-compound').elements))
    select.value = next(key for key, name in select.options.items() if name == '嘉明花园')
    await user.should_see('共 1 件公共议题')


async def test_the_month_filters_narrow_the_funnel_and_refuse_months_the_wrong_way_round(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    await user.should_see('共 3 件公共议题')
    next(iter(user.find(marker='dashboard-since').elements)).value = '2026-11'
    await user.should_see('共 0 件公共议题')
    next(iter(user.find(marker='dashboard-until').elements)).value = '2026-10'
    await user.should_see('结束月份不能早于开始月份')
    next(iter(user.find(marker='dashboard-since').elements)).value = '2026-10'
    await user.should_see('共 3 件公共议题')
    await user.should_not_see('结束月份不能早于开始月份')


async def test_the_micro_wish_series_shows_its_skipped_steps(user: User, world) -> None:
    wish = await issues.record_for_resident(world['staff_p'], world['community'].id,
                                            Draft(kind='wish', title='想请人帮忙修轮椅', body='', category='elderly'),
                                            channel='phone', author_name='来电居民', at=day(0))
    for at, before, after in ((1, 'submitted', 'open'), (2, 'open', 'claimed'), (4, 'claimed', 'fulfilled')):
        await IssueEvent.create(issue=wish, at=day(at), from_state=before, to_state=after)
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    await user.should_see('共 3 件公共议题')
    next(iter(user.find(marker='dashboard-kind').elements)).value = 'wish'
    await user.should_see('共 1 件微心愿')
    await user.should_see('（跳过 1）', marker='dashboard-skipped-2')
    assert [d['value'] for d in _chart(user, 'funnel-chart').options['series'][0]['data']] == [1, 1, 1, 1, 0]


async def test_a_resident_is_refused_the_page_and_gets_403_for_the_file(user: User, world) -> None:
    await sign_in(user, world['resident'])
    await user.open('/dashboard')
    await user.should_see('没有权限')
    await user.should_not_see(marker='funnel-chart')
    response = await user.http_client.get('/dashboard/assessment.xlsx', follow_redirects=False)
    assert response.status_code == 403


async def test_staff_download_the_assessment_workbook(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/dashboard')
    user.find(marker='dashboard-assessment').click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ['项目考核', '单位考核']
    row = next(book['项目考核'].iter_rows(min_row=3, max_row=3, values_only=True))
    assert row[1] == '3栋楼道照明改造' and row[11] == 80  # 满意率（%）
    org = next(book['单位考核'].iter_rows(min_row=3, max_row=3, values_only=True))
    assert org[0] == '船柴社区居委会' and org[1] == 1


async def test_the_file_takes_a_period_and_refuses_a_bad_date(user: User, world) -> None:
    await sign_in(user, world['staff'])
    later = await user.http_client.get('/dashboard/assessment.xlsx', params={'since': '2099-01-01'})
    assert later.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(later.content))['项目考核'].iter_rows(min_row=3, values_only=True))
    assert not any(r and r[1] == '3栋楼道照明改造' for r in rows)  # closed before the period began
    bad = await user.http_client.get('/dashboard/assessment.xlsx', params={'since': '明天'})
    assert bad.status_code == 400 and '日期格式不对' in bad.text
    backwards = await user.http_client.get('/dashboard/assessment.xlsx',
                                           params={'since': '2026-10-02', 'until': '2026-10-01'})
    assert backwards.status_code == 400


async def test_a_visitor_is_sent_to_sign_in_for_the_file(user: User, world) -> None:
    response = await user.http_client.get('/dashboard/assessment.xlsx', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')
