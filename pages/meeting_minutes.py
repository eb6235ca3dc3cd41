"""/meetings/{id}/minutes: the minutes (纪要) and outcome (协商成果) of each agenda item — staff write them in place,
the Party organisation approves or returns, anyone (signed in or not) reads minutes and approved outcomes.
/outcomes/review: the reviewer's queue.
"""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import AdminScreen, community_screen, dialog_buttons, not_found, problem_label, show_problem
from components.frame import empty_state, frame
from components.live import on_event
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import OUTCOME_KINDS, STATES
from domain.permissions import Principal
from services import minutes

KIND_COLOURS = {'vote': 'primary', 'decided': 'positive', 'referred': 'orange', 'deferred': 'grey'}


async def minutes_page(meeting_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    back = f'/meetings/{int(meeting_id)}'
    try:
        first = await minutes.minutes_view(user, meeting_id)
    except DomainError as e:
        with frame(t('纪要与协商成果'), user=user, active='meetings', back='/meetings'):
            not_found(e.message)
        return None
    with frame(t('纪要与协商成果'), user=user, active='meetings', back=back):
        with ui.card().classes('gs-card w-full gap-1'):
            ui.label(first.title).classes('text-xl font-bold break-all').mark('meeting-title')
            ui.label(' · '.join(p for p in (local_time(first.starts_at), first.place,
                                            t(STATES.get(first.state, first.state))) if p)).classes('gs-muted')
        if first.may_review:
            ui.button(t('待审核的协商成果'), icon='fact_check', on_click=lambda: ui.navigate.to('/outcomes/review')) \
                .classes('w-full text-lg').props('outline').mark('review-queue')
        stage = ui.element()  # dialogs live outside the redrawn part

        @ui.refreshable
        async def content() -> None:
            try:
                view = await minutes.minutes_view(user, meeting_id)
            except DomainError as e:
                not_found(e.message)
                return
            if not view.items:
                empty_state(t('这次议事会还没有议程'), 'list_alt')
            for item in view.items:
                _item(user, item, view.may_write, stage, content.refresh)

        await content()
        if not first.may_write:  # a writer's half-typed minutes must not be wiped by a colleague's save

            def changed(event) -> None:
                if event.payload.get('meeting_id') == first.meeting_id:
                    content.refresh()

            on_event('outcome.updated', changed, community_id=first.community_id)
            on_event('meeting.minutes.written', changed, community_id=first.community_id)
    return None


def _item(user: Principal, item: minutes.ItemMinutes, may_write: bool, stage: ui.element, refresh) -> None:
    with ui.card().classes('gs-card w-full gap-2').mark(f'item-{item.id}'):
        if item.issue_id is not None:
            ui.link(item.title, f'/issues/{int(item.issue_id)}').classes('text-lg font-bold break-all')
        else:
            ui.label(item.title).classes('text-lg font-bold break-all')
        ui.label(t('纪要')).classes('font-bold text-primary')
        if may_write:
            _minutes_editor(user, item)
        elif item.minutes:
            ui.label(item.minutes).classes('text-base whitespace-pre-wrap break-all').mark(f'minutes-text-{item.id}')
            ui.label(t('记录于 {at}', at=local_time(item.minutes_at))).classes('gs-muted text-sm')
        else:
            ui.label(t('还没有纪要')).classes('gs-muted')
        ui.label(t('协商成果')).classes('font-bold text-primary')
        if item.may_draft:
            _outcome_editor(user, item, refresh)
        elif item.outcome is not None:
            _outcome(user, item.outcome, stage, refresh)
        else:
            ui.label(t('协商成果经党组织审核后公开')).classes('gs-muted').mark(f'outcome-pending-{item.id}')


def _minutes_editor(user: Principal, item: minutes.ItemMinutes) -> None:
    text = ui.textarea(t('纪要'), value=item.minutes).classes('w-full text-base') \
        .props(f'outlined autogrow maxlength={minutes.MAX_MINUTES}').mark(f'minutes-{item.id}')
    problem = problem_label()

    async def save() -> None:
        try:
            await minutes.write_minutes(user, item.id, text.value or '')
        except DomainError as e:
            show_problem(problem, e)
            return
        show_problem(problem, None)
        ui.notify(t('纪要已保存'), type='positive')

    ui.button(t('保存'), icon='save', on_click=save).props('outline').classes('text-lg') \
        .mark(f'minutes-save-{item.id}')


def _outcome_editor(user: Principal, item: minutes.ItemMinutes, refresh) -> None:
    current = item.outcome
    if current is not None:
        ui.label(t('状态：{state}', state=t(current.state_label))).classes('gs-muted').mark(f'outcome-state-{item.id}')
        if current.review_note:
            ui.label(t('退回意见：{note}', note=current.review_note)).classes('text-negative') \
                .mark(f'outcome-note-{item.id}')
    kind = ui.select({k: t(v) for k, v in OUTCOME_KINDS.items()}, value=current.kind if current else 'vote',
                     label=t('成果类型')).classes('w-full text-lg').props('outlined').mark(f'outcome-kind-{item.id}')
    text = ui.textarea(t('协商成果'), value=current.text if current else '').classes('w-full text-base') \
        .props(f'outlined autogrow maxlength={minutes.MAX_OUTCOME}').mark(f'outcome-text-{item.id}')
    problem = problem_label()

    async def save(submit: bool) -> None:
        try:
            outcome = await minutes.draft_outcome(user, item.id, kind=kind.value or '', text=text.value or '')
            if submit:
                await minutes.submit_outcome(user, outcome.id)
        except DomainError as e:
            show_problem(problem, e)
            return
        ui.notify(t('已提交审核') if submit else t('草稿已保存'), type='positive')
        refresh()

    with ui.row().classes('w-full gap-2'):
        ui.button(t('保存草稿'), on_click=lambda: save(False)).props('outline').classes('text-lg') \
            .mark(f'outcome-save-{item.id}')
        ui.button(t('提交审核'), icon='send', on_click=lambda: save(True)).classes('text-lg') \
            .mark(f'outcome-submit-{item.id}')


def _outcome(user: Principal, outcome: minutes.OutcomeView, stage: ui.element, refresh) -> None:
    with ui.row().classes('items-center gap-2'):
        ui.badge(t(outcome.kind_label), color=KIND_COLOURS.get(outcome.kind, 'primary')).classes('text-base') \
            .mark(f'outcome-kind-badge-{outcome.id}')
        if outcome.state == 'approved':
            ui.label(t('已审核 {date}', date=local_time(outcome.reviewed_at)[:10])).classes('gs-muted') \
                .mark(f'outcome-approved-{outcome.id}')
        else:
            ui.label(t(outcome.state_label)).classes('gs-muted').mark(f'outcome-state-{outcome.id}')
    ui.label(outcome.text).classes('text-lg whitespace-pre-wrap break-all').mark(f'outcome-text-{outcome.id}')
    if outcome.may_review:
        review_buttons(user, outcome.id, stage, refresh)


def review_buttons(user: Principal, outcome_id: int, stage: ui.element, refresh) -> None:
    """通过 / 退回（写明原因） for a submitted outcome (here and on the queue)."""
    async def approve() -> None:
        try:
            await minutes.review_outcome(user, outcome_id, approve=True)
        except DomainError as e:
            ui.notify(e.message, type='negative', multi_line=True)
            return
        ui.notify(t('已通过，成果已公开'), type='positive')
        refresh()

    with ui.row().classes('w-full gap-2'):
        ui.button(t('通过'), icon='check', on_click=approve).props('unelevated color=positive').classes('text-lg') \
            .mark(f'approve-{outcome_id}')
        ui.button(t('退回（写明原因）'), icon='undo', on_click=lambda: _return(user, outcome_id, stage, refresh)) \
            .props('outline color=negative').classes('text-lg').mark(f'return-{outcome_id}')


def _return(user: Principal, outcome_id: int, stage: ui.element, refresh) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('退回修改')).classes('text-lg font-bold')
        note = ui.textarea(t('需要修改什么（必填）')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={minutes.MAX_NOTE}').mark('return-note')
        problem = problem_label()

        async def act() -> None:
            await minutes.review_outcome(user, outcome_id, approve=False, note=note.value or '')
            refresh()

        dialog_buttons(dialog, problem, act, marker='return-ok', ok=t('退回'), done=t('已退回'), danger=True)
    dialog.open()


async def _queue(screen: AdminScreen) -> None:
    ui.label(t('两委审核后，协商成果才会公开；提交表决的成果随后交居民表决。')).classes('gs-muted')
    stage = ui.element()  # the return dialog lives outside the redrawn cards

    @ui.refreshable
    async def cards() -> None:
        entries = await minutes.review_queue(screen.user, screen.community_id)
        if not entries:
            empty_state(t('没有待审核的协商成果'), 'fact_check')
        for entry in entries:
            with ui.card().classes('gs-card w-full gap-1').mark(f'queue-{entry.outcome_id}'):
                ui.link(entry.meeting_title, f'/meetings/{int(entry.meeting_id)}/minutes').classes('gs-muted')
                ui.label(entry.item_title).classes('text-lg font-bold break-all')
                ui.badge(t(entry.kind_label)).classes('text-base')
                ui.label(entry.text).classes('text-lg whitespace-pre-wrap break-all')
                ui.label(t('{name} 提交于 {at}', name=entry.written_by, at=local_time(entry.written_at))) \
                    .classes('gs-muted text-sm')
                review_buttons(screen.user, entry.outcome_id, stage, cards.refresh)

    await cards()
    on_event('outcome.updated', lambda _event: cards.refresh(), community_id=screen.community_id)


async def review_page() -> RedirectResponse | None:
    return await community_screen('/outcomes/review', t('协商成果审核'), 'outcome.review', _queue, back='/meetings')


def register() -> None:
    ui.page('/meetings/{meeting_id}/minutes')(minutes_page)
    ui.page('/outcomes/review')(review_page)
