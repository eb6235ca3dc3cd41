"""表决 (/votes): the community's votes — open and recently closed for everyone, drafts too for the organisers, with
新建表决 and the approved 协商成果 waiting for a vote. /votes/new and /votes/{id}/edit: the definition form."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import AdminScreen, community_screen, no_permission, not_found
from components.frame import empty_state, frame
from components.live import on_event
from components.signin import login_redirect
from components.vote_form import Start, vote_form
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import issue_views, minutes, vote_views, votes

NOT_FOUND = '找不到这次表决'
STATE_COLOURS = {'draft': 'grey-7', 'open': 'positive', 'closed': 'orange', 'final': 'primary',
                 'cancelled': 'negative', 'annulled': 'negative'}


async def list_page() -> None:
    user = await session.current_user()
    community_id = issue_views.community_for(user)
    with frame(t('表决'), user=user, active='votes'):
        with ui.card().classes('gs-card'):
            ui.label(t('民事民决')).classes('text-lg font-bold text-primary')
            ui.label(t('受影响的居民按法定规则表决，结果公开。')).classes('gs-muted')
        manager = community_id is not None and can(user, 'vote.manage', community_id)
        if manager:
            ui.button(t('新建表决'), icon='add', on_click=lambda: ui.navigate.to('/votes/new')) \
                .classes('w-full text-lg').props('unelevated').mark('new-vote')
        if community_id is None:
            empty_state(t('还没有进行中的表决'), 'how_to_vote')
            return

        @ui.refreshable
        async def lists() -> None:
            rows = await vote_views.list_votes(user, community_id)
            if not rows:
                empty_state(t('还没有进行中的表决'), 'how_to_vote')
            for row in rows:
                _card(row, manager=manager)
            if manager:
                await _outcomes(community_id)

        await lists()
        on_event('vote.changed', lambda _event: lists.refresh(), community_id=community_id, at_most_every=1)


def _card(row: vote_views.VoteSummary, *, manager: bool) -> None:
    target = f'/votes/{int(row.id)}' + ('/edit' if row.state == 'draft' else '')
    with ui.card().classes('gs-card w-full gap-1').mark(f'vote-{row.id}'):
        with ui.link(target=target).classes('w-full no-underline text-black'):
            ui.label(row.title).classes('text-lg font-bold break-all')
            if row.state == 'draft':
                ui.label(t('计划 {at} 开始', at=local_time(row.opens_at))).classes('text-base')
            else:
                ui.label(t('{at} 截止', at=local_time(row.closes_at))).classes('text-base') \
                    .mark(f'vote-closes-{row.id}')
        with ui.row().classes('gap-1 items-center'):
            ui.badge(t(row.state_label), color=STATE_COLOURS.get(row.state, 'primary')).classes('text-sm') \
                .mark(f'vote-state-{row.id}')
            if row.verdict_label:
                ui.badge(t(row.verdict_label), color='grey-3', text_color='black').classes('text-sm')
            if manager:
                ui.link(t('管理'), f'/votes/{int(row.id)}/manage').classes('text-base').mark(f'manage-{row.id}')


async def _outcomes(community_id: int) -> None:
    waiting = await minutes.outcomes_to_vote(community_id)
    if not waiting:
        return
    ui.label(t('待表决的协商成果')).classes('text-lg font-bold pt-2')
    for outcome in waiting:
        with ui.card().classes('gs-card w-full gap-1').mark(f'outcome-{outcome.outcome_id}'):
            ui.label(outcome.title).classes('text-lg font-bold break-all')
            ui.label(outcome.text).classes('text-base whitespace-pre-wrap break-all line-clamp-3')
            ui.button(t('发起表决'), icon='how_to_vote',
                      on_click=lambda _e, o=outcome.outcome_id: ui.navigate.to(f'/votes/new?outcome={int(o)}')) \
                .props('outline').classes('text-lg').mark(f'start-vote-{outcome.outcome_id}')


async def new_page(outcome: int = 0) -> RedirectResponse | None:
    async def build(screen: AdminScreen) -> None:
        start = Start()
        if outcome:
            found = next((o for o in await minutes.outcomes_to_vote(screen.community_id) if o.outcome_id == outcome),
                         None)
            if found is None:
                ui.label(t('这项协商成果不能发起表决（可能还没审核通过，或已经在表决）')).classes('text-negative') \
                    .mark('outcome-missing')
            else:
                start = Start(title=found.title, description=found.text, outcome_id=found.outcome_id)
                ui.label(t('来自协商成果：{title}', title=found.title)).classes('gs-muted') \
                    .mark('from-outcome')

        async def submit(draft: votes.VoteDraft) -> int:
            return int((await votes.create_vote(screen.user, screen.community_id, draft)).id)

        await vote_form(screen.user, screen.community_id, start, submit, save_label=t('保存草稿'))

    path = f'/votes/new?outcome={int(outcome)}' if outcome else '/votes/new'
    return await community_screen(path, t('新建表决'), 'vote.manage', build, back='/votes')


def vote_number(vote_id: str) -> int | None:
    """The id in an address, or None for anything that is not a plain number."""
    return int(vote_id) if vote_id.isdecimal() and len(vote_id) < 10 else None


async def edit_page(vote_id: str) -> RedirectResponse | None:
    user = await session.current_user()
    number = vote_number(vote_id)
    if not user.is_authenticated:
        return login_redirect(f'/votes/{vote_id}/edit' if number else '/votes')
    with frame(t('修改表决'), user=user, active='votes', back='/votes'):
        try:
            if number is None:
                raise DomainError('not_found', NOT_FOUND)
            view = await vote_views.vote_view(user, number)
            if not view.may_manage:
                raise DomainError('forbidden', '没有权限')
        except DomainError as e:
            no_permission() if e.code == 'forbidden' else not_found(t(NOT_FOUND))
            return None
        if view.state != 'draft':
            ui.label(t('表决已经开始，不能再修改')).classes('text-lg').mark('not-editable')
            ui.link(t('去管理这次表决'), f'/votes/{int(view.id)}/manage').classes('text-lg')
            return None
        await _edit_form(user, view)
    return None


async def _edit_form(user: Principal, view: vote_views.VoteView) -> None:
    draft = await vote_views.draft_of(user, view.id)

    async def submit(changed: votes.VoteDraft) -> int:
        return int((await votes.update_vote(user, view.id, changed)).id)

    await vote_form(user, view.community_id, Start(draft=draft), submit, save_label=t('保存'))


def register() -> None:
    ui.page('/votes')(list_page)
    ui.page('/votes/new')(new_page)
    ui.page('/votes/{vote_id}/edit')(edit_page)
