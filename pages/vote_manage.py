"""/votes/{id}/manage: the organiser's desk — state, roll, ballots counted so far, 开始 / 结束 / 取消 / 确认生效 each
with what still blocks it, links to the other vote screens, and the objections to answer.
/votes/{id}/paper: staff type in paper and proxy ballots, each with its sheet number; the sheets entered so far.
"""
from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import no_permission, not_found, problem_label, reason_dialog, show_problem, stat
from components.confirm import confirm
from components.frame import frame
from components.live import on_event
from components.resident_finder import resident_finder
from components.signin import login_redirect
from components.vote_form import area_m2
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from pages.votes import NOT_FOUND, vote_number
from services import audit, ballot_views, ballots, objections, tallies, vote_views, votes
from services.vote_views import VoteView

PEOPLE_FOUND = 8


async def _open(path: str, vote_id: str, title: str, allowed: Callable[[VoteView], bool],
                draw: Callable[[Principal, VoteView], Awaitable[None]]) -> RedirectResponse | None:
    """Sign in, find the vote (a bad address: not found), refuse those `allowed` turns away, then draw."""
    user = await session.current_user()
    number = vote_number(vote_id)
    if not user.is_authenticated:
        return login_redirect(f'/votes/{number}/{path}' if number else '/votes')
    with frame(t(title), user=user, active='votes', back='/votes'):
        try:
            if number is None:
                raise DomainError('not_found', NOT_FOUND)
            view = await vote_views.vote_view(user, number)
        except DomainError:
            not_found(t(NOT_FOUND))
            return None
        if not allowed(view):
            no_permission()
            return None
        await draw(user, view)
    return None


async def manage_page(vote_id: str) -> RedirectResponse | None:
    return await _open('manage', vote_id, '管理表决', lambda v: v.may_manage or v.may_answer, _manage)


async def _manage(user: Principal, first: VoteView) -> None:
    stage = ui.element()  # dialogs live outside the redrawn part

    @ui.refreshable
    async def content() -> None:
        view = await vote_views.vote_view(user, first.id)
        _summary(view, (await tallies.current_tally(view.id)).counted)
        if view.may_manage:
            await _buttons(user, view, stage, content.refresh)
        _links(view)
        await _objections(user, view, content.refresh)

    await content()

    def this_vote(event) -> bool:
        return event.payload.get('vote_id') == first.id

    on_event('vote.changed', lambda _e: content.refresh(), community_id=first.community_id, where=this_vote)
    on_event('vote.ballot', lambda _e: content.refresh(), community_id=first.community_id, where=this_vote,
             at_most_every=2)


def _summary(view: VoteView, counted: int) -> None:
    with ui.card().classes('gs-card w-full gap-1'):
        ui.label(view.title).classes('text-xl font-bold break-all').mark('vote-title')
        ui.badge(t(view.state_label)).classes('text-base').mark('vote-state')
        ui.label(t('{opens} 至 {closes}', opens=local_time(view.opens_at), closes=local_time(view.closes_at))) \
            .classes('text-base')
        ui.label(' · '.join(p for p in (t(view.electorate_label), t(view.counting_label), t(view.rule_label)) if p)) \
            .classes('gs-muted')
        if view.state_reason:
            ui.label(t('原因：{reason}', reason=view.state_reason)).classes('text-negative').mark('state-reason')
        if view.verdict_label:
            ui.label(t('结果：{verdict}', verdict=t(view.verdict_label))).classes('text-lg font-bold') \
                .mark('vote-verdict')
        if view.publicity_ends_at is not None and view.state == 'closed':
            ui.label(t('公示到 {at}', at=local_time(view.publicity_ends_at))).classes('text-base')
        with ui.row().classes('w-full no-wrap'):
            stat(view.roll_heads, t('名册人数'))
            if view.counting == 'owner':  # owners count by head and by exclusive area
                stat(area_m2(view.roll_area), t('总面积（㎡）'))
            stat(counted, t('已计入的票'))


