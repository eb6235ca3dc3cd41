"""/projects/{id}: one project in the app — the header, then progress, money, pledges and rating (one section
component each); staff's moves (开始实施, 报告完工, 撤销 with a reason). Also /projects/{id}/edit and
/projects/{id}/update (a progress report with photos).

This module sorts after pages/projects.py, so '/projects/new' is registered before '/projects/{project_id}'.
"""
from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import not_found, problem_label, reason_dialog, show_problem
from components.frame import frame
from components.live import on_event
from components.pledge_panel import pledge_section
from components.project_money import money_section
from components.project_progress import progress_section
from components.rating_panel import rating_section
from components.signin import login_redirect
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from pages import project_update
from pages.projects import DetailsForm
from services import project_moves, project_views, projects
from services.projects import ProjectDraft

# the moves this page offers (closing or reopening a rating round is the rating panel's): target → label, icon
MOVES = {'underway': ('开始实施', 'play_arrow'), 'rating': ('报告完工', 'task_alt'), 'cancelled': ('撤销项目', 'block')}


async def view_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}')
    if not await project_views.may_view(user, project_id):
        with frame(t('项目'), user=user, active='projects', back='/projects'):
            not_found(t('没有找到这个项目'))
        return None
    summary = await project_views.project_summary(project_id, viewer=user)
    with frame(t('项目'), user=user, active='projects', back='/projects'):
        stage = ui.element()  # dialogs live here, outside what a live redraw replaces

        @ui.refreshable
        async def header() -> None:
            fresh = await project_views.progress_view(user, project_id)
            _header(fresh.summary)
            _links(user, fresh.summary)
            _moves(user, fresh, stage, header.refresh)

        await header()
        on_event('project.*', lambda _event: header.refresh(), community_id=summary.community_id,
                 at_most_every=1.0, where=lambda event: event.payload.get('project_id') == project_id)
        await progress_section(user, project_id)
        await money_section(user, project_id)
        await pledge_section(user, project_id)
        await rating_section(user, project_id)

        @ui.refreshable
        async def history() -> None:
            _timeline(await project_views.timeline(project_id))

        await history()
        on_event('project.moved', lambda _event: history.refresh(), community_id=summary.community_id,
                 where=lambda event: event.payload.get('project_id') == project_id)
    return None


def _timeline(entries: tuple[project_views.TimelineEntry, ...]) -> None:
    """项目经过: every move with when and why, the latest first."""
    with ui.column().classes('w-full gap-2').mark('project-timeline'):
        ui.label(t('项目经过')).classes('text-xl font-bold')
        for entry in reversed(entries):
            with ui.card().classes('gs-card w-full gap-0'):
                ui.label(t(entry.label)).classes('text-lg font-bold')
                ui.label(local_time(entry.at)).classes('gs-muted text-base')
                if entry.reason:
                    ui.label(entry.reason).classes('text-base break-all')


def _header(summary: project_views.ProjectSummary) -> None:
    with ui.card().classes('gs-card w-full gap-1').mark('project-header'):
        ui.label(summary.title).classes('text-2xl font-bold break-all').mark('project-title')
        ui.label(t(summary.state_label)).classes('text-xl text-primary font-bold').mark('project-state')
        if summary.decision:
            ui.label(t('{origin}：{decision}', origin=t(summary.origin_label), decision=summary.decision)) \
                .classes('text-lg break-all').mark('project-decision')
        if summary.summary:
            ui.label(summary.summary).classes('text-lg whitespace-pre-wrap break-all')
        _line(t('牵头单位'), summary.lead_org)
        _line(t('负责人'), ' '.join(p for p in (summary.lead_person, summary.lead_phone) if p), marker='project-lead')
        _line(t('施工地点'), ' '.join(p for p in (summary.compound_name, summary.site) if p))
        _line(t('计划完工'), summary.due_on.isoformat() if summary.due_on else '')
        _line(t('立项时间'), local_time(summary.created_at))


