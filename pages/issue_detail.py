"""/issues/{id}: one issue — text, photos, place, 附议, the timeline with reasons, staff's next moves.

A wish opens its own screen, /wishes/{id} (pages/wish_detail.py), where it is claimed, fulfilled and rated.
"""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import dialog_buttons, not_found, problem_label
from components.frame import frame
from components.hall_post import hall_link
from components.issue_support import support_button
from components.live import on_event
from components.signin import login_redirect
from components.timeline import timeline
from domain import lifecycle
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import hall, issue_views, issues


async def detail_page(issue_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/issues/{int(issue_id)}')
    try:
        item = await issue_views.detail(user, issue_id)
    except DomainError as e:  # missing, or of a community this person has nothing to do with: the same answer
        with frame(t('议题'), user=user, active='issues', back='/issues'):
            not_found(e.message)
        return None
    if item.kind == 'wish':  # claiming, fulfilling and rating have their own screen (pages/wish_detail.py)
        return RedirectResponse(f'/wishes/{int(issue_id)}')
    with frame(t(issues.KINDS.get(item.kind, '议题')), user=user, active='issues', back='/issues'):

        @ui.refreshable
        async def content() -> None:
            try:
                fresh = await issue_views.detail(user, issue_id)
            except DomainError as e:
                not_found(e.message)
                return
            _draw(user, fresh, content.refresh, posts=await hall.post_count(fresh.id) if fresh.kind == 'issue' else 0)

        await content()

        def changed(event) -> None:
            if event.payload.get('issue_id') == issue_id or event.payload.get('into_id') == issue_id:
                content.refresh()

        on_event('issue.*', changed, community_id=item.community_id)
        on_event('wish.*', changed, community_id=item.community_id)
        on_event('hall.post.*', changed, community_id=item.community_id, at_most_every=1,
                 where=lambda event: event.payload.get('issue_id') == issue_id)
    return None


def _draw(user: Principal, item: issue_views.Detail, refresh, *, posts: int = 0) -> None:
    with ui.card().classes('gs-card w-full gap-1'):
        ui.label(item.title).classes('text-xl font-bold break-all').mark('issue-title')
        ui.label(t(item.state_label)).classes('text-primary text-lg font-bold').mark('issue-state')
        ui.label(' · '.join(p for p in (t(item.category), item.place) if p)).classes('gs-muted')
        ui.label(t('提出人：{name}', name=t(item.author) if item.author == issue_views.ANONYMOUS_AUTHOR
                   else item.author)).classes('gs-muted')
        if item.body:
            ui.label(item.body).classes('text-lg whitespace-pre-wrap break-all').mark('issue-body')
    if item.photos:
        with ui.row().classes('w-full gap-2'):
            for key in item.photos:  # keys are 64 hex digits from the database, never user input
                ui.image(f'/photos/{key}.jpg').classes('w-full rounded').props('fit=contain').mark('issue-photo')
    if item.kind == 'issue':
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(t('{n} 人附议', n=item.supports)).classes('text-lg').mark('detail-supports')
            support_button(user, item.id, supported=item.supported, own=item.own, after=refresh)
        hall_link(item.id, posts)
    timeline(item.timeline)
    if item.next_states or item.may_merge:
        _moves(user, item, refresh)


def _moves(user: Principal, item: issue_views.Detail, refresh) -> None:
    ui.label(t('处理')).classes('text-lg font-bold')
    with ui.row().classes('w-full gap-2'):
        for target in item.next_states:
            ui.button(t('改为“{target}”', target=t(lifecycle.label(target))),
                      on_click=lambda _e, to=target: _move(user, item, to, refresh)) \
                .props('outline').classes('text-lg').mark(f'move-{target}')
        if item.may_merge:
            ui.button(t('合并到其他议题'), icon='call_merge', on_click=lambda: _merge(user, item, refresh)) \
                .props('outline').classes('text-lg').mark('merge')


async def _move(user: Principal, item: issue_views.Detail, target: str, refresh) -> None:
    rule = lifecycle.rule_for(item.kind, item.state, target)
    label = t(lifecycle.label(target))
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('改为“{target}”', target=label)).classes('text-lg font-bold')
        reason = ui.textarea(t('原因（必填）') if rule and rule.reason_required else t('说明（可不填）')) \
            .classes('w-full text-lg').props('outlined autogrow maxlength=500').mark('move-reason')
        problem = problem_label()

        async def act() -> None:
            await issues.move(user, item.id, target, reason=reason.value or None)
            refresh()

        dialog_buttons(dialog, problem, act, marker='move-ok', ok=t('确定'), done=t('已更新'),
                       danger=target == 'rejected')
    dialog.open()


async def _merge(user: Principal, item: issue_views.Detail, refresh) -> None:
    """Staff pick the surviving issue; supports move over and this item's author is told."""
    choices = await issue_views.merge_candidates(user, item.id)
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('合并到其他议题')).classes('text-lg font-bold')
        ui.label(t('附议会转到保留的议题，提出人会收到通知。')).classes('gs-muted')
        into = ui.select(choices, label=t('并入哪一条（输入标题查找）'), with_input=True) \
            .classes('w-full text-lg').props('outlined').mark('merge-into')
        reason = ui.textarea(t('说明（可不填）')).classes('w-full text-lg') \
            .props('outlined autogrow maxlength=500').mark('merge-reason')
        problem = problem_label()

        async def act() -> None:
            if into.value not in choices:
                raise DomainError('merge_needs_target', '合并时请选择要并入的议题')
            await issues.merge(user, item.id, int(into.value), reason=reason.value or None)
            refresh()

        dialog_buttons(dialog, problem, act, marker='merge-ok', ok=t('合并'), done=t('已合并'))
    dialog.open()
