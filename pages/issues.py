"""议题墙 (/issues), my notices (/me/notices) and the photo route; registers the raise and detail screens too.

All issue routes are registered here, in this order, so '/issues/new' is matched before '/issues/{issue_id}'.
"""
from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import FileResponse, RedirectResponse
from nicegui import app, ui

from components import session
from components.frame import empty_state, frame
from components.issue_support import support_button
from components.live import on_event
from components.signin import login_redirect
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from pages import issue_detail, issue_new
from services import issue_views, issues, photo_access, photos

ALL = 0  # the "every compound" choice (ids start at 1)


async def wall_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/issues')
    community_id = issue_views.community_for(user)
    with frame(t('议题墙'), user=user, active='issues'):
        ui.button(t('提出议题'), icon='add_comment', on_click=lambda: ui.navigate.to('/issues/new')) \
            .classes('w-full text-xl').props('unelevated').mark('raise-issue')
        ui.link(t('心愿墙：认领邻居的微心愿'), '/wishes').classes('text-lg').mark('to-wishes')
        if community_id is None:
            empty_state(t('还没有议题'), 'campaign')
            return None
        places = await issue_views.places(user, community_id)
        chosen = {'order': 'newest', 'compound': ALL, 'state': ''}

        @ui.refreshable
        async def cards() -> None:
            rows = await issue_views.wall(user, community_id, order=chosen['order'],
                                          compound_id=chosen['compound'] or None, state=chosen['state'] or None)
            if not rows:
                empty_state(t('还没有议题'), 'campaign')
            for card in rows:
                _card(user, card, cards.refresh)

        def choose(key: str, value: object) -> None:
            chosen[key] = value
            cards.refresh()

        ui.toggle({k: t(v) for k, v in issue_views.ORDERS.items()}, value='newest',
                  on_change=lambda e: choose('order', e.value)).props('spread no-caps').classes('w-full text-lg') \
            .mark('wall-order')
        with ui.row().classes('w-full no-wrap gap-2'):
            ui.select({ALL: t('全部小区'), **places.compounds}, value=ALL, label=t('小区'),
                      on_change=lambda e: choose('compound', e.value or ALL)) \
                .classes('grow text-lg').props('outlined dense').mark('wall-compound')
            ui.select({'': t('全部状态'), **{k: t(v) for k, v in issue_views.wall_states().items()}}, value='',
                      label=t('状态'), on_change=lambda e: choose('state', e.value or '')) \
                .classes('grow text-lg').props('outlined dense').mark('wall-state')
        await cards()
        on_event('issue.*', lambda _event: cards.refresh(), community_id=community_id, at_most_every=1.0)
    return None


def _card(user: Principal, card: issue_views.Card, refresh) -> None:
    with ui.card().classes('gs-card w-full gap-1').mark(f'issue-{card.id}'):
        with ui.link(target=f'/issues/{card.id}').classes('w-full no-underline text-black'):
            ui.label(card.title).classes('text-lg font-bold break-all')
            ui.label(' · '.join(p for p in (t(card.category), card.place) if p)).classes('gs-muted')
            ui.label(f'{t(card.state_label)} · {local_time(card.created_at)}').classes('gs-muted text-sm')
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(t('{n} 人附议', n=card.supports)).classes('text-base').mark(f'supports-{card.id}')
            support_button(user, card.id, supported=card.supported, own=card.own, after=refresh)


async def notices_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/me/notices')
    rows = await issues.notifications(user)
    await issues.mark_read(user)
    with frame(t('我的消息'), user=user, active='me', back='/me'):
        if not rows:
            empty_state(t('还没有消息'), 'notifications_none')
        for row in rows:
            with ui.card().classes('gs-card w-full gap-1').mark('notice'):
                ui.label(row.text).classes('text-lg break-all' + ('' if row.read_at else ' font-bold'))
                ui.label(local_time(row.at)).classes('gs-muted text-sm')
                if row.issue_id is not None:
                    ui.link(t('查看'), f'/issues/{int(row.issue_id)}').classes('text-lg')
    return None


async def photo(key: str) -> FileResponse:
    """A stored photo for those services.photo_access lets see it; the key is checked before any path is built."""
    try:
        path = photos.path_for(key)
    except DomainError:
        raise HTTPException(status_code=404) from None
    user = await session.current_user()
    if not await photo_access.visible(user, key) or not path.is_file():
        raise HTTPException(status_code=404)
    # the key is the content hash: the bytes behind a URL never change
    return FileResponse(path, media_type='image/jpeg',
                        headers={'Cache-Control': 'private, max-age=31536000, immutable'})


def register() -> None:
    ui.page('/issues')(wall_page)
    ui.page('/issues/new')(issue_new.raise_page)
    ui.page('/issues/{issue_id}')(issue_detail.detail_page)
    ui.page('/me/notices')(notices_page)
    app.add_api_route('/photos/{key}.jpg', photo, methods=['GET'], include_in_schema=False)
