"""/admin/buildings/{id} (the households of a building) and /admin/households/{id} (one household, its people)."""
from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.frame import empty_state
from components.live import on_event
from components.resident_form import open_resident_dialog, status_badge
from domain.i18n import t
from domain.people import OCCUPANCY, RELATIONS, SALE_STATUS
from domain.permissions import Principal, can
from services import places
from services.place_views import BuildingView, HouseholdRow, HouseholdView


async def building_page(building_id: int) -> RedirectResponse | None:
    return await admin.record_screen(
        f'/admin/buildings/{building_id}', lambda user: places.building_view(user, building_id), _building_content,
        kind=t('楼栋'), up='/admin/places', title=lambda view: f'{view.compound_name} {view.name}',
        back=lambda view: f'/admin/compounds/{view.compound_id}',
        live=lambda view, refresh: on_event('place.changed', refresh, community_id=view.community_id))


async def household_page(household_id: int) -> RedirectResponse | None:
    return await admin.record_screen(
        f'/admin/households/{household_id}', lambda user: places.household_view(user, household_id),
        _household_content, kind=t('住户'), up='/admin/places', title=lambda view: f'{view.building_name} {view.room}',
        back=lambda view: f'/admin/buildings/{view.building_id}', live=_household_live)


def _household_live(view: HouseholdView, refresh: Callable[..., object]) -> None:
    for pattern in ('place.changed', 'resident.*'):
        on_event(pattern, refresh, community_id=view.community_id)


async def _building_content(user: Principal, view: BuildingView) -> None:
    editable = can(user, 'place.edit', view.community_id)
    with ui.card().classes('gs-card gap-2'):
        ui.label(f'{view.compound_name} {view.name}').classes('text-lg font-bold')
        with ui.row().classes('w-full justify-around no-wrap gap-1'):
            admin.stat(view.counts.households, t('户'))
            admin.stat(view.counts.residents, t('居民'))
            admin.stat(view.counts.verified, t('已核验'))
        ui.label(t('总建筑面积 {area} 平方米', area=view.counts.area_m2)).classes('gs-muted')
        if editable:
            with ui.row().classes('w-full gap-2 no-wrap'):
                ui.button(t('改名'), icon='edit', on_click=lambda: admin.text_dialog(
                    t('楼栋改名'), t('楼栋名称'), view.name, lambda name: places.rename_building(user, view.id, name),
                    marker='building-rename', max_length=40)).props('outline').classes('grow') \
                    .mark('building-rename')
                ui.button(t('删除'), icon='delete', on_click=lambda: _delete_building(user, view)) \
                    .props('outline color=negative').classes('grow').mark('building-delete')
    if editable:
        ui.button(t('新增住户'), icon='add_home', on_click=lambda: _household_dialog(user, view, None)) \
            .classes('w-full text-lg').mark('household-add')
    if not view.households:
        empty_state(t('这栋楼还没有登记住户'), 'house')
    for row in view.households:
        _household_row(user, view, row, editable)


def _household_row(user: Principal, view: BuildingView, row: HouseholdRow, editable: bool) -> None:
    with ui.card().classes('gs-card gap-1 py-2').mark(f'household-{row.id}'):
        with ui.row().classes('w-full items-center no-wrap gap-2'):
            with ui.link(target=f'/admin/households/{row.id}').classes('no-underline text-black grow min-w-0'):
                with ui.row().classes('items-baseline gap-2 no-wrap'):
                    ui.label(row.room).classes('text-xl font-bold')
                    ui.label(admin.area_text(row.area_m2)).classes('text-base')
                    ui.label(t(OCCUPANCY.get(row.occupancy, row.occupancy))).classes('gs-muted text-base')
                    if row.sale_status == 'unsold':
                        ui.badge(t(SALE_STATUS['unsold']), color='warning')
                owner = row.owner_name or t('未登记业主')
                ui.label(t('业主：{name}', name=owner)).classes('text-base truncate')
                members = '、'.join(row.members) if row.members else t('无人居住登记')
                ui.label(t('{count} 人：{names}', count=len(row.members), names=members) if row.members else members) \
                    .classes('gs-muted text-sm truncate')
            if editable:
                ui.button(icon='edit', on_click=lambda: _household_dialog(user, view, row)) \
                    .props(f'flat round size=lg aria-label="{t("编辑")}"').mark(f'edit-household-{row.id}')


