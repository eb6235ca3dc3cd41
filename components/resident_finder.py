"""Find a resident by name, phone or room and pick one from the list (a meeting's stakeholders, a vote's proxy)."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.i18n import t
from domain.permissions import Principal
from services import people_views


def resident_finder(user: Principal, community_id: int, *, placeholder: str, pick_label: str, marker: str,
                    pick_marker: str, on_pick: Callable[[int, str], None], per_page: int = 8) -> ui.column:
    """A search box with 查找 and the residents found, each with a `pick_label` button calling on_pick(id, name).

    Markers: `{marker}-search`, `{marker}-find`, and `{pick_marker}-{resident id}` on each button. Returns the column
    of results (a caller may clear it after a pick)."""
    with ui.row().classes('w-full gap-2 no-wrap items-center'):
        query = ui.input(placeholder).classes('grow text-lg').props('outlined dense').mark(f'{marker}-search')
        find = ui.button(t('查找'), icon='search').props('outline').mark(f'{marker}-find')
    results = ui.column().classes('w-full gap-1')

    async def search() -> None:
        page = await people_views.search(user, community_id, query=query.value or '', per_page=per_page)
        results.clear()
        with results:
            if not page.rows:
                ui.label(t('没有找到')).classes('gs-muted')
            for row in page.rows:
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.label(' '.join(p for p in (row.name, row.place) if p)).classes('text-base')
                    ui.button(pick_label, on_click=lambda _e, r=row: on_pick(r.id, r.name)).props('flat') \
                        .mark(f'{pick_marker}-{row.id}')

    find.on_click(search)
    query.on('keydown.enter', search)
    return results
