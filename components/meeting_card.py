"""A meeting as a card in a list, its badges, and its time as people say it ('6月3日 周三 19:00–20:30')."""
from __future__ import annotations

from datetime import datetime

from nicegui import ui

from domain.i18n import t
from domain.meetings import LOCAL, WEEKDAYS
from services.meeting_views import MeetingCard

STATE_COLOURS = {'scheduled': 'primary', 'open': 'positive', 'closed': 'grey-7', 'cancelled': 'negative'}


def when_text(starts_at: datetime, ends_at: datetime) -> str:
    """'2026-06-03 星期三 19:00–20:30' in local time (the end's date too when it runs past midnight)."""
    start, end = starts_at.astimezone(LOCAL), ends_at.astimezone(LOCAL)
    until = end.strftime('%H:%M') if end.date() == start.date() else end.strftime('%m-%d %H:%M')
    return f'{start:%Y-%m-%d} {t(WEEKDAYS[start.weekday()])} {start:%H:%M}–{until}'


def badges(*labels: str, state: str | None = None, state_label: str = '') -> None:
    """Small chips: the state first (coloured), then format, mode, 定期/临时."""
    with ui.row().classes('gap-1 items-center'):
        if state:
            ui.badge(t(state_label), color=STATE_COLOURS.get(state, 'primary')).classes('text-sm').mark('meeting-state')
        for label in labels:
            if label:
                ui.badge(t(label), color='grey-3', text_color='black').classes('text-sm')


def meeting_card(card: MeetingCard) -> None:
    """One meeting in the list, linking to its page."""
    with ui.card().classes('gs-card w-full gap-1').mark(f'meeting-{card.id}'):
        with ui.link(target=f'/meetings/{int(card.id)}').classes('w-full no-underline text-black'):
            ui.label(card.title).classes('text-lg font-bold break-all')
            ui.label(when_text(card.starts_at, card.ends_at)).classes('text-base')
            ui.label(card.place).classes('gs-muted break-all')
        badges(card.format_label, card.mode_label, '定期' if card.regular else '临时', state=card.state,
               state_label=card.state_label)
