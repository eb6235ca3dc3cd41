"""Ask before doing something that cannot be undone: a dialog with the question, 确定 and 取消."""
from __future__ import annotations

from nicegui import ui

from domain.i18n import t


async def confirm(question: str, *, ok: str | None = None, danger: bool = True) -> bool:
    """True when the person pressed `ok` (translated text, default 确定); False for 取消 or closing the dialog."""
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(question).classes('text-lg')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('取消'), on_click=lambda: dialog.submit(False)).props('flat').classes('text-lg')
            ui.button(ok or t('确定'), on_click=lambda: dialog.submit(True)) \
                .props(f'unelevated color={"negative" if danger else "primary"}').classes('text-lg').mark('confirm-ok')
    result = await dialog
    dialog.delete()
    return bool(result)
