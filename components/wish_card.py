"""Pieces of the 心愿墙 screens: the two sides' contacts (masked until a claim) and the 认领 button."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.confirm import confirm
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import issue_views, wishes


def contacts(card: wishes.WishCard) -> None:
    """心愿人 and 认领人 with their phones: a tap rings a revealed number; a masked one is plain text."""
    wisher = card.wisher
    _person(t('心愿人'), t(wisher.name) if wisher.name == issue_views.ANONYMOUS_AUTHOR else wisher.name,
            wisher.phone, revealed=wisher.revealed, marker=f'wisher-{card.id}')
    if card.claimer is not None:
        kinds = '、'.join(t(k) for k in card.claimer.kinds)
        _person(t('帮忙的人'), f'{card.claimer.name}（{kinds}）' if kinds else card.claimer.name, card.claimer.phone,
                revealed=card.claimer.revealed, marker=f'claimer-{card.id}')
    elif card.state == 'open':
        ui.label(t('认领后双方才能看到对方的联系方式')).classes('gs-muted text-sm')


def claim_button(user: Principal, card: wishes.WishCard, *, stage: ui.element, after: Callable[[], object]) -> None:
    """认领, asked once more in a dialog; the dialog lives in `stage` so a live redraw of the card cannot close it."""

    async def claim() -> None:
        with stage:
            if not await confirm(t('确定认领“{title}”吗？认领后请尽快联系心愿人。', title=card.title), ok=t('认领'),
                                 danger=False):
                return
            try:
                await wishes.claim(user, card.id)
            except DomainError as e:  # lost the race, or the wish moved on meanwhile: say so in words
                ui.notify(e.message, type='warning', multi_line=True)
            else:
                ui.notify(t('认领成功，请尽快联系心愿人'), type='positive')
        after()

    ui.button(t('认领'), icon='volunteer_activism', on_click=claim).props('unelevated') \
        .classes('w-full text-lg').mark(f'claim-{card.id}')


def _person(role: str, name: str, phone: str, *, revealed: bool, marker: str) -> None:
    with ui.row().classes('w-full items-baseline gap-2 no-wrap').mark(marker):
        ui.label(f'{role}：{name}').classes('text-base break-all')
        if phone and revealed:
            ui.link(phone, f'tel:{phone}').classes('text-lg font-bold').mark(f'{marker}-phone')
        elif phone:
            ui.label(phone).classes('gs-muted').mark(f'{marker}-phone')
