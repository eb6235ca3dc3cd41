"""The pledge section of a project (in-app page, public board, organisers' page): what is needed, pledged and
received per need with a bar each, the thank-you names (consenting pledgers, for what arrived), and 我要出力 / 我要捐助
for a resident while the project takes pledges.

Each bar is one element whose background is a gradient cut at two shares we computed (received, then pledged), never
text someone typed. Redrawn live on 'pledge.changed' (and 'project.moved', which may close pledging) for this project.
"""
from __future__ import annotations

from nicegui import ui

from components.live import on_event
from domain import pledges as rules
from domain import projects
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from models import Project
from services import pledges
from services.project_moves import get_project

RECEIVED = '#81c784'  # arrived
PLEDGED = '#ffcc80'  # promised, not yet arrived
REST = '#f3f0eb'


async def pledge_section(user: Principal, project_id: int, *, public: bool = False, manage_link: bool = True) -> None:
    """需要 / 已认 / 已到位 per need, the 谢谢 names, and the pledge button or a sign-in hint.

    `public`: the board — no organiser link, and the pledge button only for a signed-in resident.
    `manage_link`: False on the organisers' page itself.
    """
    try:
        project = await get_project(project_id)
    except DomainError as e:
        ui.label(e.message).classes('gs-muted')
        return

    @ui.refreshable
    async def content() -> None:
        try:
            fresh = await get_project(project_id)
        except DomainError as e:
            ui.label(e.message).classes('gs-muted')
            return
        book = await pledges.ledger(project_id)
        names = await pledges.thanks(project_id)
        _draw(user, fresh, book, names, public=public, manage_link=manage_link)

    with ui.column().classes('w-full gap-3').mark('pledge-section'):
        await content()
    mine = lambda event: event.payload.get('project_id') == project_id  # noqa: E731
    on_event('pledge.changed', lambda _event: content.refresh(), community_id=project.community_id,
             at_most_every=0.5, where=mine)
    on_event('project.moved', lambda _event: content.refresh(), community_id=project.community_id, where=mine)


def _draw(user: Principal, project: Project, book: rules.Ledger, names: list[pledges.ThankYou], *, public: bool,
          manage_link: bool) -> None:
    with ui.card().classes('gs-card w-full gap-2'):
        ui.label(t('投工投劳、出资出物')).classes('text-xl font-bold')
        if book.empty:
            ui.label(t('还没有列出需要大家出力的事项')).classes('gs-muted text-lg').mark('pledge-empty')
        for line in book.lines:
            _line(line)
        _actions(user, project, public=public, manage_link=manage_link)
    if names:
        with ui.card().classes('gs-card w-full gap-1').mark('pledge-thanks'):
            ui.label(t('谢谢')).classes('text-xl font-bold')
            for name in names:
                with ui.row().classes('w-full gap-2 items-baseline'):
                    ui.label(name.name).classes('text-lg font-bold')
                    ui.label(name.text).classes('text-lg break-all')


def _line(line: rules.Line) -> None:
    q = rules.format_quantity
    marker = f'pledge-line-{line.need_id}' if line.need_id is not None else f'pledge-line-other-{line.kind}'
    with ui.column().classes('w-full gap-0').mark(marker):
        title = t(rules.OTHER) if line.need_id is None else line.item
        with ui.row().classes('w-full items-baseline gap-2'):
            ui.label(title).classes('text-lg font-bold break-all')
            ui.label(t(rules.kind_label(line.kind)) + (f' · {line.slot}' if line.slot else '')) \
                .classes('gs-muted break-all')
        whole = line.needed if line.needed is not None else line.pledged
        _bar(rules.share(line.received, whole), rules.share(line.pledged, whole))
        if line.needed is not None:
            text = t('需要 {needed} · 已认 {pledged} · 已到位 {received} {unit}', needed=q(line.needed),
                     pledged=q(line.pledged), received=q(line.received), unit=line.unit)
        else:
            text = t('已认 {pledged} · 已到位 {received} {unit}', pledged=q(line.pledged), received=q(line.received),
                     unit=line.unit)
        ui.label(text).classes('text-lg').mark('pledge-numbers')
        if line.needed is not None:
            if line.still_needed > 0:
                ui.label(t('还差 {n} {unit}', n=q(line.still_needed), unit=line.unit)) \
                    .classes('text-lg text-negative font-bold')
            else:
                ui.label(t('已认满，谢谢大家')).classes('text-lg text-positive font-bold')


def _bar(received: int, pledged: int) -> None:
    """Received, then the rest of pledged, then what is still open: two numbers 0–100 we computed."""
    received, pledged = max(0, min(100, int(received))), max(0, min(100, int(pledged)))
    pledged = max(pledged, received)
    ui.element('div').classes('w-full rounded h-4').style(
        f'background: linear-gradient(to right, {RECEIVED} 0 {received}%, {PLEDGED} {received}% {pledged}%, '
        f'{REST} {pledged}% 100%)').props(f'role=img aria-label="{t("已到位")} {received}% {t("已认")} {pledged}%"')


def _actions(user: Principal, project: Project, *, public: bool, manage_link: bool) -> None:
    project_id = int(project.id)
    if project.state in projects.PLEDGING:
        if can(user, 'pledge.make', project):
            ui.button(t('我要出力 / 我要捐助'), icon='volunteer_activism',
                      on_click=lambda: ui.navigate.to(f'/projects/{project_id}/pledge')) \
                .props('unelevated').classes('w-full text-lg').mark('pledge-button')
        elif not user.is_authenticated:
            with ui.row().classes('w-full items-center gap-1').mark('pledge-signin'):
                ui.label(t('想出一份力？')).classes('text-lg')
                ui.link(t('登录后认捐'), f'/login?next=/projects/{project_id}/pledge').classes('text-lg')
    else:
        ui.label(t('项目{state}，现在不接受认捐', state=t(projects.label(project.state)))).classes('gs-muted')
    if not public and manage_link and can(user, 'pledge.confirm', project):
        ui.button(t('认捐管理'), icon='fact_check',
                  on_click=lambda: ui.navigate.to(f'/projects/{project_id}/pledges')) \
            .props('outline').classes('w-full text-lg').mark('pledge-manage')
