"""Shared pieces of the admin screens: how each one opens, the community it works on, its picker, and refusals.

A person may hold roles in several communities; the one they chose last is remembered per browser in
`app.storage.user['community_id']` and every admin screen works on it (when they may act there).
"""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from components import session
from components.confirm import confirm
from components.frame import error_banner, frame
from components.live import on_event
from components.signin import login_redirect
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import WORK_ROLES, Principal
from models import Community
from services import places

STAFF_ROLES = WORK_ROLES  # any role beyond resident opens the admin screens
STORAGE_KEY = 'community_id'
R = TypeVar('R')


@dataclass(frozen=True)
class AdminScreen:
    """Who is working, and on which community (its row too, when the screen asked for it)."""
    user: Principal
    community_id: int
    community: Community | None = None


async def community_screen(path: str, title: str, action: str | None, build: Callable[[AdminScreen], Awaitable[None]],
                           *, back: str = '/admin', community_row: bool = False,
                           allowed: Callable[[Principal, int], bool] | None = None, prefer: int | None = None,
                           picker: bool = True, redraw_on: str | None = None) -> RedirectResponse | None:
    """A screen about the working community: sign in (back to `path`), frame, refusal or picker, then `build(screen)`.

    `action`: what the screen needs (None: any staff role). `community_row`: load the Community for `screen.community`.
    `allowed(user, community_id)`: a further test before anything is shown. `prefer`: a community the address names,
    used when `action` is allowed there. `picker`: False on a print page. `redraw_on`: an event pattern of this
    community after which `build` draws again.
    """
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(path)
    community_id = working_community(user, action, prefer=prefer)
    with frame(title, user=user, back=back):
        row = await Community.get_or_none(id=community_id) if community_row and community_id is not None else None
        if community_id is None or (community_row and row is None) or (allowed and not allowed(user, community_id)):
            no_permission()
            return None
        if picker:
            await community_picker(user, community_id)
        screen = AdminScreen(user, community_id, row)
        if redraw_on is None:
            await build(screen)
        else:
            content = ui.refreshable(build)
            await content(screen)
            on_event(redraw_on, lambda _: content.refresh(), community_id=community_id)
    return None


async def record_screen(path: str, load: Callable[[Principal], Awaitable[R]],
                        draw: Callable[[Principal, R], Awaitable[None]], *, kind: str, up: str,
                        title: str | Callable[[R], str], back: str | Callable[[R], str] | None = None,
                        live: Callable[[R, Callable[..., object]], None] | None = None) -> RedirectResponse | None:
    """A screen about one record (a compound, a building, a household, a resident), kept up to date.

    `load(user)` is the service call; its refusal shows in a frame titled `kind` leading back `up`. Otherwise a frame
    titled `title` (back to `back`, else `up`) holds `draw(user, record)`, redrawn from a fresh `load` whenever
    `live(record, refresh)` has subscribed `refresh` to an event.
    """
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(path)
    try:
        record = await load(user)
    except DomainError as e:
        with frame(kind, user=user, back=up):
            no_permission() if e.code == 'forbidden' else not_found(e.message)
        return None
    back = back or up
    with frame(title(record) if callable(title) else title, user=user, back=back(record) if callable(back) else back):

        @ui.refreshable
        async def content() -> None:
            try:
                fresh = await load(user)
            except DomainError as e:  # deleted or moved out of reach since the page opened
                not_found(e.message)
                return
            await draw(user, fresh)

        await content()
        if live is not None:
            live(record, lambda _event=None: content.refresh())
    return None


def communities(user: Principal) -> list[int]:
    """Communities where this person has a role beyond being a resident."""
    return sorted(c for c, roles in user.roles.items() if roles & STAFF_ROLES)


def working_community(user: Principal, action: str | None = None, *, prefer: int | None = None) -> int | None:
    """The community to work on: `prefer`, else the remembered choice, if `action` is allowed there; else the first."""
    candidates = user.communities_with(action) if action else communities(user)
    for chosen in (prefer, app.storage.user.get(STORAGE_KEY)):
        if chosen in candidates:
            return chosen
    return candidates[0] if candidates else None


def remember(community_id: int) -> None:
    app.storage.user[STORAGE_KEY] = int(community_id)


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


class NonceSender:
    """A send button's client nonce: a double tap or a resend sends once; a new nonce after each success."""

    def __init__(self, problem: ui.label) -> None:
        self.problem = problem
        self.nonce = uuid.uuid4().hex

    async def send(self, button: ui.button, action: Callable[[str], Awaitable[object]]) -> bool:
        """Run `action(nonce)` with the button disabled; a refusal is shown under the form. True when it went."""
        button.disable()
        try:
            await action(self.nonce)
        except DomainError as e:
            show_problem(self.problem, e)
            return False
        finally:
            button.enable()
        show_problem(self.problem, None)
        self.nonce = uuid.uuid4().hex
        return True


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
        submit = dialog_buttons(dialog, problem, lambda: save(field.value or ''), marker=f'{marker}-save')
        field.on('keydown.enter', submit)
    dialog.open()


def reason_dialog(stage: ui.element, title: str, explanation: str, act: Callable[[str], Awaitable[object]], *,
                  max_length: int, field_marker: str, marker: str, ok: str, done: str) -> None:
    """A dialog that asks why (原因（必填）) before a serious step, e.g. cancelling a meeting or hiding a post."""
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(title).classes('text-lg font-bold')
        ui.label(explanation).classes('gs-muted')
        reason = ui.textarea(t('原因（必填）')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={max_length}').mark(field_marker)
        problem = problem_label()
        dialog_buttons(dialog, problem, lambda: act(reason.value or ''), marker=marker, ok=ok, done=done, danger=True)
    dialog.open()


def dialog_buttons(dialog: ui.dialog, problem: ui.label, action: Callable[[], Awaitable[object]], *, marker: str,
                   ok: str | None = None, done: str | None = None,
                   danger: bool = False) -> Callable[[], Awaitable[None]]:
    """取消 and `ok` (default 保存) under a dialog's form, returning what `ok` does (for the Enter key).

    `action()` runs the service: a DomainError stays in `problem`, in words; success closes and says `done` (已保存).
    """

    async def submit() -> None:
        try:
            await action()
        except DomainError as e:
            show_problem(problem, e)
            return
        dialog.close()
        ui.notify(done or t('已保存'), type='positive')

    with ui.row().classes('w-full justify-end gap-2'):
        ui.button(t('取消'), on_click=dialog.close).props('flat').classes('text-lg')
        ui.button(ok or t('保存'), on_click=submit).props('unelevated color=negative' if danger else 'unelevated') \
            .classes('text-lg').mark(marker)
    return submit


async def delete_then_go(question: str, delete: Callable[[], Awaitable[object]], to: str) -> None:
    """Ask `question`; on 删除 run `delete()`: a refusal shows as a notice, success goes on to `to`."""
    if not await confirm(question, ok=t('删除')):
        return
    try:
        await delete()
    except DomainError as e:
        ui.notify(e.message, type='negative', multi_line=True)
        return
    ui.notify(t('已删除'), type='positive')
    ui.navigate.to(to)
