"""/dashboard: the 五民 funnel of the working community, live; /dashboard/assessment.xlsx: the 吹哨报到 assessment.

Charts are ECharts bundled with NiceGUI (no CDN). They get plain data only (numbers, step labels, month keys):
compound names appear in the table, never in a chart option, and no option carries a JavaScript formatter.
On a phone the cards stack; from a laptop or projector up they stand two by two.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from nicegui import app, ui

from components import admin
from components.downloads import File, community_download
from components.live import on_event
from domain import funnel as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.lifecycle import STEPS
from domain.permissions import Principal
from services import assessment, audit, funnel
from services.funnel import Filters

ALL = ''  # the "any compound" choice
SERIES = {'issue': '公共议题', 'wish': '微心愿'}
LIVE = frozenset({'issue', 'wish', 'project', 'survey', 'rating'})  # event families that move the funnel
COLOURS = ('#C62828', '#EF6C00', '#F9A825', '#2E7D32', '#1565C0')


async def dashboard_page():
    return await admin.community_screen('/dashboard', t('五民工作看板'), 'dashboard.view', _build)


async def assessment_xlsx(request: Request) -> Response:
    """The 吹哨报到 workbook for the working community, optionally for a period (?since=YYYY-MM-DD&until=…)."""
    async def make(user: Principal, community_id: int) -> File:
        try:
            period = assessment.Period(_day(request.query_params.get('since')), _day(request.query_params.get('until')))
        except ValueError:
            raise DomainError('invalid_date', '日期格式不对，请用 年-月-日') from None
        return await assessment.export_xlsx(user, community_id, period, at=audit.now())

    return await community_download('dashboard.view', make, request=request, back='/dashboard',
                                    fallback='assessment.xlsx', otherwise=400)


async def _build(screen: admin.AdminScreen) -> None:
    board = _Board(screen.user, screen.community_id, await funnel.compounds(screen.community_id))
    await board.draw()
    on_event('*', lambda _event: board.redraw(), community_id=screen.community_id, at_most_every=2,
             where=lambda event: event.name.split('.', 1)[0] in LIVE)


class _Board:
    """The chosen filters and series, the elements that show them, and one redraw that fills them all."""

    def __init__(self, user: Principal, community_id: int, compounds: dict[int, str]) -> None:
        self.user, self.community_id, self.compounds = user, community_id, compounds
        self.filters = Filters()
        self.kind = 'issue'

    async def draw(self) -> None:
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4 gap-2') \
                .mark('dashboard-filters'):
            ui.toggle({key: t(text) for key, text in SERIES.items()}, value=self.kind, on_change=self._kind) \
                .props('unelevated spread no-caps').classes('w-full text-lg').mark('dashboard-kind')
            choices = {ALL: t('全部小区'), **self.compounds}
            ui.select(choices, value=ALL, label=t('小区'), on_change=self._compound) \
                .classes('w-full text-lg').props('outlined').mark('dashboard-compound')
            self._month('since', t('从（提出月份）'))
            self._month('until', t('到（提出月份）'))
        self.problem = admin.problem_label()
        with ui.row().classes('w-full items-center justify-between'):
            self.summary = ui.label().classes('text-lg font-bold').mark('dashboard-total')
            ui.button(t('下载吹哨报到考核表'), icon='download', on_click=self._download) \
                .props('unelevated').classes('text-lg').mark('dashboard-assessment')
        with ui.element('div').classes('w-full grid grid-cols-5 gap-1 gs-card p-2'):
            self.counts, self.skipped = [], []
            for number, step in enumerate(STEPS, start=1):
                with ui.column().classes('items-center gap-0'):
                    self.counts.append(ui.label().classes(f'text-2xl font-bold gs-dash-step-{number}')
                                       .mark(f'dashboard-step-{number}'))
                    ui.label(t(step.label)).classes('gs-muted text-xs sm:text-sm text-center')
                    self.skipped.append(ui.label().classes('gs-muted text-xs text-center')
                                        .mark(f'dashboard-skipped-{number}'))
        with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-3'):
            with _card(t('五民漏斗（到达各环节的数量）')):
                self.funnel_chart = ui.echart(_funnel_options()).classes('w-full h-80').mark('funnel-chart')
            with _card(t('各环节平均用时（天）')):
                self.days_chart = ui.echart(_days_options()).classes('w-full h-80').mark('days-chart')
            with _card(t('按提出月份')):
                self.month_chart = ui.echart(_month_options()).classes('w-full h-80').mark('month-chart')
            with _card(t('按小区')):
                self.table = ui.table(rows=[], columns=_table_columns(), row_key='key') \
                    .classes('w-full').props('flat dense wrap-cells').mark('compound-table')
        ui.label(t('“跳过”的环节：微心愿不经过议、决；用时从进入本环节算到进入下一环节，只计已往下走的事项。')) \
            .classes('gs-muted text-sm')
        await self.redraw()

    def _month(self, name: str, label: str) -> None:
        async def changed(event) -> None:
            try:
                value = date.fromisoformat(f'{event.value}-01') if event.value else None
            except ValueError:
                return  # half typed
            self.filters = replace(self.filters, **{name: value})
            await self.redraw()

        ui.input(label, on_change=changed).props('outlined stack-label type=month clearable') \
            .classes('w-full text-lg').mark(f'dashboard-{name}')

    async def _kind(self, event) -> None:
        self.kind = event.value or 'issue'
        await self.redraw()

    async def _compound(self, event) -> None:
        value = None if event.value in (ALL, None) else int(event.value)
        self.filters = replace(self.filters, compound_id=value)
        await self.redraw()

    async def redraw(self) -> None:
        try:
            result = await funnel.dashboard(self.user, self.community_id, self.filters)
        except DomainError as e:
            admin.show_problem(self.problem, e)
            return
        admin.show_problem(self.problem, None)
        self.compounds = result.compounds
        figures = result.issues if self.kind == 'issue' else result.wishes
        total = figures.total
        self.summary.text = t('共 {n} 件{kind}', n=total.items, kind=t(SERIES[self.kind]))
        for count, skipped, step in zip(self.counts, self.skipped, total.steps, strict=True):
            count.text = str(step.reached)
            skipped.text = t('（跳过 {n}）', n=step.skipped) if step.skipped else ''
        steps = [t(step.label) for step in STEPS]
        self.funnel_chart.options['series'][0]['data'] = [
            {'name': name, 'value': step.reached} for name, step in zip(steps, total.steps, strict=True)]
        self.funnel_chart.update()
        self.days_chart.options['xAxis']['data'] = steps[:-1]
        self.days_chart.options['series'][0]['data'] = [_days(step.days) for step in total.steps[:-1]]
        self.days_chart.update()
        months = list(figures.by_month)
        self.month_chart.options['xAxis']['data'] = months
        self.month_chart.options['legend']['data'] = steps
        self.month_chart.options['series'] = [
            {'name': name, 'type': 'bar', 'data': [figures.by_month[m].steps[i].reached for m in months],
             'itemStyle': {'color': COLOURS[i]}} for i, name in enumerate(steps)]
        self.month_chart.update()
        order = sorted(figures.by_compound, key=lambda k: (k is None, result.compound_name(k)))
        self.table.rows = [_table_row(result, key, figures.by_compound[key]) for key in order] + \
            [_table_row(result, 'all', total, name=t('合计'))]
        self.table.update()

    def _download(self) -> None:
        query = {'community': self.community_id}
        if self.filters.since is not None:
            query['since'] = self.filters.since.isoformat()
        if self.filters.until is not None:
            query['until'] = _last_day(self.filters.until).isoformat()
        ui.download.from_url(f'/dashboard/assessment.xlsx?{urlencode(query)}')


def _card(title: str):
    card = ui.card().classes('gs-card w-full gap-1')
    with card:
        ui.label(title).classes('text-lg font-bold')
    return card


def _funnel_options() -> dict:
    return {'tooltip': {'trigger': 'item'}, 'color': list(COLOURS),
            'series': [{'type': 'funnel', 'sort': 'none', 'left': '5%', 'width': '90%', 'minSize': '30%', 'gap': 2,
                        # a static template of ECharts' own ({b} the step, {c} its count), never user text
                        'label': {'show': True, 'position': 'inside', 'fontSize': 16, 'formatter': '{b}  {c}'},
                        'data': []}]}


def _days_options() -> dict:
    return {'tooltip': {'trigger': 'axis'}, 'grid': {'left': 40, 'right': 10, 'bottom': 30, 'top': 20},
            'xAxis': {'type': 'category', 'data': []}, 'yAxis': {'type': 'value', 'minInterval': 1},
            'series': [{'type': 'bar', 'data': [], 'label': {'show': True, 'position': 'top'},
                        'itemStyle': {'color': COLOURS[0]}}]}


def _month_options() -> dict:
    return {'tooltip': {'trigger': 'axis'}, 'legend': {'data': [], 'type': 'scroll', 'top': 0},
            'grid': {'left': 40, 'right': 10, 'bottom': 30, 'top': 40},
            'xAxis': {'type': 'category', 'data': []}, 'yAxis': {'type': 'value', 'minInterval': 1}, 'series': []}


def _table_columns() -> list[dict]:
    columns = [{'name': 'name', 'label': t('小区'), 'field': 'name', 'align': 'left'}]
    columns += [{'name': f's{n}', 'label': t(step.label), 'field': f's{n}'} for n, step in enumerate(STEPS, start=1)]
    return columns


def _table_row(result: funnel.Dashboard, key, series: rules.Series, *, name: str | None = None) -> dict:
    row = {'key': str(key), 'name': name or (t('未分小区') if key is None else result.compound_name(key))}
    row.update({f's{n}': step.reached for n, step in enumerate(series.steps, start=1)})
    return row


def _days(value) -> float | None:
    text = rules.days_text(value)
    return None if value is None else float(text)  # a chart bar only; the exact figure is in the workbook


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _last_day(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def register() -> None:
    ui.page('/dashboard')(dashboard_page)
    app.get('/dashboard/assessment.xlsx', include_in_schema=False)(assessment_xlsx)
