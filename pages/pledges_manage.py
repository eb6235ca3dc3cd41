"""/projects/{id}/pledges: the organisers' page — list needs, see every pledge with names (phones masked unless they
may read them), confirm what arrived (all or part), record a pledge for someone without a phone, withdraw with a
reason, and download the Excel ledger. Live on 'pledge.changed' for this project.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import dialog_buttons, no_permission, not_found, problem_label
from components.frame import frame
from components.live import on_event
from components.pledge_panel import pledge_section
from components.resident_finder import resident_finder
from components.signin import login_redirect
from components.when import local_time
from domain import pledges as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from models import Project
from pages.pledges import pledge_text, status_text, withdraw_dialog
from services import pledges
from services.project_moves import get_project


async def manage_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}/pledges')
    try:
        project = await get_project(project_id)
    except DomainError as e:
        with frame(t('认捐管理'), user=user, back='/projects'):
            not_found(e.message)
        return None
    with frame(t('认捐管理'), user=user, back=f'/projects/{project.id}'):
        if not can(user, 'pledge.confirm', project):
            no_permission()
            return None
        ui.label(project.title).classes('text-xl font-bold break-all')
        stage = ui.element()
        with ui.row().classes('w-full gap-2'):
            ui.button(t('添加需求'), icon='add', on_click=lambda: _need_dialog(user, project, stage)) \
                .props('unelevated').classes('grow text-lg').mark('need-add')
            ui.button(t('代为登记'), icon='edit_note', on_click=lambda: _record_dialog(user, project, stage)) \
                .props('outline').classes('grow text-lg').mark('pledge-record')
            ui.button(t('导出 Excel'), icon='download',
                      on_click=lambda: ui.download.from_url(f'/projects/{int(project.id)}/pledges.xlsx')) \
                .props('outline').classes('grow text-lg').mark('pledge-export')
        await pledge_section(user, project.id, manage_link=False)

        @ui.refreshable
        async def listing() -> None:
            await _listing(user, project.id, stage, listing.refresh)

        await listing()
        on_event('pledge.changed', lambda _event: listing.refresh(), community_id=project.community_id,
                 at_most_every=0.5, where=lambda event: event.payload.get('project_id') == project.id)
    return None


async def _listing(user: Principal, project_id: int, stage: ui.element, refresh: Callable[[], object]) -> None:
    try:
        views = await pledges.project_pledges(user, project_id)
    except DomainError as e:
        ui.label(e.message).classes('gs-muted')
        return
    ui.label(t('全部认捐（{n} 笔）', n=len(views))).classes('text-xl font-bold').mark('pledge-count')
    for view in views:
        with ui.card().classes('gs-card w-full gap-1').mark(f'pledge-{view.id}'):
            with ui.row().classes('w-full items-baseline gap-2'):
                ui.label(view.name).classes('text-lg font-bold')
                if view.phone:
                    ui.label(view.phone).classes('gs-muted')
            ui.label(pledge_text(view)).classes('text-lg break-all')
            ui.label(status_text(view)).classes('text-base').mark(f'pledge-state-{view.id}')
            details = [t('认捐于 {when}', when=local_time(view.created_at))]
            if view.recorded_by:
                details.append(t('{name} 代为登记', name=view.recorded_by))
            if view.confirmed_at:
                details.append(t('{name} 确认于 {when}', name=view.confirmed_by, when=local_time(view.confirmed_at)))
            ui.label(' · '.join(details)).classes('gs-muted text-sm')
            if view.state != 'withdrawn':
                with ui.row().classes('w-full gap-2'):
                    ui.button(t('确认到位'), icon='task_alt',
                              on_click=lambda _e, v=view: _confirm_dialog(user, v, stage, refresh)) \
                        .props('unelevated dense').classes('text-lg').mark(f'confirm-{view.id}')
                    ui.button(t('撤回'), icon='undo',
                              on_click=lambda _e, v=view: withdraw_dialog(user, v, stage, refresh)) \
                        .props('flat dense').classes('text-lg').mark(f'withdraw-{view.id}')


def _confirm_dialog(user: Principal, view: pledges.PledgeView, stage: ui.element,
                    refresh: Callable[[], object]) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('确认到位')).classes('text-lg font-bold')
        ui.label(f'{view.name} · {pledge_text(view)}').classes('text-lg break-all')
        start = view.received if view.received > 0 else view.quantity
        amount = ui.input(t('实际到位数量（{unit}）', unit=view.unit), value=rules.format_quantity(start)) \
            .classes('w-full text-lg').props('outlined inputmode=decimal maxlength=12').mark('received')
        ui.label(t('只到了一部分就填到位的数量；没到填 0')).classes('gs-muted')
        problem = problem_label()

        async def act() -> None:
            await pledges.confirm_received(user, view.id, received=amount.value or '', seen=view.received)
            refresh()

        dialog_buttons(dialog, problem, act, marker='confirm-ok', ok=t('确认'), done=t('已确认到位'))
    dialog.open()


def _need_dialog(user: Principal, project: Project, stage: ui.element) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm gap-2'):
        ui.label(t('添加需求')).classes('text-lg font-bold')
        kind = ui.toggle({k: t(v) for k, v in rules.KINDS.items()}, value='labour') \
            .props('spread no-caps').classes('w-full text-lg').mark('need-kind')
        item = ui.input(t('需要什么（如 刷墙志愿者、建设资金、空调）')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_ITEM}').mark('need-item')
        unit = ui.input(t('单位（出物时填，如 台、本、袋）')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_UNIT}').mark('need-unit')
        quantity = ui.input(t('数量（出工按小时，出资按元）')).classes('w-full text-lg') \
            .props('outlined inputmode=decimal maxlength=12').mark('need-quantity')
        slot = ui.input(t('时间段（可不填，如 12月6日上午）')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_SLOT}').mark('need-slot')
        problem = problem_label()

        async def act() -> None:
            await pledges.add_need(user, project.id, kind=kind.value or '', item=item.value or '',
                                   unit=unit.value or '', quantity=quantity.value or '', slot=slot.value or '')

        dialog_buttons(dialog, problem, act, marker='need-ok', ok=t('添加'), done=t('已添加'))
    dialog.open()


def _record_dialog(user: Principal, project: Project, stage: ui.element) -> None:
    """For someone without a phone: pick a resident, or just write the name (a shop, a neighbour from elsewhere)."""
    chosen: dict[str, object] = {'resident_id': None, 'name': None}
    nonce = uuid.uuid4().hex  # one per dialog: 保存 twice records once
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm gap-2'):
        ui.label(t('代为登记认捐')).classes('text-lg font-bold')
        name = ui.input(t('认捐人姓名')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_NAME}').mark('record-name')

        def pick(resident_id: int, resident_name: str) -> None:
            chosen.update(resident_id=resident_id, name=resident_name)
            name.value = resident_name
            found.clear()

        found = resident_finder(user, project.community_id, placeholder=t('或查找居民：姓名、电话、房号'),
                                pick_label=t('选这位'), marker='record-finder', pick_marker='record-pick',
                                on_pick=pick)
        kind = ui.toggle({k: t(v) for k, v in rules.KINDS.items()}, value='money') \
            .props('spread no-caps').classes('w-full text-lg').mark('record-kind')
        item = ui.input(t('做什么 / 捐什么')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_ITEM}').mark('record-item')
        unit = ui.input(t('单位（出物时填，如 台、本、袋）')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_UNIT}').mark('record-unit')
        quantity = ui.input(t('数量（出工按小时，出资按元）')).classes('w-full text-lg') \
            .props('outlined inputmode=decimal maxlength=12').mark('record-quantity')
        slot = ui.input(t('时间段（可不填）')).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_SLOT}').mark('record-slot')
        thanks = ui.checkbox(t('本人同意公开致谢'), value=False).classes('text-lg').mark('record-thanks')
        problem = problem_label()

        async def act() -> None:
            # a name typed over the picked one is someone else: recorded by name only
            resident_id = chosen['resident_id'] if (name.value or '') == chosen['name'] else None
            await pledges.record_for_resident(
                user, project.id, resident_id=resident_id if isinstance(resident_id, int) else None,
                name=name.value or '', kind=kind.value or '', item=item.value or '', unit=unit.value or '',
                quantity=quantity.value or '', slot=slot.value or '', thank_publicly=bool(thanks.value), nonce=nonce)

        dialog_buttons(dialog, problem, act, marker='record-ok', ok=t('登记'), done=t('已登记'))
    dialog.open()


def register() -> None:
    ui.page('/projects/{project_id}/pledges')(manage_page)