async def _buttons(user: Principal, view: VoteView, stage: ui.element, refresh: Callable) -> None:
    async def run(act: Callable[[], Awaitable[object]], done: str) -> None:
        try:
            await act()
        except DomainError as e:
            ui.notify(e.message, type='warning', multi_line=True)
        else:
            ui.notify(done, type='positive')
        refresh()

    async def start() -> None:
        if await confirm(t('现在开始表决？开始后名册固定，不能再修改表决内容。'), danger=False):
            await run(lambda: votes.open_vote(user, view.id), t('表决已开始'))

    async def close() -> None:
        if audit.now() < view.closes_at:  # before the deadline: the organiser says why
            reason_dialog(stage, t('提前结束表决'), t('还没到截止时间。提前结束需要写明原因，原因会公示。'),
                          lambda reason: _after(votes.close_vote(user, view.id, reason=reason), refresh),
                          max_length=votes.MAX_REASON, field_marker='close-reason', marker='close-ok',
                          ok=t('结束表决'), done=t('表决已结束'))
        elif await confirm(t('结束表决并计票？'), danger=False):
            await run(lambda: votes.close_vote(user, view.id), t('表决已结束'))

    def cancel() -> None:
        reason_dialog(stage, t('取消表决'), t('取消后这次表决不再进行，原因会告诉大家。'),
                      lambda reason: _after(votes.cancel_vote(user, view.id, reason=reason), refresh),
                      max_length=votes.MAX_REASON, field_marker='cancel-reason', marker='cancel-ok',
                      ok=t('取消表决'), done=t('已取消'))

    async def finalise() -> None:
        if await confirm(t('公示已结束，确认结果生效？'), danger=False):
            await run(lambda: votes.finalise_vote(user, view.id), t('结果已生效'))

    if view.state == 'draft':
        ui.button(t('修改表决内容'), icon='edit', on_click=lambda: ui.navigate.to(f'/votes/{int(view.id)}/edit')) \
            .props('outline').classes('w-full text-lg').mark('vote-edit')
        _guarded(t('开始表决'), 'play_arrow', start, await votes.why_cannot_open(view.id), 'vote-open')
    if view.state == 'open':
        _guarded(t('结束表决'), 'stop', close, await votes.why_cannot_close(view.id), 'vote-close')
    if view.state == 'closed':
        _guarded(t('确认生效'), 'verified', finalise, await votes.why_cannot_finalise(view.id), 'vote-finalise')
    if view.state in ('draft', 'open'):
        ui.button(t('取消表决'), icon='block', on_click=cancel).props('outline color=negative') \
            .classes('w-full text-lg').mark('vote-cancel')


async def _after(work: Awaitable[object], refresh: Callable) -> None:
    await work
    refresh()


def _guarded(label: str, icon: str, action: Callable, reasons: list[str], marker: str) -> None:
    """A button that is disabled while something blocks it, with every reason written underneath."""
    button = ui.button(label, icon=icon, on_click=action).props('unelevated').classes('w-full text-lg').mark(marker)
    button.set_enabled(not reasons)
    for reason in reasons:
        ui.label(reason).classes('text-negative text-base').mark(f'{marker}-why')


def _links(view: VoteView) -> None:
    base = f'/votes/{int(view.id)}'
    links = [(t('投票页'), 'smartphone', base), (t('投屏'), 'cast', f'{base}/screen'),
             (t('结果'), 'bar_chart', f'{base}/result'), (t('公示'), 'print', f'{base}/notice')]
    if view.may_enter and view.channels & {'paper', 'proxy'} and view.state == 'open':
        links.append((t('录入纸质选票'), 'edit_note', f'{base}/paper'))
    with ui.row().classes('w-full gap-2'):
        for label, icon, path in links:
            with ui.link(target=path).classes('no-underline').mark(f'link-{path.rsplit("/", 1)[1]}'):
                ui.button(label, icon=icon).props('outline no-caps').classes('text-base')


