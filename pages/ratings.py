"""民事民评 screens: /projects/{id}/ratings (every rating and comment of each round with names, for rating.read;
结束本轮评价 for rating.manage, asking for the 整改 milestone when the round would fall short; 代居民评价 for
rating.record), /ratings/{survey_id} (one round, e.g. a micro-wish's), and /ratings (the open and recent rounds of
the community, projects and micro-wishes)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from components import session
from components.admin import STORAGE_KEY, dialog_buttons, no_permission, not_found, problem_label
from components.frame import empty_state, frame
from components.live import on_event
from components.rating_panel import FACES
from components.resident_finder import resident_finder
from components.signin import login_redirect
from components.when import local_time
from domain import satisfaction
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import project_moves, rating_views, ratings


async def project_ratings_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    back = f'/projects/{int(project_id)}'
    if not user.is_authenticated:
        return login_redirect(f'{back}/ratings')
    try:
        project = await project_moves.get_project(project_id)
    except DomainError as e:
        with frame(t('全部评价'), user=user, back='/ratings'):
            not_found(e.message)
        return None
    with frame(t('全部评价'), user=user, back=back):
        if not can(user, 'rating.read', project.community_id):
            no_permission()
            return None
        ui.label(project.title).classes('text-xl font-bold break-all').mark('ratings-title')
        stage = ui.element()

        @ui.refreshable
        async def content() -> None:
            survey_ids = await rating_views.project_surveys(project_id)
            if not survey_ids:
                empty_state(t('项目还没完工，还没有评价'), 'thumb_up')
            for survey_id in reversed(survey_ids):  # the latest round first
                data = await rating_views.all_ratings(user, survey_id)
                _round(user, data, stage, content.refresh)

        await content()
        on_event('rating.*', lambda _e: content.refresh(), community_id=project.community_id, at_most_every=1.0,
                 where=lambda e: e.payload.get('project_id') == project_id)
        on_event('survey.*', lambda _e: content.refresh(), community_id=project.community_id,
                 where=lambda e: e.payload.get('project_id') == project_id)
    return None


async def survey_page(survey_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/ratings/{int(survey_id)}')
    with frame(t('全部评价'), user=user, back='/ratings'):
        try:
            data = await rating_views.all_ratings(user, survey_id)
        except DomainError as e:
            no_permission() if e.code == 'forbidden' else not_found(e.message)
            return None
        ui.label(data.title).classes('text-xl font-bold break-all').mark('ratings-title')
        if data.issue_id is not None:
            ui.link(t('打开心愿'), f'/wishes/{int(data.issue_id)}').classes('text-lg')
        _round(user, data, ui.element(), lambda: ui.navigate.reload())
    return None


async def rounds_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/ratings')
    mine = sorted(user.roles)
    chosen = app.storage.user.get(STORAGE_KEY)
    community_id = chosen if chosen in mine else (mine[0] if mine else None)
    with frame(t('民事民评'), user=user, active='projects', back='/'):
        if community_id is None:
            empty_state(t('您还不是任何社区的居民或工作人员'), 'thumb_up')
            return None

        @ui.refreshable
        async def content() -> None:
            cards = await rating_views.rounds(user, community_id)
            open_cards = [c for c in cards if c.result.is_open]
            ui.label(t('正在评价')).classes('text-lg font-bold')
            if not open_cards:
                empty_state(t('现在没有正在评价的项目'), 'thumb_up')
            for card in open_cards:
                _card(user, card)
            closed = [c for c in cards if not c.result.is_open]
            if closed:
                ui.label(t('最近 {days} 天的评价结果', days=rating_views.RECENT_DAYS)).classes('text-lg font-bold')
            for card in closed:
                _card(user, card)

        await content()
        on_event('survey.*', lambda _e: content.refresh(), community_id=community_id, at_most_every=2.0)
        on_event('rating.*', lambda _e: content.refresh(), community_id=community_id, at_most_every=2.0)
    return None


# ---- one round with every rating ----

def _round(user: Principal, data: rating_views.SurveyRatings, stage: ui.element, refresh: Callable[[], object]) -> None:
    result = data.result
    with ui.card().classes('gs-card w-full gap-2').mark(f'round-{result.round}'):
        if result.is_open:
            ui.label(t('第{round}轮 · 评价中', round=result.round)).classes('text-lg font-bold text-primary')
        else:
            ui.label(t('第{round}轮：满意度 {rate}，{verdict}', round=result.round, rate=result.percent,
                       verdict=t(result.verdict_label))).classes('text-lg font-bold')
        counts = result.counts
        ui.label(t('满意 {satisfied} · 基本满意 {fair} · 不满意 {unsatisfied} · 门槛 {threshold}%',
                   satisfied=counts.satisfied, fair=counts.fair, unsatisfied=counts.unsatisfied,
                   threshold=result.threshold)).classes('text-base').mark(f'round-counts-{result.round}')
        if result.is_open and counts.total:
            ui.label(t('目前满意度 {rate}', rate=result.percent)).classes('text-base')
        ui.label(t('邀请 {invited} 人，其中 {rated} 人已评价；{opened} 开始', invited=data.invited,
                   rated=data.invited_rated, opened=local_time(result.opened_at))).classes('gs-muted')
        if not data.rows:
            ui.label(t('还没有人评价')).classes('gs-muted')
        for row in data.rows:
            _row(row)
        if result.is_open and data.project_id is not None:
            if can(user, 'rating.record', data.community_id):
                _record_for(user, data, stage, refresh)
            if can(user, 'rating.manage', data.community_id):
                _close_button(user, data, stage, refresh)


def _row(row: rating_views.RatingRow) -> None:
    icon, colour = FACES[row.value]
    with ui.column().classes('w-full gap-0 border-t pt-2').mark(f'rating-row-{row.rating_id}'):
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            ui.icon(icon, color=colour).classes('text-2xl')
            ui.label(row.name).classes('text-base font-bold')
            ui.label(t(row.label)).classes('text-base')
            if row.invited:
                ui.badge(t('受邀'), color='grey-7').classes('text-sm')
        if row.comment:
            ui.label(row.comment).classes('text-base break-all whitespace-pre-wrap')
        if row.photo_key:  # 64 hex digits from the database, never user input
            ui.image(f'/photos/{row.photo_key}.jpg').classes('w-32 rounded').props('fit=cover')
        meta = [local_time(row.created_at), t(row.channel_label)]
        if row.recorded_by:
            meta.append(t('{name} 代录', name=row.recorded_by))
        ui.label(' · '.join(meta)).classes('gs-muted text-sm')


def _close_button(user: Principal, data: rating_views.SurveyRatings, stage: ui.element,
                  refresh: Callable[[], object]) -> None:
    result = data.result
    if not result.counts.total:  # a guard that explains, instead of a button that fails
        ui.button(t('结束本轮评价'), icon='flag').props('unelevated disable').classes('w-full text-lg') \
            .mark('round-close')
        ui.label(t('还没有人评价，不能结束本轮')).classes('gs-muted').mark('round-close-why')
        return
    ui.button(t('结束本轮评价'), icon='flag', on_click=lambda: _close_dialog(user, data, stage, refresh)) \
        .props('unelevated').classes('w-full text-lg').mark('round-close')


def _close_dialog(user: Principal, data: rating_views.SurveyRatings, stage: ui.element,
                  refresh: Callable[[], object]) -> None:
    result = data.result
    passing = satisfaction.passes(result.counts, result.threshold)
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('结束本轮评价')).classes('text-lg font-bold')
        if passing:
            ui.label(t('满意度 {rate}，达到门槛 {threshold}%：项目将办结。', rate=result.percent,
                       threshold=result.threshold)).classes('text-base').mark('close-preview')
            title = due = None
        else:
            ui.label(t('满意度 {rate}，低于门槛 {threshold}%：项目将进入整改，整改完成后再评价一轮。',
                       rate=result.percent, threshold=result.threshold)).classes('text-base').mark('close-preview')
            title = ui.input(t('整改内容'), value=f'整改：{data.title}'[:satisfaction.MAX_MILESTONE]) \
                .classes('w-full text-lg').props(f'outlined maxlength={satisfaction.MAX_MILESTONE}') \
                .mark('close-title')
            due = ui.input(t('整改期限（可不填）')).classes('w-full text-lg').props('outlined type=date') \
                .mark('close-due')
        problem = problem_label()

        async def act() -> None:
            due_on = _date(due.value) if due is not None else None
            await ratings.close_round(user, result.survey_id, rectification_title=title.value if title else None,
                                      due_on=due_on)
            refresh()

        dialog_buttons(dialog, problem, act, marker='close-ok', ok=t('结束本轮'), done=t('本轮评价已结束'),
                       danger=not passing)
    dialog.open()


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError('invalid_date', '整改期限的日期不对') from None


def _record_for(user: Principal, data: rating_views.SurveyRatings, stage: ui.element,
                refresh: Callable[[], object]) -> None:
    with ui.expansion(t('代居民评价'), icon='edit_note').classes('w-full text-lg').mark('record-for'):
        ui.label(t('没有手机的居民，可以由工作人员问过后代录')).classes('gs-muted')

        def picked(resident_id: int, name: str) -> None:
            _record_dialog(user, data, resident_id, name, stage, refresh)

        resident_finder(user, data.community_id, placeholder=t('姓名、电话或房号'), pick_label=t('代评'),
                        marker='record-finder', pick_marker='record-pick', on_pick=picked)


def _record_dialog(user: Principal, data: rating_views.SurveyRatings, resident_id: int, name: str,
                   stage: ui.element, refresh: Callable[[], object]) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('代 {name} 评价', name=name)).classes('text-lg font-bold')
        value = ui.toggle({k: t(v) for k, v in satisfaction.VALUES.items()}, value=None) \
            .props('spread no-caps').classes('w-full text-lg').mark('record-value')
        comment = ui.textarea(t('意见或建议')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={satisfaction.MAX_COMMENT}').mark('record-comment')
        problem = problem_label()

        async def act() -> None:
            await ratings.record_for(user, data.result.survey_id, resident_id, value=value.value or '',
                                     comment=comment.value or '')
            refresh()

        dialog_buttons(dialog, problem, act, marker='record-ok', ok=t('保存'), done=t('已代录'))
    dialog.open()


# ---- the community's rounds ----

def _card(user: Principal, card: rating_views.RoundCard) -> None:
    result = card.result
    path = f'/projects/{int(card.target_id)}' if card.kind == 'project' else f'/wishes/{int(card.target_id)}'
    with ui.card().classes('gs-card w-full gap-1').mark(f'round-card-{result.survey_id}'):
        with ui.link(target=path).classes('no-underline text-black'):
            kind = t('项目') if card.kind == 'project' else t('微心愿')
            ui.label(f'{kind} · {card.title}').classes('text-lg font-bold break-all')
        if result.is_open:
            state = t('已评价') if card.rated else (t('邀请您评价') if card.invited else t('评价中'))
            ui.label(t('第{round}轮 · {state} · 已有 {n} 人评价', round=result.round, state=state,
                       n=result.counts.total)).classes('text-base text-primary')
        else:
            ui.label(t('第{round}轮：满意度 {rate}，{verdict}', round=result.round, rate=result.percent,
                       verdict=t(result.verdict_label))).classes('text-base')
        if can(user, 'rating.read', card.community_id):
            target = f'/projects/{int(card.target_id)}/ratings' if card.kind == 'project' \
                else f'/ratings/{int(result.survey_id)}'
            ui.link(t('查看全部评价和意见'), target).classes('text-base').mark(f'round-all-{result.survey_id}')


def register() -> None:
    ui.page('/projects/{project_id}/ratings')(project_ratings_page)
    ui.page('/ratings/{survey_id}')(survey_page)
    ui.page('/ratings')(rounds_page)
