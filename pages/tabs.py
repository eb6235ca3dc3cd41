"""议事 / 表决 tabs of the bottom navigation; their lists fill as 民事民议/决 land. 议题 is pages/issues.py."""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import empty_state, frame
from domain.i18n import t
from domain.permissions import Principal, can
from services import councils

STEPS = {
    'meetings': ('议事', '民事民议', '小板凳、大民生：大家坐下来一起商量。', '还没有安排议事会', 'groups'),
    'votes': ('表决', '民事民决', '受影响的居民按法定规则表决，结果公开。', '还没有进行中的表决', 'how_to_vote'),
}


def _tab(key: str):
    title, step, explanation, empty, icon = STEPS[key]

    async def page() -> None:
        user = await session.current_user()
        with frame(t(title), user=user, active=key):
            with ui.card().classes('gs-card'):
                ui.label(t(step)).classes('text-lg font-bold text-primary')
                ui.label(t(explanation)).classes('gs-muted')
            empty_state(t(empty), icon)
            if key == 'meetings':
                await _councils(user)
    return page


async def _councils(user: Principal) -> None:
    """Who sits on this community's councils (4+N, 5+N): the people a resident brings an issue to."""
    community_id = next((c for c, roles in sorted(user.roles.items()) if 'resident' in roles), None) \
        or next(iter(sorted(user.roles)), None)
    if community_id is None or not can(user, 'council.view', community_id):
        return
    overview = await councils.overview(user, community_id)
    for council in overview.councils:
        with ui.card().classes('gs-card').mark('council'):
            ui.label(council.name).classes('text-lg font-bold')
            ui.label(t(councils.template_name(council.level))).classes('gs-muted')
            ui.label(t('{filled} 个席位已有人，{missing} 个空缺', filled=len(council.seats),
                       missing=len(council.missing))).classes('gs-muted')
    if overview.councils:
        ui.button(t('查看议事会席位'), icon='diversity_3', on_click=lambda: ui.navigate.to('/admin/councils')) \
            .classes('w-full text-lg').props('outline')


def register() -> None:
    for key in STEPS:
        ui.page(f'/{key}')(_tab(key))
