"""The 吹哨报到 assessment service and workbook: figures read back with openpyxl match the domain's maths."""
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest

from domain.errors import DomainError
from models import AuditEntry, BudgetLine, Spending, Survey
from services import assessment
from services.assessment import ORG_HEADERS, PROJECT_HEADERS, Period
from tests.support import make_account, make_community, make_project, principal_of

T0 = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


async def closed_round(project, number: int, satisfied: int, fair: int, unsatisfied: int, *, at: datetime,
                       verdict: str = 'passed') -> None:
    await Survey.create(community_id=project.community_id, project=project, round=number, threshold=80,
                        opened_at=at - timedelta(days=3), closed_at=at, satisfied=satisfied, fair=fair,
                        unsatisfied=unsatisfied, verdict=verdict)


@pytest.fixture
async def world(db):
    community = await make_community()
    lights = await make_project(community, title='3栋楼道照明改造', state='closed', lead_org='船柴社区居委会',
                                created_at=day(0), done_at=day(10), due_on=date(2026, 9, 15), closed_at=day(14))
    await closed_round(lights, 1, 3, 1, 1, at=day(14))  # 80 %: passed first time, on time → 88
    await BudgetLine.create(project=lights, source='fund', amount=Decimal('1000.10'), created_at=day(0))
    await BudgetLine.create(project=lights, source='residents', amount=Decimal('200.20'), created_at=day(0))
    await Spending.create(project=lights, source='fund', amount=Decimal('300.33'), item='声控灯',
                          spent_on=date(2026, 9, 3), created_at=day(2))
    await Spending.create(project=lights, source='fund', amount=Decimal('999.99'), item='录错了',
                          spent_on=date(2026, 9, 3), created_at=day(2), voided_at=day(3), void_reason='金额录错')
    road = await make_project(community, title='桃花苑道路修补', state='closed', lead_org='船柴社区居委会',
                              created_at=day(1), done_at=day(30), due_on=date(2026, 9, 20), closed_at=day(33))
    await closed_round(road, 1, 1, 0, 2, at=day(25), verdict='reopened')
    await closed_round(road, 2, 2, 1, 0, at=day(33))  # 100 %, late, second time → 60
    pipes = await make_project(community, title='雨污分流', state='underway', lead_org='西陵区住建局',
                               created_at=day(40), due_on=None)
    old = await make_project(community, title='去年的项目', state='cancelled', lead_org='西陵区住建局',
                             created_at=day(-300), closed_at=day(-200))
    other = await make_community(name='桃园社区')
    await make_project(other, title='别的社区的项目', lead_org='船柴社区居委会')
    staff = await principal_of(await make_account(community, 'supervisor', name='监督委员'))
    return {'community': community, 'staff': staff, 'lights': lights, 'road': road, 'pipes': pipes, 'old': old}


async def test_each_project_gets_its_figures_and_score_and_money_excludes_voided_spending(world) -> None:
    result = await assessment.assess(world['staff'], world['community'].id)
    scores = {s.facts.title: s for s in result.projects}
    assert set(scores) == {'3栋楼道照明改造', '桃花苑道路修补', '雨污分流', '去年的项目'}
    lights, road = scores['3栋楼道照明改造'], scores['桃花苑道路修补']
    assert (lights.rate, lights.on_time, lights.passed_first_time, lights.score) == (Fraction(4, 5), True, True, 88)
    assert (lights.facts.budget, lights.facts.spent) == (Decimal('1200.30'), Decimal('300.33'))
    assert (road.rate, road.rounds, road.rectifications, road.on_time, road.score) == (1, 2, 1, False, 60)
    assert scores['雨污分流'].score is None
    office, bureau = result.organisations
    assert (office.lead_org, office.projects, office.score, office.rate) == ('船柴社区居委会', 2, 74, Fraction(9, 10))
    assert (bureau.lead_org, bureau.projects, bureau.score) == ('西陵区住建局', 2, None)


