"""吹哨报到 assessment of a community's projects and their lead organisations, and its Excel workbook.

The period selects projects that were active in it: created on or before its last day and not closed or cancelled
before its first day. Budget and spent come from services.budget.money_totals (exact Decimal sums, voided spending
left out).
"""
from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment

from domain import assessment as rules
from domain import projects as project_rules
from domain.errors import DomainError
from domain.meetings import LOCAL
from domain.permissions import Principal
from domain.satisfaction import Counts
from models import Community, Project, Survey
from services import accounts, audit, budget, excel

PROJECT_HEADERS = ('编号', '项目', '牵头单位', '状态', '立项时间', '计划完成', '完工时间', '按期完成', '用时（天）',
                   '评价轮数', '整改次数', '满意率（%）', '一次验收通过', '预算（元）', '已支出（元）', '评分')
PROJECT_WIDTHS = (8, 30, 24, 10, 17, 12, 17, 10, 10, 10, 10, 12, 12, 14, 14, 10)
ORG_HEADERS = ('牵头单位', '项目数', '已办结', '平均满意率（%）', '按期完成数', '可判断按期数', '按期率（%）',
               '平均用时（天）', '整改次数', '预算合计（元）', '已支出合计（元）', '平均评分')
ORG_WIDTHS = (28, 8, 8, 14, 10, 12, 10, 14, 10, 16, 16, 10)
YES_NO = {True: '是', False: '否', None: '—'}


@dataclass(frozen=True)
class Period:
    since: date | None = None
    until: date | None = None

    def text(self) -> str:
        if self.since is None and self.until is None:
            return '全部时间'
        return f'{self.since or "开始"} 至 {self.until or "今天"}'


@dataclass(frozen=True)
class Assessment:
    community: str
    period: Period
    projects: list[rules.ProjectScore]
    organisations: list[rules.OrgScore]


async def assess(user: Principal, community_id: int, period: Period = Period()) -> Assessment:
    """Every project active in the period with its figures and score, and one row per lead organisation.

    Errors: forbidden, not_found, invalid_period.
    """
    accounts.require(user, 'dashboard.view', community_id)
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    if period.since is not None and period.until is not None and period.until < period.since:
        raise DomainError('invalid_period', '结束日期不能早于开始日期')
    query = Project.filter(community_id=community_id)
    if period.until is not None:
        query = query.filter(created_at__lt=_local_midnight(period.until + timedelta(days=1)))
    rows = await query.order_by('id').values('id', 'title', 'lead_org', 'state', 'created_at', 'done_at', 'due_on',
                                             'closed_at')
    if period.since is not None:
        start = _local_midnight(period.since)
        rows = [row for row in rows if row['closed_at'] is None or row['closed_at'] >= start]
    ids = {row['id'] for row in rows}
    rounds, money = await _rounds(community_id, ids), await budget.money_totals(ids)
    scores = [rules.assess(rules.ProjectFacts(
        id=row['id'], title=row['title'], lead_org=row['lead_org'], state=row['state'], created_at=row['created_at'],
        done_at=row['done_at'], due_on=row['due_on'], rounds=tuple(rounds[row['id']]),
        budget=money[row['id']].budget, spent=money[row['id']].spent)) for row in rows]
    return Assessment(community.name, period, scores, rules.by_org(scores))


async def export_xlsx(user: Principal, community_id: int, period: Period = Period(), *,
                      at: datetime | None = None) -> tuple[str, bytes]:
    """The assessment as an .xlsx (项目考核 and 单位考核): (file name, bytes). Audited: the file leaves the office.

    Errors: those of `assess`.
    """
    at = at or audit.now()
    result = await assess(user, community_id, period)
    book = openpyxl.Workbook(write_only=True)
    heading = f'{result.community} 吹哨报到考核（{result.period.text()}；导出时间：{excel.local(at):%Y-%m-%d %H:%M}）'
    sheet = excel.titled_sheet(book, '项目考核', PROJECT_HEADERS, PROJECT_WIDTHS, heading)
    for score in result.projects:
        sheet.append([excel.cell(sheet, value) for value in project_row(score)])
    _note(sheet)
    sheet = excel.titled_sheet(book, '单位考核', ORG_HEADERS, ORG_WIDTHS, heading)
    for org in result.organisations:
        sheet.append([excel.cell(sheet, value) for value in org_row(org)])
    _note(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    await audit.record('dashboard.assessment.exported', actor_id=user.account_id, community_id=community_id,
                       data={'projects': len(result.projects), 'since': str(period.since or ''),
                             'until': str(period.until or '')}, at=at)
    return f'{result.community}吹哨报到考核-{excel.local(at):%Y%m%d-%H%M}.xlsx', buffer.getvalue()


def note() -> str:
    w = rules.WEIGHTS
    return (f'说明：评分 = 满意率 × {w["satisfaction"]} + 按期完成 {w["on_time"]} 分'
            f' + 一次验收通过 {w["first_time"]} 分（满分 100），只给已办结的项目评分；'
            '无计划完成日期或无人评价时该项不计，其余各项按比例折算到 100 分。'
            '满意率 =（满意 + 基本满意）÷ 全部评价，取最后一轮已结束的评价；整改次数 = 评价轮数 − 1；'
            '按期 = 最后一次报完工的日期不晚于计划完成日期。单位各项为其项目的平均值（没有该项的项目不计入）。'
            '考核期内的项目：立项不晚于期末、且未在期初前办结或撤销。')


def project_row(score: rules.ProjectScore) -> list[object]:
    f = score.facts
    return [f.id, f.title, f.lead_org, project_rules.label(f.state), excel.excel_time(f.created_at), f.due_on,
            excel.excel_time(f.done_at), YES_NO[score.on_time], rules.rounded(score.days_to_done), score.rounds,
            score.rectifications, _percent(score.rate), YES_NO[score.passed_first_time], f.budget, f.spent,
            rules.rounded(score.score)]


def org_row(org: rules.OrgScore) -> list[object]:
    return [org.lead_org, org.projects, org.closed, _percent(org.rate), org.on_time, org.judged_on_time,
            _percent(org.on_time_share), rules.rounded(org.days_to_done), org.rectifications, org.budget, org.spent,
            rules.rounded(org.score)]


def _percent(value) -> Decimal | None:
    return rules.rounded(value * 100) if value is not None else None


def _note(sheet) -> None:
    sheet.append([])
    made = excel.cell(sheet, note())
    made.alignment = Alignment(wrap_text=True, vertical='top')
    sheet.append([made])


async def _rounds(community_id: int, ids: set[int]) -> dict[int, list[rules.Round]]:
    found: dict[int, list[rules.Round]] = defaultdict(list)
    for row in await Survey.filter(project__community_id=community_id).values(
            'project_id', 'round', 'satisfied', 'fair', 'unsatisfied', 'closed_at', 'verdict'):
        if row['project_id'] in ids:
            found[row['project_id']].append(rules.Round(row['round'], Counts(row['satisfied'], row['fair'],
                                                                             row['unsatisfied']),
                                                        row['closed_at'], row['verdict']))
    return found


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL).astimezone(UTC)
