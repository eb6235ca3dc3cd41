"""附议 / 已附议: the support toggle of the wall and the detail screen."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import issues


def support_button(user: Principal, issue_id: int, *, supported: bool, own: bool,
                   after: Callable[[], object]) -> None:
    """附议 / 已附议 for a verified resident; the services make a double tap harmless."""
    if own or not user.verified or user.resident_id is None:
        return

    async def toggle() -> None:
        try:
            if supported:  # as drawn: a second tap before the redraw repeats the same, idempotent, call
                await issues.withdraw_support(user, issue_id)
            else:
                await issues.support(user, issue_id)
        except DomainError as e:
            ui.notify(e.message, type='negative', multi_line=True)
            return
        after()

    ui.button(t('已附议') if supported else t('附议'), icon='check' if supported else 'thumb_up', on_click=toggle) \
        .props('unelevated' if not supported else 'outline').classes('text-lg').mark(f'support-{issue_id}')
