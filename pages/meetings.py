"""议事 (/meetings): the community's meetings, upcoming first, then past, and its councils at the bottom; staff get
新建议事会 and 周周碰/月月议. Registers every /meetings screen of this group, fixed paths before /meetings/{id}.
"""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import empty_state, frame
from components.live import on_event
from components.meeting_card import meeting_card
from domain.i18n import t
from domain.permissions import Principal, can
from pages import meeting_detail, meeting_new, meeting_series
from services import councils, issue_views, meeting_views


async def list_page() -> None:
    user = await session.current_user()
    community_id = issue_views.community_for(user)
    with frame(t('议事'), user=user, active='meetings'):
        with ui.card().classes('gs-card'):
            ui.label(t('民事民议')).classes('text-lg font-bold text-primary')
            ui.label(t('小板凳、大民生：大家坐下来一起商量。')).classes('gs-muted')
        if community_id is not None and can(user, 'meeting.manage', community_id):
            with ui.row().classes('w-full gap-2 no-wrap'):
                ui.button(t('新建议事会'), icon='add', on_click=lambda: ui.navigate.to('/meetings/new')) \
                    .classes('grow text-lg').props('unelevated').mark('new-meeting')
                ui.button(t('周周碰/月月议'), icon='event_repeat',
                          on_click=lambda: ui.navigate.to('/meetings/series')) \
                    .classes('grow text-lg').props('outline').mark('series')
        if community_id is None:
            empty_state(t('还没有安排议事会'), 'groups')
            return

        @ui.refreshable
        async def lists() -> None:
            coming = await meeting_views.upcoming(user, community_id)
            if not coming:
                empty_state(t('还没有安排议事会'), 'groups')
            for card in coming:
                meeting_card(card)
            held = await meeting_views.past(user, community_id)
            if held:
                ui.label(t('以往的议事会')).classes('text-lg font-bold pt-2')
                for card in held:
                    meeting_card(card)

        await lists()
        for name in ('meeting.created', 'meeting.updated'):  # not every check-in: the list shows no counts
            on_event(name, lambda _event: lists.refresh(), community_id=community_id, at_most_every=1)
        await _councils(user, community_id)


async def _councils(user: Principal, community_id: int) -> None:
    """Who sits on this community's councils (4+N, 5+N): the people a resident brings an issue to."""
    if not can(user, 'council.view', community_id):
        return
    overview = await councils.overview(user, community_id)
    if overview.councils:
        ui.label(t('议事会成员')).classes('text-lg font-bold pt-2')
    for council in overview.councils:
        with ui.card().classes('gs-card').mark('council'):
            ui.label(council.name).classes('text-lg font-bold')
            ui.label(t(councils.template_name(council.level))).classes('gs-muted')
            ui.label(t('{filled} 个席位已有人，{missing} 个空缺', filled=len(council.seats),
                       missing=len(council.missing))).classes('gs-muted')
    if overview.councils:
        ui.button(t('查看议事会席位'), icon='diversity_3', on_click=lambda: ui.navigate.to('/admin/councils')) \
            .classes('w-full text-lg').props('outline')


def register() -> None:
    ui.page('/meetings')(list_page)
    ui.page('/meetings/new')(meeting_new.new_page)
    ui.page('/meetings/series')(meeting_series.series_page)
    ui.page('/meetings/{meeting_id}')(meeting_detail.detail_page)
