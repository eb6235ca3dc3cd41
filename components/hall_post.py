"""Pieces of the 线上议事厅: one post with its replies, and the link to the hall on an issue's page."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.when import local_time
from domain.i18n import t
from services.hall import PostView

Action = Callable[[PostView], object]


def hall_link(issue_id: int, count: int) -> None:
    """线上议事厅（N 条）: the way from an issue to its thread."""
    ui.button(t('线上议事厅（{n} 条）', n=count), icon='forum',
              on_click=lambda: ui.navigate.to(f'/issues/{int(issue_id)}/hall')) \
        .classes('w-full text-lg').props('outline').mark('hall-link')


def post_card(post: PostView, *, reply: Action, hide: Action, mark: Action) -> None:
    """A top-level post (a proposal is highlighted) and its replies, with the buttons this viewer gets."""
    with ui.card().classes('gs-card w-full gap-1' + (' border-l-4 border-primary' if post.proposal else '')) \
            .mark(f'post-{post.id}'):
        _body(post, reply=reply, hide=hide, mark=mark)
        if post.replies:
            with ui.column().classes('w-full gap-1 pl-4 border-l-2 border-grey-4'):
                for answer in post.replies:
                    with ui.column().classes('w-full gap-1').mark(f'post-{answer.id}'):
                        _body(answer, reply=reply, hide=hide, mark=mark)


def _body(post: PostView, *, reply: Action, hide: Action, mark: Action) -> None:
    with ui.row().classes('w-full items-center gap-2'):
        ui.label(post.author_name).classes('font-bold')
        if post.backbone:
            ui.badge(t('居民骨干'), color='orange').mark(f'backbone-{post.id}')
        if post.proposal:
            ui.badge(t('方案'), color='primary').mark(f'proposal-{post.id}')
        ui.label(local_time(post.created_at)).classes('gs-muted text-sm')
    if post.hidden:
        ui.label(t('此条已被隐藏：{reason}', reason=post.hidden_reason)).classes('gs-muted italic') \
            .mark(f'hidden-{post.id}')
        if post.body:  # moderators still read what was hidden
            ui.label(post.body).classes('text-base whitespace-pre-wrap break-all text-grey-6 line-through')
    else:
        ui.label(post.body).classes('text-lg whitespace-pre-wrap break-all').mark(f'body-{post.id}')
    if post.may_reply or post.may_mark or post.may_hide:
        with ui.row().classes('gap-1'):
            if post.may_reply:
                ui.button(t('回复'), icon='reply', on_click=lambda: reply(post)).props('flat dense') \
                    .mark(f'reply-{post.id}')
            if post.may_mark:
                ui.button(t('取消方案') if post.proposal else t('标为方案'), icon='lightbulb',
                          on_click=lambda: mark(post)).props('flat dense').mark(f'mark-{post.id}')
            if post.may_hide:
                ui.button(t('隐藏'), icon='visibility_off', on_click=lambda: hide(post)) \
                    .props('flat dense color=negative').mark(f'hide-{post.id}')
