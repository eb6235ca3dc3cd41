"""Shared pieces of the admin screens: the community an admin is working on, its picker, and refusals.

A person may hold roles in several communities; the one they chose last is remembered per browser in
`app.storage.user['community_id']` and every admin screen works on it (when they may act there).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import app, ui

from components.frame import error_banner
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from models import Community
from services import places

STAFF_ROLES = frozenset({'volunteer', 'staff', 'committee', 'supervisor', 'admin'})
STORAGE_KEY = 'community_id'


def communities(user: Principal) -> list[int]:
    """Communities where this person has a role beyond being a resident."""
    return sorted(c for c, roles in user.roles.items() if roles & STAFF_ROLES)


def working_community(user: Principal, action: str | None = None) -> int | None:
    """The community to work on: the remembered choice if `action` is allowed there, else the first that allows it."""
    candidates = user.communities_with(action) if action else communities(user)
    chosen = app.storage.user.get(STORAGE_KEY)
    if chosen in candidates:
        return chosen
    return candidates[0] if candidates else None


def remember(community_id: int) -> None:
    app.storage.user[STORAGE_KEY] = int(community_id)


async def community_for(user: Principal, action: str) -> Community | None:
    """The Community row of `working_community(user, action)` (None when the action is allowed nowhere)."""
    community_id = working_community(user, action)
    return await Community.get_or_none(id=community_id) if community_id is not None else None


async def community_picker(user: Principal, current: int, *, on_change: Callable[[], None] | None = None) -> None:
    """A select of the person's communities, shown only when there is more than one."""
    ids = communities(user)
    if len(ids) < 2:
        return
    labels = await places.community_labels(ids)

    def chosen(event) -> None:
        if event.value in labels:
            remember(event.value)
            (on_change or ui.navigate.reload)()

    ui.select(labels, value=current if current in labels else None, label=t('正在管理的社区'),
              on_change=chosen).classes('w-full text-lg').props('outlined').mark('community-picker')


def no_permission() -> None:
    """The clear refusal a signed-in person sees on a screen their roles do not open."""
    with ui.column().classes('w-full items-center py-8 gap-2').mark('no-permission'):
        ui.icon('lock').classes('text-5xl text-grey-7')
        ui.label(t('没有权限')).classes('text-2xl font-bold')
        ui.label(t('这个页面需要社区工作人员的权限。如需使用，请联系社区管理员。')).classes('gs-muted text-center')
        ui.button(t('回首页'), on_click=lambda: ui.navigate.to('/')).classes('w-full text-lg')


def not_found(text: str) -> None:
    with ui.column().classes('w-full items-center py-8 gap-2').mark('not-found'):
        ui.icon('search_off').classes('text-5xl text-grey-7')
        ui.label(text).classes('text-xl text-center')


def problem_label() -> ui.label:
    """A hidden error line for a form; `show_problem` fills it."""
    label = error_banner('')
    label.set_visibility(False)
    return label


def show_problem(label: ui.label, error: DomainError | None) -> None:
    label.text = error.message if error else ''
    label.set_visibility(error is not None)


def stat(value: object, caption: str) -> None:
    """A number with a caption underneath, for the summary rows."""
    with ui.column().classes('items-center gap-0 grow'):
        ui.label(str(value)).classes('text-xl font-bold')
        ui.label(caption).classes('gs-muted text-sm')


def area_text(value: object) -> str:
    return t('{area} 平方米', area=value)


def text_dialog(title: str, label: str, value: str, save: Callable[[str], Awaitable[object]], *,
                marker: str, max_length: int = 60) -> None:
    """A dialog with one text field: `save(text)` runs the service; a DomainError stays in the dialog, in words."""
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(title).classes('text-lg font-bold')
        field = ui.input(label, value=value).classes('w-full text-lg') \
            .props(f'outlined autofocus maxlength={max_length}').mark(f'{marker}-input')
        problem = problem_label()

        async def submit() -> None:
            try:
                await save(field.value or '')
            except DomainError as e:
                show_problem(problem, e)
                return
            dialog.close()
            ui.notify(t('已保存'), type='positive')

        field.on('keydown.enter', submit)
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('取消'), on_click=dialog.close).props('flat').classes('text-lg')
            ui.button(t('保存'), on_click=submit).props('unelevated').classes('text-lg').mark(f'{marker}-save')
    dialog.open()