def _links(user: Principal, summary: project_views.ProjectSummary) -> None:
    """The public board everyone may show a neighbour, and the site poster for those who run the project."""
    with ui.row().classes('w-full gap-4'):
        ui.link(t('公开栏'), f'/board/project/{int(summary.id)}').classes('text-lg').mark('link-board')
        if can(user, 'project.manage', summary.community_id):
            ui.link(t('现场二维码海报'), f'/projects/{int(summary.id)}/poster').classes('text-lg') \
                .mark('link-poster')


def _line(caption: str, value: str, *, marker: str | None = None) -> None:
    if not value:
        return
    with ui.row().classes('w-full no-wrap gap-2 items-baseline'):
        ui.label(caption).classes('gs-muted text-base shrink-0')
        label = ui.label(value).classes('text-lg break-all')
        if marker:
            label.mark(marker)


def _moves(user: Principal, view: project_views.ProgressView, stage: ui.element, refresh: Callable[[], object]) -> None:
    summary = view.summary
    if can(user, 'project.manage', summary.community_id) and summary.state not in ('closed', 'cancelled'):
        edit = f'/projects/{int(summary.id)}/edit'
        ui.button(t('修改项目信息'), icon='edit', on_click=lambda: ui.navigate.to(edit)) \
            .classes('w-full text-lg').props('outline').mark('edit-project')
    for target in view.moves:
        if target not in MOVES:
            continue
        label, icon = MOVES[target]
        if target == 'rating' and summary.state == 'rectifying':
            label = '整改完成，再次评价'
        if target == 'cancelled':
            handler = _cancel(user, summary, stage, refresh)
        else:
            handler = _mover(user, summary.id, target, refresh)
        button = ui.button(t(label), icon=icon, on_click=handler).classes('w-full text-lg') \
            .props('outline color=negative' if target == 'cancelled' else 'unelevated').mark(f'move-{target}')
        if target == 'rating' and view.finish_blocks:
            button.disable()
            for reason in view.finish_blocks:
                ui.label(reason).classes('text-base text-negative').mark('finish-blocked')


def _mover(user: Principal, project_id: int, target: str, refresh: Callable[[], object]):
    async def move() -> None:
        try:
            await project_moves.move(user, project_id, target)
        except DomainError as e:
            ui.notify(e.message, type='warning', multi_line=True)
        else:
            ui.notify(t('已更新'), type='positive')
        refresh()
    return move


def _cancel(user: Principal, summary: project_views.ProjectSummary, stage: ui.element,
            refresh: Callable[[], object]):
    async def act(reason: str) -> None:
        await project_moves.move(user, summary.id, 'cancelled', reason=reason)
        refresh()

    return lambda: reason_dialog(stage, t('撤销项目'), t('撤销后不能恢复，原因会公开给居民看'), act, max_length=500,
                                 field_marker='cancel-reason', marker='cancel-ok', ok=t('撤销项目'), done=t('已撤销'))


async def edit_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}/edit')
    with frame(t('修改项目信息'), user=user, active='projects', back=f'/projects/{int(project_id)}'):
        try:
            project = await projects.managed(user, project_id)
        except DomainError as e:
            not_found(e.message)
            return None
        fields = DetailsForm(ProjectDraft(title=project.title, lead_org=project.lead_org, summary=project.summary,
                                          lead_person=project.lead_person, lead_phone=project.lead_phone,
                                          site=project.site, due_on=project.due_on, compound_id=project.compound_id))
        problem = problem_label()

        async def save() -> None:
            try:
                await projects.update_details(user, project_id, fields.draft())
            except DomainError as e:
                show_problem(problem, e)
                return
            ui.navigate.to(f'/projects/{int(project_id)}')

        ui.button(t('保存'), icon='save', on_click=save).classes('w-full text-xl').props('unelevated').mark('save')
    return None


def register() -> None:
    ui.page('/projects/{project_id}')(view_page)
    ui.page('/projects/{project_id}/edit')(edit_page)
    ui.page('/projects/{project_id}/update')(project_update.update_page)