async def _household_content(user: Principal, view: HouseholdView) -> None:
    editable = can(user, 'place.edit', view.community_id)
    with ui.card().classes('gs-card gap-1'):
        ui.label(f'{view.compound_name} {view.building_name} {view.room}').classes('text-lg font-bold')
        _line(t('建筑面积'), admin.area_text(view.area_m2))
        _line(t('居住情况'), t(OCCUPANCY.get(view.occupancy, view.occupancy)))
        _line(t('销售情况'), t(SALE_STATUS.get(view.sale_status, view.sale_status)))
        _line(t('不动产权证号'), view.certificate_no or t('未填写'))
        if view.owner is None:
            _line(t('业主'), t('未登记业主'))
        else:
            with ui.row().classes('w-full justify-between no-wrap'):
                ui.label(t('业主')).classes('gs-muted')
                ui.link(view.owner.name, f'/admin/residents/{view.owner.id}').classes('text-base')
            if len(view.owner_units) > 1:
                ui.label(t('此业主名下共 {n} 套房屋（表决时按一人计）', n=len(view.owner_units))) \
                    .classes('text-base text-primary').mark('owner-units')
                for unit_id, label in view.owner_units:
                    if unit_id != view.id:
                        ui.link(label, f'/admin/households/{unit_id}').classes('text-base pl-4')
        if editable:
            with ui.row().classes('w-full gap-2 no-wrap pt-2'):
                ui.button(t('编辑'), icon='edit', on_click=lambda: _household_dialog(user, None, view)) \
                    .props('outline').classes('grow').mark(f'edit-household-{view.id}')
                ui.button(t('删除'), icon='delete', on_click=lambda: _delete_household(user, view)) \
                    .props('outline color=negative').classes('grow').mark('household-delete')
    ui.label(t('住在这里的人（{n}）', n=len(view.members))).classes('text-lg font-bold pt-2')
    if not view.members:
        empty_state(t('还没有登记居民'), 'person_off')
    for member in view.members:
        with ui.link(target=f'/admin/residents/{member.id}').classes('no-underline text-black w-full'):
            with ui.card().classes('gs-card gap-0 py-2 cursor-pointer').mark(f'member-{member.id}'):
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.label(member.name).classes('text-lg font-bold truncate')
                    status_badge(member.status)
                details = [t(RELATIONS.get(member.relation, member.relation))]
                details += [t('{year} 年生', year=member.birth_year)] if member.birth_year else []
                details += [member.phone] if member.phone else []
                ui.label(' · '.join(details)).classes('gs-muted text-base')
                if member.tags:
                    ui.label('、'.join(t(tag) for tag in member.tags)).classes('text-sm text-primary')
    if can(user, 'resident.edit', view.community_id):
        ui.button(t('添加居民'), icon='person_add', on_click=lambda: open_resident_dialog(
            user, view.community_id, household_id=view.id)).classes('w-full text-lg').mark('resident-add')


def _line(label: str, value: str) -> None:
    with ui.row().classes('w-full justify-between no-wrap gap-2'):
        ui.label(label).classes('gs-muted')
        ui.label(value).classes('text-base text-right')


async def _household_dialog(user: Principal, building: BuildingView | None,
                            current: HouseholdRow | HouseholdView | None) -> None:
    """Add a household to `building`, or edit `current` (a row of the building list or the household page)."""
    community_id = building.community_id if building else current.community_id  # type: ignore[union-attr]
    owners = await places.owner_choices(user, community_id)
    owner_id, owner_name = (current.owner_id, current.owner_name) if isinstance(current, HouseholdRow) else \
        (current.owner.id, current.owner.name) if current is not None and current.owner else (None, None)
    if owner_id is not None and owner_id not in owners:  # e.g. registered as family: keep them, do not drop them
        owners = {owner_id: owner_name or '', **owners}
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-md gap-2'):
        ui.label(t('编辑住户') if current else t('新增住户')).classes('text-lg font-bold')
        room = ui.input(t('房号'), value=current.room if current else '').classes('w-full text-lg') \
            .props('outlined maxlength=20').mark('household-room')
        area = ui.input(t('建筑面积（平方米）'), value=str(current.area_m2) if current else '') \
            .classes('w-full text-lg').props('outlined inputmode=decimal').mark('household-area')
        occupancy = ui.select({k: t(v) for k, v in OCCUPANCY.items()}, label=t('居住情况'),
                              value=current.occupancy if current else 'owner') \
            .classes('w-full text-lg').props('outlined').mark('household-occupancy')
        sale = ui.select({k: t(v) for k, v in SALE_STATUS.items()}, label=t('销售情况'),
                         value=current.sale_status if current else 'sold') \
            .classes('w-full text-lg').props('outlined').mark('household-sale')
        certificate = ui.input(t('不动产权证号（可不填）'), value=(current.certificate_no or '') if current else '') \
            .classes('w-full text-lg').props('outlined maxlength=40').mark('household-certificate')
        owner = ui.select(owners, label=t('业主（输入姓名查找）'), value=owner_id if owner_id in owners else None,
                          with_input=True, clearable=True).classes('w-full text-lg').props('outlined') \
            .mark('household-owner')

        async def save() -> None:
            values = dict(room=room.value or '', area=area.value or '', occupancy=occupancy.value,
                          sale_status=sale.value, certificate_no=certificate.value or '', owner_id=owner.value)
            if current is None:
                await places.create_household(user, building.id, **values)  # type: ignore[union-attr]
            else:
                await places.update_household(user, current.id, **values)

        admin.dialog_buttons(dialog, admin.problem_label(), save, marker='household-save')
    dialog.open()


async def _delete_building(user: Principal, view: BuildingView) -> None:
    await admin.delete_then_go(t('删除“{name}”？', name=f'{view.compound_name} {view.name}'),
                               lambda: places.delete_building(user, view.id), f'/admin/compounds/{view.compound_id}')


async def _delete_household(user: Principal, view: HouseholdView) -> None:
    await admin.delete_then_go(t('删除住户 {room}？', room=f'{view.building_name} {view.room}'),
                               lambda: places.delete_household(user, view.id), f'/admin/buildings/{view.building_id}')


def register() -> None:
    ui.page('/admin/buildings/{building_id}')(building_page)
    ui.page('/admin/households/{household_id}')(household_page)
