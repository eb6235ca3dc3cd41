"""/admin/places and /admin/compounds/{id}: the community's compounds, then a compound's buildings, with counts."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.frame import empty_state
from components.live import on_event
from domain.i18n import t
from domain.permissions import Principal, can
from services import places, ratings
from services.place_views import Counts, Node


async def places_page() -> RedirectResponse | None:
    return await admin.community_screen('/admin/places', t('房屋'), 'place.view', _places, redraw_on='place.changed')


async def _places(screen: admin.AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id
    editable = can(user, 'place.edit', community_id)
    tree = await places.tree(user, community_id)
    with ui.card().classes('gs-card gap-2'):
        ui.label(f'{tree.street} {tree.name}').classes('text-lg font-bold')
        _stats(tree.counts, compounds=len(tree.compounds),
               buildings=sum(len(c.children) for c in tree.compounds))
        await _threshold(user, community_id)
        if tree.without_household:
            ui.link(t('{count} 位居民还没有分到具体的户', count=tree.without_household),
                    '/admin/residents').classes('text-base')
    if not tree.compounds:
        empty_state(t('还没有小区，请先新增小区或导入名册'), 'apartment')
    for compound in tree.compounds:
        _place_card(compound, f'/admin/compounds/{compound.id}',
                    t('{count} 栋楼', count=len(compound.children)))
    if editable:
        ui.button(t('新增小区'), icon='add', on_click=lambda: admin.text_dialog(
            t('新增小区'), t('小区名称'), '', lambda name: places.create_compound(user, community_id, name),
            marker='compound-new')).classes('w-full text-lg').mark('compound-add')


async def _threshold(user: Principal, community_id: int) -> None:
    """The community's 满意度门槛 (民事民评): a rating round below it reopens the project or wish for 整改."""
    current = [await ratings.threshold_of(community_id)]
    with ui.row().classes('w-full items-center justify-between no-wrap gap-2'):
        with ui.column().classes('gap-0'):
            shown = ui.label(t('满意度门槛 {threshold}%', threshold=current[0])).classes('text-base font-bold') \
                .mark('threshold')
            ui.label(t('评价低于门槛的项目和心愿要整改后再评价')).classes('gs-muted text-sm')
        if ratings.may_set_threshold(user, community_id):

            async def save(text: str) -> None:
                current[0] = await ratings.set_threshold(user, community_id, text)
                shown.text = t('满意度门槛 {threshold}%', threshold=current[0])

            ui.button(t('修改门槛'), icon='tune', on_click=lambda: admin.text_dialog(
                t('修改门槛'), t('满意度门槛（50–100）'), str(current[0]), save, marker='threshold', max_length=3)) \
                .props('outline').mark('threshold-edit')


async def compound_page(compound_id: int) -> RedirectResponse | None:
    return await admin.record_screen(
        f'/admin/compounds/{compound_id}', lambda user: places.compound_node(user, compound_id), _compound_content,
        kind=t('小区'), up='/admin/places', title=lambda found: found[0].name,
        live=lambda found, refresh: on_event('place.changed', refresh, community_id=found[1]))


async def _compound_content(user: Principal, found: tuple[Node, int]) -> None:
    node, community_id = found
    editable = can(user, 'place.edit', community_id)
    with ui.card().classes('gs-card gap-2'):
        ui.label(node.name).classes('text-lg font-bold').mark('compound-name')
        _stats(node.counts, buildings=len(node.children))
        if editable:
            with ui.row().classes('w-full gap-2 no-wrap'):
                ui.button(t('改名'), icon='edit', on_click=lambda: admin.text_dialog(
                    t('小区改名'), t('小区名称'), node.name, lambda name: places.rename_compound(user, node.id, name),
                    marker='compound-rename')).props('outline').classes('grow').mark('compound-rename')
                ui.button(t('删除'), icon='delete', on_click=lambda: _delete_compound(user, node)) \
                    .props('outline color=negative').classes('grow').mark('compound-delete')
    if not node.children:
        empty_state(t('还没有楼栋'), 'domain')
    for building in node.children:
        _place_card(building, f'/admin/buildings/{building.id}', '')
    if editable:
        ui.button(t('新增楼栋'), icon='add', on_click=lambda: admin.text_dialog(
            t('新增楼栋'), t('楼栋名称，例如 3栋'), '', lambda name: places.create_building(user, node.id, name),
            marker='building-new', max_length=40)).classes('w-full text-lg').mark('building-add')


async def _delete_compound(user: Principal, node: Node) -> None:
    await admin.delete_then_go(t('删除小区“{name}”？', name=node.name), lambda: places.delete_compound(user, node.id),
                               '/admin/places')


def _place_card(node: Node, path: str, extra: str) -> None:
    with ui.link(target=path).classes('no-underline text-black w-full').mark(f'place-{path}'):
        with ui.card().classes('gs-card gap-1 cursor-pointer'):
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                ui.label(node.name).classes('text-lg font-bold truncate')
                ui.icon('chevron_right').classes('text-2xl text-grey-7')
            c = node.counts
            parts = [extra] if extra else []
            parts += [t('{n} 户', n=c.households), t('{n} 位居民', n=c.residents), t('已核验 {n}', n=c.verified),
                      admin.area_text(c.area_m2)]
            ui.label(' · '.join(parts)).classes('gs-muted text-base')


def _stats(counts: Counts, *, compounds: int | None = None, buildings: int | None = None) -> None:
    with ui.row().classes('w-full justify-around no-wrap gap-1'):
        if compounds is not None:
            admin.stat(compounds, t('小区'))
        if buildings is not None:
            admin.stat(buildings, t('楼栋'))
        admin.stat(counts.households, t('户'))
        admin.stat(counts.residents, t('居民'))
        admin.stat(counts.verified, t('已核验'))
    ui.label(t('总建筑面积 {area} 平方米', area=counts.area_m2)).classes('gs-muted')


def register() -> None:
    ui.page('/admin/places')(places_page)
    ui.page('/admin/compounds/{compound_id}')(compound_page)
