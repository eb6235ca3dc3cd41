"""议题 / 议事 / 表决 tabs of the bottom navigation. Their lists fill as the 民事民提/议/决 features land."""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import empty_state, frame
from domain.i18n import t

STEPS = {
    'issues': ('议题', '民事民提', '居民提出身边的问题和微心愿，社区分类流转。', '还没有议题', 'campaign'),
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
    return page


def register() -> None:
    for key in STEPS:
        ui.page(f'/{key}')(_tab(key))
