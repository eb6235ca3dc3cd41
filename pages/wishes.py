"""心愿墙 (/wishes): published micro-wishes, newest first, to claim (认领); registers the detail screen too.

Both routes are registered here, so '/wishes' and '/wishes/{wish_id}' come from one place.
"""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.frame import empty_state, frame
from components.live import on_event
from components.signin import login_redirect
from components.when import local_time
from components.wish_card import claim_button, contacts
from domain import lifecycle
from domain import wishes as rules
from domain.i18n import t
from domain.permissions import Principal
from pages import wish_detail
from services import issue_views, wishes


async def wall_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/wishes')
    community_id = issue_views.community_for(user)
    with frame(t('心愿墙'), user=user, active='issues', back='/issues'):
        ui.label(t('群众点单，党员接单：认领一个心愿，帮邻居一把')).classes('gs-muted text-lg')
        ui.button(t('许个心愿'), icon='add', on_click=lambda: ui.navigate.to('/issues/new')) \
            .classes('w-full text-xl').props('outline').mark('raise-wish')
        if community_id is None:
            empty_state(t('还没有心愿'), 'volunteer_activism')
            return None
        stage = ui.element()  # dialogs live here, outside the cards a live redraw replaces
        chosen = {'state': ''}

        @ui.refreshable
        async def cards() -> None:
            rows = await wishes.wall(user, community_id, state=chosen['state'] or None)
            if not rows:
                empty_state(t('还没有心愿'), 'volunteer_activism')
            for card in rows:
                _card(user, card, stage, cards.refresh)

        def choose(value: str | None) -> None:
            chosen['state'] = value or ''
            cards.refresh()

        ui.select({'': t('全部状态'), **{s: t(lifecycle.label(s)) for s in rules.WALL_STATES}}, value='',
                  label=t('状态'), on_change=lambda e: choose(e.value)) \
            .classes('w-full text-lg').props('outlined dense').mark('wish-state')
        await cards()
        on_event('wish.*', lambda _event: cards.refresh(), community_id=community_id)
    return None


def _card(user: Principal, card: wishes.WishCard, stage: ui.element, refresh) -> None:
    with ui.card().classes('gs-card w-full gap-1').mark(f'wish-{card.id}'):
        with ui.link(target=f'/wishes/{card.id}').classes('w-full no-underline text-black'):
            ui.label(card.title).classes('text-lg font-bold break-all')
            if card.body:
                ui.label(card.body).classes('text-base break-all line-clamp-3')
            ui.label(' · '.join(p for p in (card.place, t(card.state_label), local_time(card.created_at)) if p)) \
                .classes('gs-muted text-sm').mark(f'wish-state-{card.id}')
        contacts(card)
        if card.can_claim:
            claim_button(user, card, stage=stage, after=refresh)


def register() -> None:
    ui.page('/wishes')(wall_page)
    ui.page('/wishes/{wish_id}')(wish_detail.detail_page)