async def _objections(user: Principal, view: VoteView, refresh: Callable) -> None:
    if view.state not in ('closed', 'final', 'annulled'):  # objections come only during 公示
        return
    rows = await objections.objections(user, view.id)
    if not rows:
        return
    ui.label(t('异议')).classes('text-lg font-bold pt-2')
    for row in rows:
        with ui.card().classes('gs-card w-full gap-1').mark(f'objection-{row.id}'):
            ui.label(row.text).classes('text-base whitespace-pre-wrap break-all')
            ui.label(t('{who} 提出于 {at}', who=row.author_label, at=local_time(row.created_at))) \
                .classes('gs-muted text-sm')
            if row.answered_at is not None:
                verdict = t('异议成立') if row.upheld else t('异议不成立')
                ui.label(t('答复（{verdict}）：{answer}', verdict=verdict, answer=row.answer or '')) \
                    .classes('text-base whitespace-pre-wrap break-all').mark(f'answer-{row.id}')
            elif view.may_answer:
                _answer_form(user, row.id, refresh)


def _answer_form(user: Principal, objection_id: int, refresh: Callable) -> None:
    text = ui.textarea(t('答复')).props('outlined autogrow maxlength=1000').classes('w-full text-base') \
        .mark(f'answer-text-{objection_id}')
    problem = problem_label()

    async def answer(upheld: bool) -> None:
        if upheld and not await confirm(t('认定异议成立？这次表决结果将作废。')):
            return
        try:
            await objections.answer_objection(user, objection_id, answer=text.value or '', upheld=upheld)
        except DomainError as e:
            show_problem(problem, e)
            return
        ui.notify(t('已答复'), type='positive')
        refresh()

    with ui.row().classes('w-full gap-2'):
        ui.button(t('异议不成立'), on_click=lambda: answer(False)).props('unelevated').classes('text-lg') \
            .mark(f'dismiss-{objection_id}')
        ui.button(t('异议成立'), on_click=lambda: answer(True)).props('outline color=negative').classes('text-lg') \
            .mark(f'uphold-{objection_id}')


async def paper_page(vote_id: str) -> RedirectResponse | None:
    return await _open('paper', vote_id, '录入纸质选票', lambda v: v.may_enter, _paper)


