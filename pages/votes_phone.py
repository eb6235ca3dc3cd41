"""/votes/{id}: the ballot on a phone, for a 70-year-old on a cheap Android — large type, at most three taps (choose,
投票, 确认 in a dialog that repeats the choice), then the receipt code, large. A refusal always says why; a household
member sees who voted for the household. (The receipt check is in pages/votes_result.py.)

Hundreds of phones hold this page during a vote, so it stays light: few elements, the option buttons built once,
and live updates (components.vote_live: one recount for all phones) only change label texts and bar widths.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from fractions import Fraction

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session, vote_live
from components.admin import not_found
from components.frame import frame
from components.signin import login_redirect
from components.vote_bars import Bar, BarList, bars_of
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from domain.votes import VERDICTS
from services import audit, ballot_views, ballots, tallies, vote_views
from services.tallies import TallyView
from services.vote_views import VoteView

NOT_FOUND = '找不到这次表决'
DONE = ('closed', 'final', 'annulled')  # a result exists
CARD = 'gs-card w-full gap-2 items-center py-4'


def vote_number(text: str) -> int | None:
    """The id in the address, or None for anything that is not a plain number (→ 找不到)."""
    return int(text) if text.isdecimal() and len(text) < 10 else None


async def load_view(user: Principal, vote_id: str) -> VoteView | None:
    number = vote_number(vote_id)
    if number is None:
        return None
    try:
        return await vote_views.vote_view(user, number)
    except DomainError:
        return None


def turnout_text(counting: str, tally: TallyView) -> str:
    if counting == 'household':
        return t('已投 {n} 户（共 {total} 户）', n=tally.result.voted_heads, total=tally.result.total_heads)
    return t('已投 {n} 人（共 {total} 人）', n=tally.result.voted_heads, total=tally.result.total_heads)


def time_left(closes_at: datetime, at: datetime) -> str:
    seconds = int((closes_at - at).total_seconds())
    if seconds <= 0:
        return t('已到截止时间')
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return t('还剩 {d} 天 {h} 小时', d=days, h=hours)
    if hours:
        return t('还剩 {h} 小时 {m} 分钟', h=hours, m=minutes)
    return t('还剩 {m} 分钟', m=max(minutes, 1))


def verdict_text(state: str, verdict: str | None) -> str:
    if state == 'cancelled':
        return t('表决已取消')
    if state == 'annulled':
        return t('表决结果已作废')
    return t('表决结果：{verdict}', verdict=t(VERDICTS.get(verdict or '', '')))


async def phone_page(vote_id: str) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:  # a phone that scanned the QR signs in and comes straight back
        return login_redirect(f'/votes/{vote_number(vote_id) or ""}'.rstrip('/'))
    view = await load_view(user, vote_id)
    if view is None:
        with frame(t('表决'), user=user, active='votes', back='/votes'):
            not_found(t(NOT_FOUND))
        return None
    tally: TallyView | None = None
    if view.state != 'open':  # frozen at close: one row; an open vote's count comes from the live hub below
        try:
            tally = await tallies.current_tally(view.id)
        except DomainError:
            tally = None
    # no back arrow and no bottom bar: the phone's own back does it, and each element costs memory on every phone
    with frame(t('表决'), user=user, nav=False) as page:
        ui.label(view.title).classes('text-2xl font-bold break-all').mark('vote-title')
        # the question and the rule in one label (each element costs memory on each of hundreds of phones)
        ui.label('\n'.join(p for p in (view.description, view.rule_text) if p)) \
            .classes('text-lg break-all whitespace-pre-line').mark('vote-rule')
        # turnout and time left in one label, the only text the live updates rewrite
        line = ui.label(_line(view, tally, view.state, audit.now())).classes('text-lg font-bold whitespace-pre-line') \
            .mark('vote-turnout')
        bars: list[BarList] = []
        if tally is not None and not _hidden(view, tally):
            bars.append(BarList(bars_of(tally.result, final=tally.state != 'open'), marker='vote-bar', parent=page))
        elif tally is None and view.state == 'open' and view.results_live:  # zeros until the hub's first push
            zeros = [Bar(o.label if o.kind == 'choice' else t(o.label), 0, Fraction(0)) for o in view.options]
            bars.append(BarList(zeros, marker='vote-bar', parent=page))
        ballot = _Ballot(user, view, page)
        await ballot.draw()
        if view.may_manage:
            ui.link(t('管理这次表决'), f'/votes/{view.id}/manage').classes('text-lg').mark('vote-manage-link')

        def update(fresh: TallyView) -> None:
            line.text = _line(view, fresh, fresh.state, fresh.at)
            if fresh.state != 'open':
                ballot.ended(fresh)
            if not _hidden(view, fresh):
                if bars:
                    bars[0].update(bars_of(fresh.result, final=fresh.state != 'open'))
                else:  # hidden until the close that just came: under the verdict
                    bars.append(BarList(bars_of(fresh.result, final=fresh.state != 'open'), marker='vote-bar',
                                        parent=page))

        if view.state == 'open':
            # no recount per phone: hundreds opening the page at once share the hub's coalesced recounts
            vote_live.watch(view.id, update, initial=True)
    return None


def _hidden(view: VoteView, tally: TallyView) -> bool:
    """No option figures: hidden until close, and never for a cancelled vote that hid them (it never closed)."""
    return tally.hidden or (tally.state == 'cancelled' and not view.results_live)


def _line(view: VoteView, tally: TallyView | None, state: str, at: datetime) -> str:
    clock = _clock_text(view, state, at)
    return f'{turnout_text(view.counting, tally)}\n{clock}' if tally is not None else clock


def _clock_text(view: VoteView, state: str, at: datetime) -> str:
    if state in ('draft', 'open') and at < view.opens_at:
        return t('{at} 开始', at=local_time(view.opens_at))
    if state == 'open':
        return t('{left}（{at} 截止）', left=time_left(view.closes_at, at), at=local_time(view.closes_at))
    if state == 'draft':
        return t('尚未开始')
    if state == 'cancelled':
        return t('已取消')
    # closed while the page was open: the view is older than the close; the recount came just after it
    return t('已于 {at} 结束', at=local_time(view.closed_at or min(at, view.closes_at)))


class _Ballot:
    """The end of the page, which changes as the person votes: the options (built once, freed after the ballot)
    or a card — the receipt, who voted for the household, why not, the verdict. They sit straight in the page,
    without a container: one element fewer on each of hundreds of phones."""

    def __init__(self, user: Principal, view: VoteView, page: ui.element) -> None:
        self.user = user
        self.view = view
        self.page = page  # dialogs are drawn here
        self.labels = {o.id: o.label if o.kind == 'choice' else t(o.label) for o in view.options}
        self.chosen: list[int] = []
        self.buttons: dict[int, ui.button] = {}
        self.counter: ui.label | None = None
        self.submit: ui.button | None = None  # set while the options are shown
        self.again: ui.button | None = None
        self.dialog: ui.dialog | None = None  # the open 确认 dialog: a double tap on 投票 opens one
        self.items: list[ui.element] = []  # what _clear removes
        self.over = False

    async def draw(self) -> None:
        view, user = self.view, self.user
        if view.state in DONE or view.state == 'cancelled':
            self.over = True
            self._verdict(view.state, None)
        mine = await ballot_views.my_ballot(user, view.id)
        if mine is not None and not mine.mine:
            with self.page:
                self._notice('home', t('本户已由 {name} 投票', name=mine.voter_name), 'bg-blue-1', 'vote-household')
            return
        if mine is not None:
            self._receipt(mine.receipt, mine.choices, again=mine.may_change and not self.over)
            return
        if self.over:
            return
        reasons = await ballots.why_cannot_vote(user, view.id)
        if reasons:
            self._refusal(reasons)
            return
        self._options()

    def _clear(self) -> None:
        for item in self.items:
            if not item.is_deleted:
                item.delete()
        self.items = []
        self.buttons, self.counter, self.submit, self.again = {}, None, None, None

    # ---- the cards ----

    def _notice(self, icon: str, text: str, colour: str, marker: str) -> None:
        with ui.card().classes(f'{CARD} {colour}').props('role=status').mark(marker) as card:
            self.items.append(card)
            ui.icon(icon).classes('text-5xl')
            ui.label(text).classes('text-2xl font-bold text-center break-all')

    def _refusal(self, reasons: list[str]) -> None:
        self._clear()
        with self.page, ui.card().classes(f'{CARD} bg-orange-1').props('role=status').mark('vote-refused') as card:
            self.items.append(card)
            ui.icon('block').classes('text-5xl text-negative')
            ui.label(t('您现在不能投票')).classes('text-2xl font-bold')
            for reason in reasons:
                ui.label(reason).classes('text-xl text-center break-all').mark('vote-reason')

    def _verdict(self, state: str, tally: TallyView | None) -> None:
        with self.page, ui.card().classes(f'{CARD} bg-grey-2').mark('vote-verdict'):
            text = verdict_text(state, tally.result.verdict if tally is not None else self.view.verdict)
            ui.label(text).classes('text-3xl font-bold text-center')
            if self.view.state_reason and state in ('cancelled', 'annulled'):
                ui.label(self.view.state_reason).classes('text-lg break-all')
            if state != 'cancelled':
                ui.link(t('查看结果与公示'), f'/votes/{self.view.id}/result').classes('text-xl') \
                    .mark('vote-result-link')

    def _receipt(self, receipt: str, choices: tuple[int, ...], *, again: bool) -> None:
        with self.page, ui.card().classes(f'{CARD} bg-green-1').props('role=status').mark('vote-receipt') as card:
            self.items.append(card)
            ui.icon('task_alt').classes('text-6xl text-positive')
            ui.label(t('您已投票')).classes('text-2xl font-bold')
            if choices:
                ui.label(t('您的选择：{choice}', choice=self._choice_text(choices))).classes('text-xl break-all') \
                    .mark('vote-my-choice')
            ui.label(t('回执码 {code}', code=receipt)).classes('text-3xl font-bold font-mono text-center') \
                .style('letter-spacing: 0.08em').mark('receipt-code')
            ui.label(t('凭回执码可查询您的选票已计入')).classes('text-lg text-center')
            ui.link(t('查询回执'), f'/votes/{self.view.id}/receipt?code={receipt}').classes('text-lg') \
                .mark('receipt-link')
        if again:
            with self.page:
                self.again = ui.button(t('修改选票'), icon='edit', on_click=self._change).props('outline') \
                    .classes('w-full text-xl').mark('vote-change')
            self.items.append(self.again)

    def _choice_text(self, choices: tuple[int, ...] | list[int]) -> str:
        return '、'.join(self.labels.get(c, '') for c in choices)

    def ended(self, tally: TallyView) -> None:
        """The vote closed while the page was open: no more buttons (a receipt stays), the verdict."""
        if self.over:
            return
        self.over = True
        self._drop()
        if self.submit is not None:
            self._clear()
        elif self.again is not None and not self.again.is_deleted:
            self.again.delete()
            self.again = None
        self._verdict(tally.state, tally)

    # ---- the ballot: choose → 投票 → 确认 ----

    def _options(self) -> None:
        view = self.view
        self.chosen = []
        with self.page:
            if view.ballot_type == 'multiple':
                self.counter = ui.label(t('最多选 {k} 项', k=view.max_choices) + '\n'
                                        + t('已选 {n}/{k}', n=0, k=view.max_choices)) \
                    .classes('text-xl font-bold whitespace-pre-line').mark('vote-counter')
                self.items.append(self.counter)
            for option in view.options:
                self.buttons[option.id] = ui.button(self.labels[option.id], on_click=lambda o=option.id: self._tap(o)) \
                    .props('outline no-caps').classes('w-full text-2xl py-4').mark(f'option-{option.id}')
            self.submit = ui.button(t('投票'), icon='how_to_vote', on_click=self._ask) \
                .props('unelevated size=lg').classes('w-full text-2xl py-4').mark('vote-submit')
            self.submit.disable()
        self.items += [*self.buttons.values(), self.submit]

    def _tap(self, option_id: int) -> None:
        if self.view.ballot_type != 'multiple':
            self.chosen = [option_id]
        elif option_id in self.chosen:
            self.chosen.remove(option_id)
        elif len(self.chosen) >= self.view.max_choices:
            ui.notify(t('最多选 {k} 项', k=self.view.max_choices), type='warning')
            return
        else:
            self.chosen.append(option_id)
        for key, button in self.buttons.items():
            if key in self.chosen:
                button.props(remove='outline').props('unelevated icon=check aria-pressed=true')
            else:
                button.props(remove='unelevated icon').props('outline aria-pressed=false')
        if self.counter is not None:
            self.counter.text = t('最多选 {k} 项', k=self.view.max_choices) + '\n' \
                + t('已选 {n}/{k}', n=len(self.chosen), k=self.view.max_choices)
        if self.submit is not None:
            self.submit.set_enabled(bool(self.chosen))

    def _ask(self) -> None:
        if not self.chosen or (self.dialog is not None and not self.dialog.is_deleted):
            return
        choices = tuple(sorted(self.chosen))
        nonce = uuid.uuid4().hex  # one per attempt: a double tap or a resend on reconnect casts once
        with self.page, ui.dialog().props('persistent') as dialog, ui.card().classes('gs-card w-full max-w-sm'):
            self.dialog = dialog
            ui.label(t('请确认您的选择')).classes('text-xl font-bold')
            ui.label(self._choice_text(choices)).classes('text-3xl font-bold text-primary break-all') \
                .mark('vote-confirm-choice')
            ui.label(t('截止前可以修改。') if self.view.allow_change else t('投出后不能修改。')).classes('text-lg')
            with ui.row().classes('w-full justify-end gap-2 no-wrap'):
                ui.button(t('取消'), on_click=self._drop).props('flat').classes('text-xl')
                ok = ui.button(t('确认'), on_click=lambda: self._cast(ok, choices, nonce)) \
                    .props('unelevated').classes('text-xl').mark('vote-confirm')
        dialog.open()

    async def _cast(self, ok: ui.button, choices: tuple[int, ...], nonce: str) -> None:
        ok.disable()
        try:
            result = await ballots.cast_ballot(self.user, self.view.id, choices, nonce=nonce)
        except DomainError as e:
            self._drop()
            if e.code in ('no_choice', 'unknown_option', 'too_many_choices', 'duplicate_choice', 'no_change', 'busy',
                          'invalid_nonce'):
                ui.notify(e.message, type='warning', multi_line=True)
                return
            self._refusal([e.message])
            return
        self._drop()
        self._clear()  # the buttons are freed: hundreds of phones hold this page
        self._receipt(result.receipt, choices, again=self.view.allow_change and not self.over)

    def _drop(self) -> None:
        """Close and free the 确认 dialog (a second tap finds it gone and does nothing more)."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None and not dialog.is_deleted:
            dialog.close()
            dialog.delete()

    def _change(self) -> None:
        self._clear()
        self._options()


def register() -> None:
    ui.page('/votes/{vote_id}')(phone_page)
