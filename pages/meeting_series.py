"""/meetings/series (staff): the community's 周周碰 and 月月议 — plan the next weeks, stop one, start a new one."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components.admin import AdminScreen, community_screen, problem_label, show_problem
from components.confirm import confirm
from components.frame import empty_state
from components.live import on_event
from components.when import local_time
from domain import meetings as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from pages.meeting_new import shape_fields
from services import meeting_series, meeting_views


async def series_page() -> RedirectResponse | None:
    return await community_screen('/meetings/series', t('周周碰/月月议'), 'meeting.manage', _build, back='/meetings')


async def _build(screen: AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id

    @ui.refreshable
    async def rows() -> None:
        found = await meeting_views.series_list(user, community_id)
        if not found:
            empty_state(t('还没有例会'), 'event_repeat')
        for row in found:
            _row(user, row)

    await rows()
    on_event('meeting.series.*', lambda _event: rows.refresh(), community_id=community_id)
    on_event('meeting.created', lambda _event: rows.refresh(), community_id=community_id, at_most_every=1)
    ui.label(t('新建例会')).classes('text-lg font-bold pt-2')
    await _form(user, community_id)


def _row(user: Principal, row: meeting_views.SeriesRow) -> None:
    with ui.card().classes('gs-card w-full gap-1').mark(f'series-{row.id}'):
        ui.label(row.title).classes('text-lg font-bold break-all')
        ui.label(f'{t(row.cadence_label)} · {row.when}').classes('text-base')
        ui.label(' · '.join(p for p in (row.place, row.council) if p)).classes('gs-muted break-all')
        if not row.active:
            ui.label(t('已停止')).classes('text-negative')
            return
        ui.label(t('下一次：{at}', at=local_time(row.next_at)) if row.next_at else t('还没有安排下一次')) \
            .classes('gs-muted').mark(f'series-next-{row.id}')

        async def plan() -> None:
            try:
                made = await meeting_series.plan_series(user, row.id)
            except DomainError as e:
                ui.notify(e.message, type='warning', multi_line=True)
                return
            ui.notify(t('已安排 {n} 次会议', n=len(made)) if made else t('接下来的会议都已安排好了'), type='positive')

        async def stop() -> None:
            if not await confirm(t('停止这个例会？已安排的会议会保留。'), ok=t('停止')):
                return
            await meeting_series.stop_series(user, row.id)
            ui.notify(t('已停止'), type='positive')

        with ui.row().classes('w-full gap-2'):
            ui.button(t('安排接下来 4 周'), icon='event_available', on_click=plan).props('outline') \
                .classes('text-base').mark(f'plan-{row.id}')
            ui.button(t('停止'), icon='stop_circle', on_click=stop).props('flat color=negative') \
                .classes('text-base').mark(f'stop-{row.id}')


async def _form(user: Principal, community_id: int) -> None:
    fields = await shape_fields(user, community_id, title_hint=t('例如：嘉明花园周周碰'))
    cadence = ui.toggle({k: t(v) for k, v in rules.CADENCES.items()}, value='weekly').props('spread no-caps') \
        .classes('w-full text-lg').mark('series-cadence')
    weekday = ui.select({i: t(name) for i, name in enumerate(rules.WEEKDAYS)}, value=2, label=t('每周哪一天')) \
        .classes('w-full text-lg').props('outlined').mark('series-weekday')
    day = ui.select({d: t('每月 {d} 日', d=d) for d in range(1, 29)}, value=15, label=t('每月哪一天')) \
        .classes('w-full text-lg').props('outlined').mark('series-day')
    weekday.bind_visibility_from(cadence, 'value', value='weekly')
    day.bind_visibility_from(cadence, 'value', value='monthly')
    with ui.row().classes('w-full gap-2 no-wrap'):
        clock = ui.input(t('开始'), value='19:00').props('outlined type=time').classes('grow text-lg') \
            .mark('series-time')
        minutes = ui.number(t('时长（分钟）'), value=90, min=15, max=720, step=15, precision=0) \
            .props('outlined').classes('grow text-lg').mark('series-duration')
    problem = problem_label()

    async def save() -> None:
        try:
            hour, _, minute = (clock.value or '').partition(':')
            if not (hour.isdecimal() and minute.isdecimal()):
                raise DomainError('bad_time', '开会时间不对')
            series = await meeting_series.create_series(
                user, community_id, **fields.values(), cadence=cadence.value or '', weekday=weekday.value,
                day_of_month=day.value, start_minute=int(hour) * 60 + int(minute),
                duration_minutes=int(minutes.value or 0))
            made = await meeting_series.plan_series(user, series.id)
        except DomainError as e:
            show_problem(problem, e)
            return
        show_problem(problem, None)
        ui.notify(t('已保存，已安排 {n} 次会议', n=len(made)), type='positive')

    ui.button(t('保存例会'), icon='save', on_click=save).props('unelevated').classes('w-full text-xl') \
        .mark('series-save')
