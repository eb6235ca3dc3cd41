"""/admin: a menu of tiles for what this person may do in the community they are working on."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from domain.i18n import t
from domain.permissions import Principal, can
from services import people, places

# (action, label, icon, path, what it is for) — a tile shows only when can(user, action, community)
TILES = (
    ('place.view', '房屋', 'apartment', '/admin/places', '小区、楼栋、住户和面积'),
    ('resident.view', '居民', 'groups', '/admin/residents', '查找、登记和修改居民信息'),
    ('resident.view', '待核验', 'how_to_reg', '/admin/pending', '自助登记的居民，等待实名核验'),
    ('issue.triage', '议题分流', 'alt_route', '/triage', '两委联席会议：大事、小事、微事分送'),
    ('issue.ledger', '台账', 'table_view', '/ledger', '全部议题和微心愿，可导出 Excel'),
    ('project.manage', '项目', 'construction', '/projects', '民事民办：立项、进度、经费、投工投劳'),
    ('rating.read', '评价', 'thumb_up', '/ratings', '民事民评：满意度、意见和整改'),
    ('dashboard.view', '五民看板', 'insights', '/dashboard', '各步骤的数量和用时，吹哨报到考核导出'),
    ('council.view', '议事会', 'diversity_3', '/admin/councils', '社区 4+N、小区 5+N 的席位'),
    ('roster.import', '导入名册', 'upload_file', '/admin/roster', '从 Excel 表格导入住户和居民'),
    ('resident.print_card', '打印居民码', 'badge', '/admin/cards', '给没有智能手机的居民打印二维码卡片'),
    ('community.join_qr', '登记二维码', 'qr_code_2', '/admin/join-poster', '打印张贴，居民扫码自助登记'),
    ('role.grant', '人员与角色', 'manage_accounts', '/admin/roles', '工作人员、两委、监督委员会、志愿者'),
    ('apikey.manage', '接口密钥', 'key', '/admin/api-keys', '与其他系统对接'),
)
ONLY_FOR_EVERYONE = {'council.view'}  # residents may see the councils, but that alone opens no admin menu


async def admin_home() -> RedirectResponse | None:
    return await admin.community_screen('/admin', t('管理'), None, _menu, back='/', allowed=_opens_the_menu)


def _tiles(user: Principal, community_id: int) -> list[tuple[str, str, str, str, str]]:
    return [tile for tile in TILES if can(user, tile[0], community_id)]


def _opens_the_menu(user: Principal, community_id: int) -> bool:
    return any(tile[0] not in ONLY_FOR_EVERYONE for tile in _tiles(user, community_id))


async def _menu(screen: admin.AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id
    labels = await places.community_labels([community_id])
    ui.label(labels.get(community_id, '')).classes('text-lg font-bold')
    waiting = await people.pending_count(user, community_id) if can(user, 'resident.view', community_id) else 0
    with ui.element('div').classes('w-full grid grid-cols-2 gap-3'):
        for _action, label, icon, path, hint in _tiles(user, community_id):
            _tile(t(label), icon, path, t(hint), badge=waiting if path == '/admin/pending' else 0)


def _tile(label: str, icon: str, path: str, hint: str, *, badge: int = 0) -> None:
    with ui.link(target=path).classes('no-underline text-black').mark(f'tile-{path}'):
        with ui.card().classes('gs-card h-full items-center text-center gap-1 py-4 cursor-pointer'):
            with ui.element('div').classes('relative'):
                ui.icon(icon).classes('text-4xl text-primary')
                if badge:
                    ui.badge(str(badge), color='negative').props('floating').mark('pending-count')
            ui.label(label).classes('text-lg font-bold')
            ui.label(hint).classes('gs-muted text-sm')


def register() -> None:
    ui.page('/admin')(admin_home)
