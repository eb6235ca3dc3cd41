"""The progress section of a project, for the in-app page and the public board alike: the stage and a progress bar
with its number, the milestones (整改 ones marked), and the reports with before / after photos side by side.

Written for a 70-year-old on a 360 px phone: large type, one column, the number next to the bar. Staff controls
(stage, milestones, 发布进展) only in the app and only for `project.manage`. Redrawn live on 'project.*' events.
"""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.admin import problem_label, show_problem
from components.live import on_event
from components.when import local_time
from domain import projects as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import project_views, projects

PHASE_ORDER = ('before', 'during', 'after')


async def progress_section(user: Principal, project_id: int, *, public: bool = False) -> None:
    """进度: stage, bar, milestones and reports; staff controls only when not public and allowed to manage."""
    with ui.column().classes('w-full gap-3').mark('progress-section'):

        @ui.refreshable
        async def content() -> None:
            try:
                view = await project_views.progress_view(user, project_id, public=public)
            except DomainError as e:
                ui.label(e.message).classes('text-lg')
                return
            _draw(user, view, content.refresh)

        await content()
        community_id = await _community(project_id)
        if community_id is not None:
            on_event('project.*', lambda _event: content.refresh(), community_id=community_id, at_most_every=1.0,
                     where=lambda event: event.payload.get('project_id') == project_id)


def progress_bar(value: int) -> None:
    """A thick bar with the percentage beside it in big digits (the number is what a resident reads)."""
    value = max(0, min(100, int(value)))
    with ui.row().classes('w-full items-center no-wrap gap-3'):
        ui.linear_progress(value=value / 100, show_value=False, size='16px', color='positive') \
            .classes('grow rounded').props(f'aria-label="{t("进度")} {value}%"')
        ui.label(f'{value}%').classes('text-2xl font-bold').mark('progress-value')


def _draw(user: Principal, view: project_views.ProgressView, refresh: Callable[[], object]) -> None:
    summary = view.summary
    with ui.card().classes('gs-card w-full gap-2'):
        ui.label(t('进度')).classes('text-xl font-bold')
        stage = t(summary.state_label) + (f' · {t(summary.status_label)}' if summary.status_label else '')
        ui.label(stage).classes('text-lg text-primary font-bold').mark('progress-stage')
        progress_bar(summary.progress)
        if summary.due_on:
            ui.label(t('计划完工：{date}', date=summary.due_on.isoformat())).classes('text-lg')
        if view.may_manage:
            _stage_control(user, view, refresh)
    _milestones(user, view, refresh)
    _updates(view)


def _stage_control(user: Principal, view: project_views.ProgressView, refresh: Callable[[], object]) -> None:
    options = {s.id: f'{t(s.label)}（{s.progress}%）' for s in view.statuses}
    with ui.row().classes('w-full items-center no-wrap gap-2'):
        choice = ui.select(options, label=t('项目阶段'), value=None).classes('grow text-lg') \
            .props('outlined dense').mark('stage-select')
        problem = problem_label()

        async def save() -> None:
            try:
                await projects.set_status(user, view.summary.id, choice.value)
            except DomainError as e:
                show_problem(problem, e)
                return
            ui.notify(t('已更新'), type='positive')
            refresh()

        ui.button(t('更新阶段'), on_click=save).props('unelevated').classes('text-lg').mark('stage-save')
    ui.button(t('发布进展'), icon='add_a_photo',
              on_click=lambda: ui.navigate.to(f'/projects/{int(view.summary.id)}/update')) \
        .classes('w-full text-lg').props('unelevated').mark('post-update')


def _milestones(user: Principal, view: project_views.ProgressView, refresh: Callable[[], object]) -> None:
    if not view.milestones and not view.may_manage:
        return
    with ui.card().classes('gs-card w-full gap-2').mark('milestones'):
        ui.label(t('计划节点')).classes('text-xl font-bold')
        for milestone in view.milestones:
            _milestone(user, view, milestone, refresh)
        if view.may_manage:
            _add_milestone(user, view, refresh)


