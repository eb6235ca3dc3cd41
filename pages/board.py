"""The public board (公开栏), readable without signing in: /board/{community_id} lists a community's projects;
/board/project/{project_id} is one project — where the site poster's QR leads. While a project is being rated the
three rating buttons come first, so a resident who scans on site is one tap from rating."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components import session
from components.admin import not_found
from components.frame import empty_state, frame
from components.live import on_event
from components.pledge_panel import pledge_section
from components.project_money import money_section
from components.project_progress import progress_section
from components.rating_panel import rating_section
from domain import satisfaction
from domain.errors import DomainError
from domain.i18n import t
from domain.money import yuan
from domain.permissions import Principal
from services import board

Section = Callable[..., Awaitable[None]]  # (user, project_id, *, public) — the four section components


BUSY_TIMEOUT = 20.0  # seconds a board page may take to build under load


async def project_page(project_id: int, v: str | None = None) -> None:
    user = await session.current_user()
    try:
        head = await board.project_board(project_id)
    except DomainError as e:
        _missing(user, e)
        return
    project = head.summary
    with frame(t('公开栏'), user=user, back=f'/board/{int(project.community_id)}', nav=user.is_authenticated):
        if v is not None and v != str(head.qr_version):  # the poster's version, from its QR
            ui.label(t('这张海报已更换，请以现场的新海报为准。下面仍是这个项目的最新情况。')) \
                .classes('gs-muted text-base').props('role=status').mark('board-old-poster')
        ui.label(project.title).classes('text-2xl font-bold break-all').mark('board-title')

        @ui.refreshable
        async def summary() -> None:
            try:
                _summary(await board.project_board(project_id))
            except DomainError as e:
                not_found(e.message)

        sections = _sections(project.state)
        if head.rating_open:  # the QR on site: a resident must reach the three buttons within seconds
            await sections.pop()(user, project_id, public=True)
        await summary()
        for section in sections:
            await section(user, project_id, public=True)
        on_event('project.*', lambda _: summary.refresh(), community_id=project.community_id, at_most_every=1,
                 where=lambda event: event.payload.get('project_id') == project_id)


async def community_page(community_id: int) -> None:
    user = await session.current_user()
    try:
        data = await board.community_board(community_id)
    except DomainError as e:
        _missing(user, e)
        return
    with frame(t('公开栏'), user=user, nav=user.is_authenticated):
        @ui.refreshable
        async def content() -> None:
            try:
                _community(await board.community_board(community_id))
            except DomainError as e:
                not_found(e.message)

        await content()
        for pattern in ('project.*', 'budget.changed', 'survey.closed'):
            on_event(pattern, lambda _: content.refresh(), community_id=data.community_id, at_most_every=2)


def _community(data: board.CommunityBoard) -> None:
    ui.label(t('{community}公开栏', community=data.community_name)).classes('text-2xl font-bold break-all') \
        .mark('board-community')
    ui.label(t('民事民办、民事民评：项目进度、经费收支和满意度，人人可看。')).classes('gs-muted')
    with ui.card().classes('gs-card w-full gap-1').mark('board-totals'):
        with ui.row().classes('w-full no-wrap gap-2'):
            _stat(str(len(data.projects)), t('个项目'))
            _stat(yuan(data.budget), t('预算（元）'))
            _stat(yuan(data.spent), t('已支出（元）'))
        use = data.allowance
        ui.label(t('{year}年惠民资金 {allowance} 元：已安排给项目 {committed} 元，已支出 {spent} 元，尚余 {left} 元',
                   year=use.year, allowance=yuan(use.allowance), committed=yuan(use.committed), spent=yuan(use.spent),
                   left=yuan(use.left))).classes('text-base' + (' text-negative font-bold' if use.over else '')) \
            .mark('board-allowance')
    if not data.projects:
        empty_state(t('还没有公开的项目'), icon='construction')
        return
    for line in data.projects:
        _project_card(line)


def _project_card(line: board.BoardLine) -> None:
    # the target is built from an integer id, never from user input
    with ui.link(target=f'/board/project/{int(line.id)}').classes('w-full no-underline text-inherit') \
            .mark('board-project'):
        with ui.card().classes('gs-card w-full gap-1'):
            ui.label(line.title).classes('text-lg font-bold break-all')
            with ui.row().classes('items-center gap-2'):
                ui.label(t(line.state_label)).classes('text-primary font-bold')
                if line.status_label:
                    ui.label(t(line.status_label)).classes('gs-muted')
            if line.site:
                ui.label(line.site).classes('gs-muted break-all')
            _progress(line.progress)
            ui.label(t('预算 {budget} 元 · 已支出 {spent} 元', budget=yuan(line.money.budget),
                       spent=yuan(line.money.spent))).classes('text-base').mark('board-money')
            if line.rating is not None:
                ui.label(_rating_text(line.rating)).classes('text-base').mark('board-rating')


def _summary(head: board.ProjectBoard) -> None:
    project = head.summary
    with ui.card().classes('gs-card w-full gap-1').mark('board-summary'):
        with ui.row().classes('items-baseline gap-x-3 gap-y-0'):  # the progress section below draws the bar
            ui.label(t(project.state_label)).classes('text-primary text-lg font-bold').mark('board-state')
            if project.status_label:
                ui.label(t(project.status_label)).classes('gs-muted')
            ui.label(t('进度 {progress}%', progress=project.progress)).classes('text-lg font-bold') \
                .mark('board-progress')
        if head.cancel_reason:
            ui.label(t('撤销原因：{reason}', reason=head.cancel_reason)) \
                .classes('text-base text-negative break-all whitespace-pre-wrap').mark('board-cancelled')
        if project.site or project.compound_name:
            ui.label(t('地点：{place}', place=project.site or project.compound_name)).classes('text-base break-all')
        ui.label(t('牵头单位：{org}', org=project.lead_org)).classes('text-base break-all')
        if project.lead_person or project.lead_phone:
            ui.label(t('联系人：{name} {phone}', name=project.lead_person, phone=project.lead_phone)) \
                .classes('text-base break-all').mark('board-contact')
        if project.decision:
            ui.label(t('依据：{decision}', decision=project.decision)).classes('text-base break-all') \
                .mark('board-decision')
        if project.summary:
            ui.label(project.summary).classes('text-base break-all whitespace-pre-wrap')


def _sections(state: str) -> list[Section]:
    """The four sections in their usual order; a cancelled project keeps its record but asks for nothing more."""
    order = [progress_section, money_section, pledge_section, rating_section]
    return order[:2] if state == 'cancelled' else order


def _missing(user: Principal, error: DomainError) -> None:
    """The friendly not-found page, with the HTTP status a crawler or a link checker understands."""
    ui.context.client.status_code = 404
    with frame(t('公开栏'), user=user, nav=user.is_authenticated):
        not_found(error.message)
        ui.link(t('回首页'), '/').classes('text-lg')


def _progress(value: int) -> None:
    with ui.row().classes('w-full items-center no-wrap gap-2').mark('board-progress'):
        ui.linear_progress(value=max(0, min(100, value)) / 100, show_value=False, size='10px') \
            .classes('grow min-w-0').props('rounded color=primary')
        ui.label(t('进度 {progress}%', progress=value)).classes('text-base font-bold whitespace-nowrap')


def _stat(value: str, caption: str) -> None:
    with ui.column().classes('items-center gap-0 grow min-w-0'):
        ui.label(value).classes('text-lg font-bold break-all text-center')
        ui.label(caption).classes('gs-muted text-sm')


def _rating_text(result: board.RoundLine) -> str:
    counts = result.counts
    text = t('满意度 {rate}（第{round}轮：满意 {satisfied} · 基本满意 {fair} · 不满意 {unsatisfied}）',
             rate=satisfaction.percent(result.rate), round=result.round, satisfied=counts.satisfied,
             fair=counts.fair, unsatisfied=counts.unsatisfied)
    verdict = satisfaction.VERDICTS.get(result.verdict or '')
    return f'{text} {t(verdict)}' if verdict else text


def register() -> None:
    # a crowd scanning the site poster at once: a page that takes longer than NiceGUI's 3 s default is still sent
    # (people wait a little) instead of failing with a 500 — bench/rating_site.py --per-second 50
    ui.page('/board/project/{project_id}', title='共商 · 公开栏', response_timeout=BUSY_TIMEOUT)(project_page)
    ui.page('/board/{community_id}', title='共商 · 公开栏', response_timeout=BUSY_TIMEOUT)(community_page)
