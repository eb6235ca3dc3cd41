"""表决 tab of the bottom navigation; its list fills as 民事民决 lands (议题: pages/issues.py, 议事: meetings.py)."""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import empty_state, frame
from domain.i18n import t

STEPS = {
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