async def _paper(user: Principal, view: VoteView) -> None:
    with ui.card().classes('gs-card w-full gap-1'):
        ui.label(view.title).classes('text-lg font-bold break-all').mark('vote-title')
        ui.label(t(view.state_label)).classes('gs-muted')
    chosen: dict[str, object] = {'elector': None, 'proxy': None, 'nonce': secrets.token_urlsafe(12), 'busy': False}

    ui.label(t('1. 找到投票人')).classes('text-lg font-bold')
    with ui.row().classes('w-full gap-2 no-wrap items-center'):
        query = ui.input(t('姓名、房号或手机尾号')).classes('grow text-lg').props('outlined dense') \
            .mark('elector-search')
        find = ui.button(t('查找'), icon='search').props('outline').mark('elector-find')
    found = ui.column().classes('w-full gap-1')
    picked = ui.label(t('还没有选投票人')).classes('text-lg font-bold text-primary').mark('elector-picked')

    def pick(row: ballot_views.ElectorRow) -> None:
        chosen['elector'] = row
        picked.text = t('投票人：{label}', label=' '.join(p for p in (row.label, row.detail) if p))
        found.clear()

    async def search() -> None:
        try:
            rows = await ballot_views.find_electors(user, view.id, query.value or '')
        except DomainError as e:
            ui.notify(e.message, type='warning')
            return
        found.clear()
        with found:
            if not rows:
                ui.label(t('名册里没有找到')).classes('gs-muted')
            for row in rows:
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.label(' '.join(p for p in (row.label, row.detail) if p)).classes('text-base')
                    if row.voted:
                        ui.label(t('已投票')).classes('gs-muted').mark(f'voted-{row.id}')
                    else:
                        ui.button(t('选择'), on_click=lambda _e, r=row: pick(r)).props('flat') \
                            .mark(f'elector-{row.id}')

    find.on_click(search)
    query.on('keydown.enter', search)

    ui.label(t('2. 选票上选的是')).classes('text-lg font-bold')
    options = {o.id: t(o.label) for o in view.options}
    if view.ballot_type == 'multiple':
        ticks = {o.id: ui.checkbox(t(o.label)).classes('text-lg').mark(f'choice-{o.id}') for o in view.options}
        ui.label(t('最多选 {k} 项', k=view.max_choices)).classes('gs-muted')

        def choices() -> list[int]:
            return [i for i, box in ticks.items() if box.value]

        def clear_choices() -> None:
            for box in ticks.values():
                box.value = False
    else:
        radio = ui.radio(options).props('size=lg').classes('text-lg').mark('choices')

        def choices() -> list[int]:
            return [radio.value] if radio.value is not None else []

        def clear_choices() -> None:
            radio.value = None

    ui.label(t('3. 纸质选票编号')).classes('text-lg font-bold')
    sheet = ui.input(t('纸质选票编号')).props('outlined maxlength=30').classes('w-full text-lg').mark('sheet-no')
    proxy_line = await _proxy_picker(user, view, chosen) if 'proxy' in view.channels else None
    problem = problem_label().mark('paper-problem')

    @ui.refreshable
    async def entered() -> None:
        rows = await ballot_views.entered_sheets(user, view.id)
        ui.label(t('已录入 {n} 张', n=len(rows))).classes('text-lg font-bold pt-2').mark('entered-count')
        for row in rows:
            with ui.row().classes('w-full gap-2 no-wrap').mark(f'sheet-{row.sheet_no}'):
                ui.label(row.sheet_no or '').classes('text-base font-bold')
                proxy = t('受托人：{name}', name=row.proxy_name) if row.proxy_name else ''
                ui.label(' · '.join(p for p in (row.elector_label, proxy,
                                                row.entered_by, local_time(row.cast_at)) if p)) \
                    .classes('gs-muted text-sm break-all')

    async def enter() -> None:
        if chosen['busy']:
            return
        elector = chosen['elector']
        if elector is None:
            show_problem(problem, DomainError('no_elector', '请先找到并选择投票人'))
            return
        chosen['busy'] = True
        try:
            await ballots.enter_paper_ballot(
                user, view.id, elector_id=elector.id, choices=choices(), sheet_no=(sheet.value or '').strip(),
                nonce=str(chosen['nonce']), proxy_resident_id=chosen['proxy'])
        except DomainError as e:
            show_problem(problem, e)
            return
        finally:
            chosen['busy'] = False
        show_problem(problem, None)
        ui.notify(t('已录入：{label}', label=elector.label), type='positive')
        # the next sheet is a new entry with its own nonce
        chosen.update(elector=None, proxy=None, proxy_name='', nonce=secrets.token_urlsafe(12))
        picked.text = t('还没有选投票人')
        sheet.value = query.value = ''
        clear_choices()
        if proxy_line is not None:
            proxy_line.text = ''
        entered.refresh()

    ui.button(t('录入'), icon='input', on_click=enter).props('unelevated').classes('w-full text-xl') \
        .mark('paper-enter')
    await entered()


async def _proxy_picker(user: Principal, view: VoteView, chosen: dict) -> ui.label:
    """委托投票: the resident who brought the sheet for someone else (受托人), found by name or room."""
    ui.label(t('4. 委托投票（可不填）')).classes('text-lg font-bold')
    def pick(resident_id: int, name: str) -> None:
        chosen.update(proxy=resident_id, proxy_name=name)
        line.text = t('受托人：{name}', name=name)
        found.clear()

    found = resident_finder(user, view.community_id, placeholder=t('受托人姓名或房号'), pick_label=t('选为受托人'),
                            marker='proxy', pick_marker='proxy', on_pick=pick, per_page=PEOPLE_FOUND)
    line = ui.label('').classes('text-lg text-primary').mark('proxy-picked')
    return line


def register() -> None:
    ui.page('/votes/{vote_id}/manage')(manage_page)
    ui.page('/votes/{vote_id}/paper')(paper_page)
