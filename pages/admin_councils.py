"""/admin/councils: the community's 4+N council and each compound's 5+N (4+N in a village), seat by seat."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.confirm import confirm
from components.frame import empty_state
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from domain.seats import SeatKind
from services import councils, people
from services.councils import CouncilView, SeatView


async def councils_page() -> RedirectResponse | None:
    return await admin.community_screen('/admin/councils', t('议事会'), 'council.view', _councils,
                                        redraw_on='council.changed')


async def _councils(screen: admin.AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id
    editable = can(user, 'council.edit', community_id)
    overview = await councils.overview(user, community_id)
    if not overview.councils:
        empty_state(t('还没有议事会'), 'diversity_3')
    for council in overview.councils:
        _council_card(user, council, editable)
    if editable and not overview.has_community_council:
        ui.button(t('建立社区议事协商委员会（4+N）'), icon='add',
                  on_click=lambda: _create(user, community_id)) \
            .classes('w-full text-lg').mark('council-create-community')
    if editable:
        for compound_id, name in overview.compounds_without:
            ui.button(t('为{name}建立议事会', name=name), icon='add',
                      on_click=lambda c=compound_id: _create(user, community_id, c)) \
                .props('outline').classes('w-full text-lg').mark(f'council-create-{compound_id}')


def _council_card(user: Principal, council: CouncilView, editable: bool) -> None:
    with ui.card().classes('gs-card gap-1').mark(f'council-{council.id}'):
        ui.label(council.name).classes('text-lg font-bold')
        ui.label(t(councils.template_name(council.level))).classes('gs-muted')
        if council.missing:
            ui.label(t('还缺：{seats}', seats='、'.join(t(k.label) for k in council.missing))) \
                .classes('text-negative text-base').mark(f'missing-{council.id}')
        else:
            ui.label(t('固定席位已配齐')).classes('text-positive text-base')
        for kind in council.kinds:
            with ui.row().classes('w-full items-center justify-between no-wrap pt-1'):
                ui.label(t(kind.label)).classes('text-base font-bold')
                if editable:
                    ui.button(t('添加'), icon='person_add', on_click=lambda k=kind: _fill_dialog(user, council, k)) \
                        .props('flat dense').classes('text-base').mark(f'fill-{council.id}-{kind.key}')
            holders = council.holders(kind.key)
            if not holders:
                ui.label(t('空缺')).classes('gs-muted text-sm pl-2')
            for seat in holders:
                _seat_row(user, seat, editable)


def _seat_row(user: Principal, seat: SeatView, editable: bool) -> None:
    with ui.row().classes('w-full items-center justify-between no-wrap pl-2').mark(f'seat-{seat.id}'):
        with ui.column().classes('gap-0 min-w-0'):
            ui.label(seat.holder_name).classes('text-base truncate')
            if seat.organisation:
                ui.label(seat.organisation).classes('gs-muted text-sm truncate')
        if editable:
            ui.button(icon='close', on_click=lambda: _empty(user, seat)) \
                .props(f'flat round color=negative aria-label="{t("移出席位")}"').mark(f'empty-{seat.id}')


async def _create(user: Principal, community_id: int, compound_id: int | None = None) -> None:
    try:
        await councils.create_council(user, community_id, compound_id=compound_id)
    except DomainError as e:
        ui.notify(e.message, type='negative')
        return
    ui.notify(t('已建立'), type='positive')


async def _empty(user: Principal, seat: SeatView) -> None:
    if not await confirm(t('把 {name} 移出这个席位？', name=seat.holder_name), ok=t('移出')):
        return
    try:
        await councils.empty_seat(user, seat.id)
    except DomainError as e:
        ui.notify(e.message, type='negative')


async def _fill_dialog(user: Principal, council: CouncilView, kind: SeatKind) -> None:
    """Seat a resident found by name/phone/room, or an outside person with their organisation."""
    chosen: dict[str, int | None] = {'resident': None}
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-md gap-2'):
        ui.label(t('{council}：{seat}', council=council.name, seat=t(kind.label))).classes('text-lg font-bold')
        mode = ui.radio({'resident': t('本社区居民'), 'outside': t('外单位人员')}, value='resident') \
            .props('inline').classes('text-lg').mark('seat-mode')
        with ui.column().classes('w-full gap-1').bind_visibility_from(mode, 'value', value='resident'):
            query = ui.input(t('姓名、手机号或房号')).classes('w-full text-lg').props('outlined clearable') \
                .mark('seat-search')
            picked = ui.label('').classes('text-base text-primary').mark('seat-picked')
            results = ui.column().classes('w-full gap-1')
        with ui.column().classes('w-full gap-1').bind_visibility_from(mode, 'value', value='outside'):
            name = ui.input(t('姓名')).classes('w-full text-lg').props('outlined maxlength=40').mark('seat-name')
        organisation = ui.input(t('单位（可不填），例如 物业公司、社会组织')).classes('w-full text-lg') \
            .props('outlined maxlength=60').mark('seat-organisation')
        problem = admin.problem_label()

        async def find() -> None:
            results.clear()
            chosen['resident'] = None
            picked.text = ''
            page = await people.search(user, council.community_id, query=query.value or '', per_page=8)
            with results:
                if not page.rows:
                    ui.label(t('没有找到')).classes('gs-muted')
                for row in page.rows:
                    label = ' · '.join(part for part in (row.name, row.place, row.phone) if part)
                    ui.button(label, on_click=lambda r=row: pick(r.id, r.name)).props('flat no-caps align=left') \
                        .classes('w-full text-base').mark(f'seat-candidate-{row.id}')

        def pick(resident_id: int, resident_name: str) -> None:
            chosen['resident'] = resident_id
            picked.text = t('已选：{name}', name=resident_name)

        query.on('keydown.enter', find)
        ui.button(t('查找'), icon='search', on_click=find).props('outline').classes('w-full text-lg') \
            .bind_visibility_from(mode, 'value', value='resident').mark('seat-search-go')

        async def save() -> None:
            if mode.value == 'resident':
                if chosen['resident'] is None:
                    raise DomainError('invalid_name', '请先查找并选择一位居民')
                await councils.fill_seat(user, council.id, kind.key, resident_id=chosen['resident'],
                                         organisation=organisation.value or '')
            else:
                await councils.fill_seat(user, council.id, kind.key, holder_name=name.value or '',
                                         organisation=organisation.value or '')

        admin.dialog_buttons(dialog, problem, save, marker='seat-save')
    dialog.open()


def register() -> None:
    ui.page('/admin/councils')(councils_page)