async def test_the_period_keeps_projects_active_in_it(world) -> None:
    result = await assessment.assess(world['staff'], world['community'].id,
                                     Period(since=date(2026, 9, 1), until=date(2026, 9, 30)))
    assert [s.facts.title for s in result.projects] == ['3栋楼道照明改造', '桃花苑道路修补']
    with pytest.raises(DomainError) as refused:
        await assessment.assess(world['staff'], world['community'].id,
                                Period(since=date(2026, 9, 30), until=date(2026, 9, 1)))
    assert refused.value.code == 'invalid_period'


async def test_the_workbook_has_both_sheets_with_the_domains_figures_and_the_weights_note(world) -> None:
    name, data = await assessment.export_xlsx(world['staff'], world['community'].id, at=day(60))
    assert name.startswith('船柴社区吹哨报到考核-')
    book = openpyxl.load_workbook(io.BytesIO(data))
    projects, orgs = book['项目考核'], book['单位考核']
    assert '船柴社区 吹哨报到考核' in projects['A1'].value and '全部时间' in projects['A1'].value
    assert [c.value for c in projects[2]] == list(PROJECT_HEADERS)
    rows = {row[1]: dict(zip(PROJECT_HEADERS, row, strict=True))
            for row in projects.iter_rows(min_row=3, values_only=True) if row and row[0] is not None
            and isinstance(row[0], int)}
    lights = rows['3栋楼道照明改造']
    assert (lights['满意率（%）'], lights['评分'], lights['按期完成'], lights['一次验收通过']) == (80, 88, '是', '是')
    assert Decimal(str(lights['预算（元）'])) == Decimal('1200.30')
    assert Decimal(str(lights['已支出（元）'])) == Decimal('300.33')
    assert (lights['用时（天）'], lights['整改次数']) == (10, 0)
    road = rows['桃花苑道路修补']
    assert (road['满意率（%）'], road['评价轮数'], road['整改次数'], road['按期完成'], road['评分']) == \
        (100, 2, 1, '否', 60)
    assert rows['雨污分流']['评分'] is None and rows['雨污分流']['满意率（%）'] is None
    org_rows = {row[0]: dict(zip(ORG_HEADERS, row, strict=True))
                for row in orgs.iter_rows(min_row=3, values_only=True) if row and row[1] is not None}
    office = org_rows['船柴社区居委会']
    assert (office['项目数'], office['平均满意率（%）'], office['按期率（%）'], office['平均评分']) == (2, 90, 50, 74)
    assert Decimal(str(office['预算合计（元）'])) == Decimal('1200.30')
    notes = [row[0] for row in projects.iter_rows(values_only=True) if row and isinstance(row[0], str)
             and row[0].startswith('说明')]
    assert notes and '满意率 × 60' in notes[0] and '按期完成 20 分' in notes[0]
    assert await AuditEntry.filter(action='dashboard.assessment.exported').exists()


async def test_a_project_title_that_looks_like_a_formula_stays_text(world) -> None:
    await make_project(world['community'], title='=HYPERLINK("http://x")', lead_org='=1+1')
    _, data = await assessment.export_xlsx(world['staff'], world['community'].id)
    sheet = openpyxl.load_workbook(io.BytesIO(data))['项目考核']
    row = next(row for row in sheet.iter_rows(min_row=3) if len(row) > 2 and row[1].value == '=HYPERLINK("http://x")')
    assert (row[1].data_type, row[2].data_type, row[2].value) == ('s', 's', '=1+1')


async def test_a_resident_or_volunteer_may_not_assess(world) -> None:
    volunteer = await principal_of(await make_account(world['community'], 'volunteer', name='志愿者'))
    with pytest.raises(DomainError) as refused:
        await assessment.export_xlsx(volunteer, world['community'].id)
    assert refused.value.code == 'forbidden'
