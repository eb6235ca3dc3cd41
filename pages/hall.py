"""/issues/{id}/hall: the 线上议事厅 of one issue — proposals first (金字塔: 骨干提方案，大家来表决), then everyone's
posts with their replies, live; a composer at the bottom. A double tap on 发表 posts once: the button is disabled
while sending and every composed message carries its own nonce.
"""
from __future__ import annotations

import uuid

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import NonceSender, dialog_buttons, not_found, problem_label, reason_dialog
from components.frame import empty_state, frame
from components.hall_post import post_card
from components.live import on_event
from components.signin import login_redirect
from domain import hall as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import hall


async def hall_page(issue_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/issues/{int(issue_id)}/hall')
    try:
        first = await hall.thread(user, issue_id)
    except DomainError as e:
        with frame(t('线上议事厅'), user=user, active='issues', back='/issues'):
            not_found(e.message)
        return None
    with frame(t('线上议事厅'), user=user, active='issues', back=f'/issues/{first.issue_id}'):
        ui.label(first.title).classes('text-xl font-bold break-all').mark('hall-title')
        ui.label(t('指尖上的协商：说说您的看法，提出您的方案')).classes('gs-muted')
        stage = ui.element()  # dialogs live here, outside the thread a live redraw replaces

        @ui.refreshable
        async def content() -> None:
            try:
                thread = await hall.thread(user, issue_id)
            except DomainError as e:
                not_found(e.message)
                return
            _draw(user, thread, stage, content.refresh)

        await content()
        if first.may_post:
            _composer(user, first.issue_id, content.refresh)
        else:
            _why_not(first)

        on_event('hall.post.*', lambda _event: content.refresh(), community_id=first.community_id, at_most_every=1,
                 where=lambda event: event.payload.get('issue_id') == first.issue_id)
    return None


def _draw(user: Principal, thread: hall.Thread, stage: ui.element, refresh) -> None:
    actions = dict(reply=lambda post: _reply(user, thread.issue_id, post, stage, refresh),
                   hide=lambda post: _hide(user, post, stage, refresh),
                   mark=lambda post: _mark(user, post, refresh))
    ui.label(t('共 {n} 条发言', n=thread.count)).classes('gs-muted').mark('hall-count')
    with ui.card().classes('gs-card w-full gap-1 bg-blue-1'):
        ui.label(t('居民方案')).classes('text-lg font-bold text-primary')
        ui.label(t('金字塔议事：骨干提方案，大家来表决。觉得有好办法，发表时勾选“这是我的解决方案”。')) \
            .classes('gs-muted')
    if thread.proposals:
        for post in thread.proposals:
            post_card(post, **actions)
    else:
        ui.label(t('还没有方案')).classes('gs-muted').mark('no-proposals')
    ui.label(t('大家的发言')).classes('text-lg font-bold')
    if thread.posts:
        for post in thread.posts:
            post_card(post, **actions)
    elif not thread.proposals:
        empty_state(t('还没有人发言，说说您的看法吧'), 'forum')


def _why_not(thread: hall.Thread) -> None:
    with ui.card().classes('gs-card w-full gap-2').mark('hall-closed'):
        ui.label(thread.why_not.message if thread.why_not else '').classes('text-lg')
        if thread.merged_into is not None:
            ui.button(t('去那条议题的议事厅'), icon='forum',
                      on_click=lambda: ui.navigate.to(f'/issues/{int(thread.merged_into)}/hall')) \
                .classes('w-full text-lg').props('outline').mark('hall-survivor')


def _composer(user: Principal, issue_id: int, refresh) -> None:
    with ui.card().classes('gs-card w-full gap-2').mark('composer'):
        body = ui.textarea(t('我的看法')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={rules.MAX_BODY} counter').mark('hall-body')
        proposal = ui.checkbox(t('这是我的解决方案（方案）')).classes('text-lg').mark('hall-proposal')
        sender = NonceSender(problem_label())  # one nonce per composed message: a second tap or a retry posts once

        async def send() -> None:
            if not await sender.send(button, lambda nonce: hall.post(user, issue_id, body.value or '',
                                                                     proposal=bool(proposal.value), nonce=nonce)):
                return
            body.value = ''
            proposal.value = False
            ui.notify(t('已发表'), type='positive')
            refresh()

        button = ui.button(t('发表'), icon='send', on_click=send).classes('w-full text-xl').mark('hall-send')


def _reply(user: Principal, issue_id: int, post: hall.PostView, stage: ui.element, refresh) -> None:
    nonce = uuid.uuid4().hex
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('回复 {name}', name=post.author_name)).classes('text-lg font-bold')
        text = ui.textarea(t('回复内容')).classes('w-full text-lg') \
            .props(f'outlined autogrow autofocus maxlength={rules.MAX_BODY}').mark('reply-body')
        problem = problem_label()

        async def act() -> None:
            await hall.post(user, issue_id, text.value or '', parent_id=post.id, nonce=nonce)
            refresh()

        dialog_buttons(dialog, problem, act, marker='reply-send', ok=t('发表'), done=t('已发表'))
    dialog.open()


def _hide(user: Principal, post: hall.PostView, stage: ui.element, refresh) -> None:
    async def act(reason: str) -> None:
        await hall.hide(user, post.id, reason)
        refresh()

    reason_dialog(stage, t('隐藏这条发言'), t('大家会看到“此条已被隐藏”和原因，发言人会收到通知。'), act,
                  max_length=rules.MAX_REASON, field_marker='hide-reason', marker='hide-ok', ok=t('隐藏'),
                  done=t('已隐藏'))


async def _mark(user: Principal, post: hall.PostView, refresh) -> None:
    try:
        await hall.mark_proposal(user, post.id, not post.proposal)
    except DomainError as e:
        ui.notify(e.message, type='negative', multi_line=True)
        return
    refresh()


def register() -> None:
    ui.page('/issues/{issue_id}/hall')(hall_page)
