"""/projects/{project_id}/money: staff keep a project's books — add a budget line, record a spending with a photo
of the receipt, void a mistaken one with a reason. The money section above the forms updates live.

Each form carries a client nonce (a double tap records once). When the service answers 'over_budget', a dialog
shows by how much and asks for the reason; without one nothing is stored. The receipt is checked on arrival
by components.photo_picker, like the photos of /issues/new.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import dialog_buttons, no_permission, not_found, problem_label, show_problem
from components.frame import frame
from components.live import on_event
from components.photo_picker import PhotoPicker
from components.project_money import money_panel
from components.signin import login_redirect
from domain import money as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import LOCAL
from domain.permissions import Principal, can
from domain.projects import WORKING
from services import budget
from services.photos import ProcessedPhoto
from services.project_moves import get_project


def register() -> None:
    ui.page('/projects/{project_id}/money')(money_page)


async def money_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}/money')
    with frame(t('记账'), user=user, active='projects', back=f'/projects/{int(project_id)}'):
        try:
            project = await get_project(project_id)
        except DomainError as e:
            not_found(e.message)
            return None
        if not can(user, 'project.money', project):
            no_permission()
            return None
        ui.label(project.title).classes('text-xl font-bold break-all').mark('project-title')
        stage = ui.element()  # dialogs live here, outside the section a live redraw replaces
        working = project.state in WORKING
        if working:
            books = Books(user, project.id, stage)
            await money_panel(user, project.id, link=False, on_void=books.ask_void)
            await books.draw()
        else:
            ui.label(t('项目已办结或已撤销，账目只能查看')).classes('gs-muted text-lg').mark('money-closed')
            await money_panel(user, project.id, link=False)
    return None


class Books:
    """The bookkeeping forms of one project: their fields, nonces, the receipt picked so far, and busy flags."""

    def __init__(self, user: Principal, project_id: int, stage: ui.element) -> None:
        self.user, self.project_id, self.stage = user, project_id, stage
        self.spend_nonce = uuid.uuid4().hex
        self.line_nonce = uuid.uuid4().hex
        self.busy = False

    async def draw(self) -> None:
        self._spending_form()
        await self._budget_form()
        on_event('budget.changed', lambda _event: self.lines.refresh(), at_most_every=0.5,
                 where=lambda event: event.payload.get('project_id') == self.project_id)

    # ---- a spending ----

    def _spending_form(self) -> None:
        sources = {k: t(v) for k, v in rules.SOURCES.items()}
        with ui.card().classes('gs-card w-full gap-2').mark('spend-form'):
            ui.label(t('记一笔支出')).classes('text-xl font-bold')
            self.source = ui.select(sources, value='huimin', label=t('从哪笔钱里出')).classes('w-full text-lg') \
                .props('outlined').mark('spend-source')
            self.amount = ui.input(t('金额（元）'), placeholder='1,200.50').classes('w-full text-lg') \
                .props('outlined inputmode=decimal maxlength=20').mark('spend-amount')
            self.item = ui.input(t('支出事项'), placeholder=t('买了什么、做了什么')).classes('w-full text-lg') \
                .props(f'outlined maxlength={rules.MAX_ITEM}').mark('spend-item')
            self.payee = ui.input(t('收款方（可不填）')).classes('w-full text-lg') \
                .props(f'outlined maxlength={rules.MAX_PAYEE}').mark('spend-payee')
            self.spent_on = ui.input(t('支出日期'), value=_today().isoformat()).classes('w-full text-lg') \
                .props('outlined type=date').mark('spend-date')
            ui.label(t('票据照片')).classes('text-lg font-bold')
            self.receipt = PhotoPicker(t('拍票据或选择照片'), marker='receipt', single=True)
            self.spend_problem = problem_label()
            self.spend_button = ui.button(t('记账'), icon='receipt_long', on_click=self.record) \
                .classes('w-full text-xl').props('unelevated').mark('spend-submit')

    async def record(self) -> None:
        if self.busy:  # a second tap while the first is still saving
            return
        self.busy = True
        self.spend_button.disable()
        try:
            done = await self._try_record()
        finally:
            self.busy = False
            self.spend_button.enable()
        if done:
            for field in (self.amount, self.item, self.payee):
                field.value = ''
            self.receipt.clear()
            self.spend_nonce = uuid.uuid4().hex
            ui.notify(t('已记账'), type='positive')

    async def _try_record(self) -> bool:
        try:
            await self._send(over_reason=None)
        except DomainError as e:
            if e.code != 'over_budget':
                show_problem(self.spend_problem, e)
                return False
            if not await self._ask_over_reason(e.message):
                show_problem(self.spend_problem, e)
                return False
        show_problem(self.spend_problem, None)
        return True

    async def _send(self, *, over_reason: str | None) -> None:
        await budget.record_spending(
            self.user, self.project_id, source=self.source.value or '', amount=self.amount.value or '',
            item=self.item.value or '', payee=self.payee.value or '', spent_on=_date(self.spent_on.value),
            receipt=self._receipt(), over_reason=over_reason, nonce=self.spend_nonce)

    def _receipt(self) -> tuple[ProcessedPhoto, str] | None:
        return next(((picked.photo, picked.name) for picked in self.receipt.photos), None)

    async def _ask_over_reason(self, message: str) -> bool:
        """The over-budget dialog: True when the spending was recorded with a reason, False when given up."""
        with self.stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
            ui.label(message).classes('text-lg text-negative font-bold').mark('over-message')
            reason = ui.textarea(t('超支原因（必填，会公开显示）')).classes('w-full text-lg') \
                .props(f'outlined autogrow maxlength={rules.MAX_REASON}').mark('over-reason')
            problem = problem_label()

            async def act() -> None:
                await self._send(over_reason=reason.value or '')
                dialog.submit(True)

            dialog_buttons(dialog, problem, act, marker='over-ok', ok=t('仍然记账'), done=t('已记账（超预算）'),
                           danger=True)
        recorded = await dialog
        dialog.delete()
        return bool(recorded)

    # ---- a budget line ----

    async def _budget_form(self) -> None:
        sources = {k: t(v) for k, v in rules.SOURCES.items()}
        with ui.card().classes('gs-card w-full gap-2').mark('budget-form'):
            ui.label(t('添加预算')).classes('text-xl font-bold')
            self.line_source = ui.select(sources, value='huimin', label=t('资金来源')).classes('w-full text-lg') \
                .props('outlined').mark('line-source')
            self.line_amount = ui.input(t('金额（元）'), placeholder='20,000').classes('w-full text-lg') \
                .props('outlined inputmode=decimal maxlength=20').mark('line-amount')
            self.line_note = ui.input(t('备注（可不填）')).classes('w-full text-lg') \
                .props(f'outlined maxlength={rules.MAX_NOTE}').mark('line-note')
            self.line_problem = problem_label()
            self.line_button = ui.button(t('添加预算'), icon='add', on_click=self.add_line) \
                .classes('w-full text-lg').props('outline').mark('line-submit')
            self.lines = ui.refreshable(self._lines)
        await self.lines()

    async def add_line(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.line_button.disable()
        try:
            await budget.add_budget_line(self.user, self.project_id, source=self.line_source.value or '',
                                         amount=self.line_amount.value or '', note=self.line_note.value or '',
                                         nonce=self.line_nonce)
        except DomainError as e:
            show_problem(self.line_problem, e)
            return
        finally:
            self.busy = False
            self.line_button.enable()
        show_problem(self.line_problem, None)
        self.line_nonce = uuid.uuid4().hex
        self.line_amount.value = ''
        self.line_note.value = ''
        ui.notify(t('已添加预算'), type='positive')
        self.lines.refresh()

    async def _lines(self) -> None:
        view = await budget.money_view(self.project_id, viewer=self.user)
        if not view.lines:
            return
        with ui.card().classes('gs-card w-full gap-1').mark('budget-lines'):
            ui.label(t('预算明细')).classes('text-lg font-bold')
            for line in view.lines:
                with ui.row().classes('w-full items-center no-wrap gap-2').mark(f'line-{line.id}'):
                    ui.label(t(line.source_label)).classes('text-base')
                    ui.label(line.note).classes('gs-muted text-sm grow break-all')
                    ui.label(t('{amount} 元', amount=rules.yuan(line.amount))).classes('text-base font-bold')
                    ui.button(icon='delete', on_click=lambda _e, i=line.id: self._remove_line(i)) \
                        .props(f'flat dense round color=negative aria-label="{t("删除")}"') \
                        .mark(f'remove-line-{line.id}')

    async def _remove_line(self, line_id: int) -> None:
        try:
            await budget.remove_budget_line(self.user, line_id)
        except DomainError as e:
            ui.notify(e.message, type='warning', multi_line=True)
            return
        ui.notify(t('已删除这条预算'), type='positive')
        self.lines.refresh()

    # ---- voiding ----

    def ask_void(self, row: budget.SpendingRow) -> None:
        with self.stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
            ui.label(t('作废“{item}”（{amount} 元）？', item=row.item, amount=rules.yuan(row.amount))) \
                .classes('text-lg font-bold break-all')
            ui.label(t('作废后记录仍会保留并公开显示，不计入支出')).classes('gs-muted text-base')
            reason = ui.textarea(t('作废原因（必填）')).classes('w-full text-lg') \
                .props(f'outlined autogrow maxlength={rules.MAX_REASON}').mark('void-reason')
            problem = problem_label()

            async def act() -> None:
                await budget.void_spending(self.user, row.id, reason=reason.value or '')

            dialog_buttons(dialog, problem, act, marker='void-ok', ok=t('作废'), done=t('已作废'), danger=True)
        dialog.open()


def _today() -> date:
    return datetime.now(LOCAL).date()


def _date(value: object) -> date | str:
    """The date input's 'YYYY-MM-DD'; anything else goes to the service as it is, which refuses it in words."""
    try:
        return date.fromisoformat(str(value or ''))
    except ValueError:
        return str(value or '')
