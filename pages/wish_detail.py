"""/wishes/{id}: one micro-wish — photos, the two sides' contacts, the timeline, and this person's buttons:
认领, 完成了 (the claimer), 确认并评价 and 没完成 (the wisher), 放弃认领, and staff's 发布 / 不予受理."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import dialog_buttons, not_found, problem_label
from components.frame import frame
from components.live import on_event
from components.signin import login_redirect
from components.timeline import timeline
from components.wish_card import claim_button, contacts
from domain import wishes as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import rating_views, wishes


async def detail_page(wish_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/wishes/{int(wish_id)}')
    try:
        item = await wishes.detail(user, wish_id)
    except DomainError as e:  # missing, unpublished, or of another community: the same answer
        with frame(t('微心愿'), user=user, active='issues', back='/wishes'):
            not_found(e.message)
        return None
    with frame(t('微心愿'), user=user, active='issues', back='/wishes'):
        stage = ui.element()  # dialogs live here, outside the content a live redraw replaces

        @ui.refreshable
        async def content() -> None:
            try:
                fresh = await wishes.detail(user, wish_id)
            except DomainError as e:
                not_found(e.message)
                return
            _draw(user, fresh, stage, content.refresh)
            if can(user, 'rating.read', fresh.card.community_id):  # the supervisor reads each rating round
                for result in await rating_views.wish_results(wish_id):
                    ui.link(t('第{round}轮：满意度 {rate}，{verdict}', round=result.round, rate=result.percent,
                              verdict=t(result.verdict_label)), f'/ratings/{int(result.survey_id)}') \
                        .classes('text-base').mark(f'wish-round-{result.round}')

        await content()

        def changed(event) -> None:
            if event.payload.get('wish_id') == wish_id:
                content.refresh()

        on_event('wish.*', changed, community_id=item.card.community_id)
    return None


def _draw(user: Principal, item: wishes.WishDetail, stage: ui.element, refresh: Callable[[], object]) -> None:
    card = item.card
    with ui.card().classes('gs-card w-full gap-1'):
        ui.label(card.title).classes('text-xl font-bold break-all').mark('wish-title')
        ui.label(t(card.state_label)).classes('text-primary text-lg font-bold').mark('wish-state')
        if card.place:
            ui.label(card.place).classes('gs-muted')
        if card.body:
            ui.label(card.body).classes('text-lg whitespace-pre-wrap break-all').mark('wish-body')
        contacts(card)
        if item.rating:
            ui.label(t('评价：{rating}', rating=t(item.rating))).classes('text-lg font-bold').mark('wish-rating')
            if item.rating_comment:
                ui.label(item.rating_comment).classes('text-base break-all').mark('wish-comment')
    for key in item.photos:  # keys are 64 hex digits from the database, never user input
        ui.image(f'/photos/{key}.jpg').classes('w-full rounded').props('fit=contain').mark('wish-photo')
    if card.can_claim:
        claim_button(user, card, stage=stage, after=refresh)
    _buttons(user, item, stage, refresh)
    timeline(item.timeline)


def _buttons(user: Principal, item: wishes.WishDetail, stage: ui.element, refresh: Callable[[], object]) -> None:
    wish_id = item.card.id

    async def fulfil(note: str) -> None:
        await wishes.mark_fulfilled(user, wish_id, note=note or None)
        refresh()

    async def not_done(reason: str) -> None:
        await wishes.not_done(user, wish_id, reason=reason)
        refresh()

    async def give_up(reason: str) -> None:
        await wishes.give_up(user, wish_id, reason=reason)
        refresh()

    async def reject(reason: str) -> None:
        await wishes.reject(user, wish_id, reason=reason)
        refresh()

    async def publish() -> None:
        try:
            await wishes.publish(user, wish_id)
        except DomainError as e:
            ui.notify(e.message, type='warning', multi_line=True)
        refresh()

    offered: dict[str, tuple[str, str, Callable[[], object]]] = {
        'fulfil': (t('完成了'), 'task_alt',
                   lambda: _text_dialog(stage, t('心愿完成了吗？'), t('说明（可不填）'), 'fulfil', fulfil)),
        'confirm': (t('确认并评价'), 'thumb_up', lambda: _rate_dialog(user, wish_id, stage, refresh)),
        'not_done': (t('没完成'), 'replay',
                     lambda: _text_dialog(stage, t('还没完成？'), t('原因（必填）'), 'not-done', not_done)),
        'give_up': (t('放弃认领'), 'undo',
                    lambda: _text_dialog(stage, t('放弃认领'), t('原因（必填）'), 'give-up', give_up, danger=True)),
        'publish': (t('发布到心愿墙'), 'publish', publish),
        'reject': (t('不予受理'), 'block',
                   lambda: _text_dialog(stage, t('不予受理'), t('原因（必填）'), 'reject', reject, danger=True)),
    }
    for action in item.actions:
        if action in offered:
            label, icon, handler = offered[action]
            ui.button(label, icon=icon, on_click=handler).classes('w-full text-lg') \
                .props('unelevated' if action in {'fulfil', 'confirm', 'publish'} else 'outline') \
                .mark(f'wish-{action.replace("_", "-")}')


def _text_dialog(stage: ui.element, title: str, label: str, marker: str,
                 save: Callable[[str], Awaitable[object]], *, danger: bool = False) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(title).classes('text-lg font-bold')
        text = ui.textarea(label).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={rules.MAX_REASON}').mark(f'{marker}-text')
        problem = problem_label()
        dialog_buttons(dialog, problem, lambda: save(text.value or ''), marker=f'{marker}-ok', ok=t('确定'),
                       done=t('已更新'), danger=danger)
    dialog.open()


def _rate_dialog(user: Principal, wish_id: int, stage: ui.element, refresh: Callable[[], object]) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('您满意吗？')).classes('text-lg font-bold')
        rating = ui.toggle({k: t(v) for k, v in rules.RATINGS.items()}, value='satisfied') \
            .props('spread no-caps').classes('w-full text-lg').mark('rating')
        comment = ui.textarea(t('想说的话（可不填）')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={rules.MAX_COMMENT}').mark('rating-comment')
        problem = problem_label()

        async def act() -> None:
            await wishes.confirm(user, wish_id, rating=rating.value or '', comment=comment.value or None)
            refresh()

        dialog_buttons(dialog, problem, act, marker='rate-ok', ok=t('确认'), done=t('谢谢您的评价'))
    dialog.open()