def _milestone(user: Principal, view: project_views.ProgressView, milestone: project_views.MilestoneView,
               refresh: Callable[[], object]) -> None:
    done = milestone.done_at is not None
    with ui.row().classes('w-full items-center no-wrap gap-2').mark(f'milestone-{milestone.id}'):
        ui.icon('check_circle' if done else 'radio_button_unchecked') \
            .classes('text-3xl ' + ('text-positive' if done else 'text-grey-6'))
        with ui.column().classes('grow gap-0'):
            ui.label(milestone.title).classes('text-lg break-all' + (' font-bold' if not done else ''))
            details = []
            if milestone.rectification:
                details.append(t('整改（第 {n} 轮）', n=milestone.round))
            if milestone.due_on:
                details.append(t('计划 {date}', date=milestone.due_on.isoformat()))
            if done:
                details.append(t('{at} 完成', at=local_time(milestone.done_at)))
            if details:
                ui.label(' · '.join(details)).classes('gs-muted text-base')
        if view.may_manage and not done:

            async def complete(milestone_id: int = milestone.id) -> None:
                try:
                    await projects.complete_milestone(user, milestone_id)
                except DomainError as e:
                    ui.notify(e.message, type='warning', multi_line=True)
                refresh()

            ui.button(t('完成'), on_click=complete).props('outline').classes('text-lg') \
                .mark(f'milestone-done-{milestone.id}')


def _add_milestone(user: Principal, view: project_views.ProgressView, refresh: Callable[[], object]) -> None:
    with ui.expansion(t('添加计划节点'), icon='add').classes('w-full text-lg').mark('add-milestone'):
        title = ui.input(t('这一步做什么')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_MILESTONE}').mark('milestone-title')
        due = ui.input(t('计划日期（可不填）')).classes('w-full text-lg').props('outlined type=date') \
            .mark('milestone-due')
        problem = problem_label()

        async def add() -> None:
            try:
                await projects.add_milestone(user, view.summary.id, title=title.value or '',
                                             due_on=rules.parse_date(due.value))
            except DomainError as e:
                show_problem(problem, e)
                return
            ui.notify(t('已添加'), type='positive')
            refresh()

        ui.button(t('添加'), on_click=add).props('unelevated').classes('w-full text-lg').mark('milestone-add')


def _updates(view: project_views.ProgressView) -> None:
    with ui.column().classes('w-full gap-2').mark('updates'):
        ui.label(t('进展')).classes('text-xl font-bold')
        if not view.updates:
            ui.label(t('还没有进展')).classes('gs-muted text-lg')
        for update in view.updates:
            with ui.card().classes('gs-card w-full gap-1').mark(f'update-{update.id}'):
                meta = [local_time(update.created_at)]
                if update.progress is not None:
                    meta.append(t('进度 {n}%', n=update.progress))
                if update.status_label:
                    meta.append(t(update.status_label))
                ui.label(' · '.join(meta)).classes('gs-muted text-base')
                ui.label(update.text).classes('text-lg whitespace-pre-wrap break-all')
                _photos(update.photos)


def _photos(photos: tuple[project_views.PhotoView, ...]) -> None:
    """Before and after next to each other (two columns even at 360 px), each labelled in words."""
    if not photos:
        return
    ordered = sorted(photos, key=lambda p: PHASE_ORDER.index(p.phase) if p.phase in PHASE_ORDER else 9)
    with ui.element('div').classes('w-full grid grid-cols-2 gap-2'):
        for photo in ordered:  # urls are built from stored 64-hex keys, never from user input
            with ui.column().classes('gap-0'):
                ui.image(photo.url).classes('w-full rounded aspect-square').props('fit=cover') \
                    .mark(f'photo-{photo.phase}')
                ui.label(t(photo.phase_label)).classes('text-base font-bold text-center w-full')


async def _community(project_id: int) -> int | None:
    try:
        return (await project_views.project_summary(project_id)).community_id
    except DomainError:
        return None
