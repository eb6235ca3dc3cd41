"""The timeline of an issue or a wish: every move with when and why, the latest first."""
from __future__ import annotations

from nicegui import ui

from components.when import local_time
from domain.i18n import t
from services import issue_views


def timeline(entries: list[issue_views.Entry]) -> None:
    """进展: one card per move; a rejection's reason is labelled as the reason."""
    ui.label(t('进展')).classes('text-lg font-bold')
    with ui.column().classes('w-full gap-2').mark('timeline'):
        for entry in reversed(entries):  # the latest first: what a resident wants to know
            with ui.card().classes('gs-card w-full gap-0').mark(f'timeline-{entry.state}'):
                ui.label(t(entry.state_label)).classes('text-lg font-bold')
                ui.label(local_time(entry.at)).classes('gs-muted text-sm')
                if entry.reason:
                    ui.label(t('原因：{reason}', reason=entry.reason) if entry.state == 'rejected'
                             else entry.reason).classes('text-base break-all').mark('timeline-reason')
