"""The money section of a project (in-app page, public board, bookkeeping page): budget by source, spent, remaining,
and every spending with its receipt — over-budget ones flagged in red with the reason, voided ones struck through.

Redrawn live on 'budget.changed' for this project. Numbers are exact yuan with thousands separators (domain.money).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from nicegui import ui

from components.live import on_event
from domain import money as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import LOCAL
from domain.permissions import ANONYMOUS, Principal
from services import budget

OnVoid = Callable[[budget.SpendingRow], Awaitable[None] | None]


async def money_section(user: Principal, project_id: int, *, public: bool = False) -> None:
    """Budget by source, spent, remaining and the spending records; a 记账 link for staff when not public."""
    await money_panel(user, project_id, public=public)


async def money_panel(user: Principal, project_id: int, *, public: bool = False, link: bool = True,
                      on_void: OnVoid | None = None) -> None:
    """The section with options for the bookkeeping page: no link to itself, a 作废 button per spending."""
    viewer = ANONYMOUS if public else user

    @ui.refreshable
    async def content() -> None:
        try:
            view = await budget.money_view(project_id, viewer=viewer)
        except DomainError as e:
            ui.label(e.message).classes('gs-muted')
            return
        _draw(view, link=link and not public, on_void=on_void if view.may_edit else None)

    with ui.card().classes('gs-card w-full gap-2').mark('money-section'):
        await content()
    on_event('budget.changed', lambda _event: content.refresh(), at_most_every=0.5,
             where=lambda event: event.payload.get('project_id') == project_id)


async def allowance_section(community_id: int, *, year: int | None = None) -> None:
    """For the community board: how much of the year's 惠民资金 is committed to projects and spent (live)."""
    year = year or datetime.now(LOCAL).year

    @ui.refreshable
    async def content() -> None:
        try:
            use = await budget.community_money(community_id, year)
        except DomainError as e:
            ui.label(e.message).classes('gs-muted')
            return
        ui.label(t('{year} 年惠民资金', year=year)).classes('text-xl font-bold')
        with ui.row().classes('w-full no-wrap gap-2'):
            _big(t('全年额度'), use.allowance, 'allowance-total')
            _big(t('已安排'), use.committed, 'allowance-committed', danger=use.over)
            _big(t('已支出'), use.spent, 'allowance-spent')
        share = min(use.committed / use.allowance, 1) if use.allowance else 1
        ui.linear_progress(value=float(share), show_value=False, size='12px') \
            .props(f'color={"negative" if use.over else "primary"} rounded')
        if use.over:
            ui.label(t('已安排的超出全年额度 {amount} 元', amount=rules.yuan(-use.left))) \
                .classes('text-negative text-base font-bold').mark('allowance-over')
        else:
            ui.label(t('还可安排 {amount} 元', amount=rules.yuan(use.left))).classes('text-base') \
                .mark('allowance-left')

    with ui.card().classes('gs-card w-full gap-2').mark('allowance-section'):
        await content()
    on_event('budget.changed', lambda _event: content.refresh(), community_id=community_id, at_most_every=1.0)


def _draw(view: budget.MoneyView, *, link: bool, on_void: OnVoid | None) -> None:
    summary = view.summary
    with ui.row().classes('w-full items-center no-wrap'):
        ui.label(t('经费收支')).classes('text-xl font-bold grow')
        if link and view.may_edit:
            ui.link(t('记账'), f'/projects/{int(view.project_id)}/money') \
                .classes('text-lg font-bold').mark('money-record-link')
    if not view.lines and not view.spendings:
        ui.label(t('还没有预算和支出记录')).classes('gs-muted text-base').mark('money-empty')
        return
    with ui.row().classes('w-full no-wrap gap-2'):
        _big(t('预算'), summary.budget, 'money-budget')
        _big(t('已支出'), summary.spent, 'money-spent')
        _big(t('结余'), summary.remaining, 'money-remaining', danger=summary.remaining < 0)
    if summary.over_budget:
        ui.label(t('有资金来源超出预算，见下方红色标记')).classes('text-negative text-base font-bold') \
            .mark('money-over')
    _sources(summary)
    _spendings(view, on_void)


def _big(caption: str, amount, marker: str, *, danger: bool = False) -> None:
    with ui.column().classes('items-center gap-0 grow basis-0'):
        ui.label(rules.yuan(amount)).classes('text-2xl font-bold' + (' text-negative' if danger else '')) \
            .mark(marker)
        ui.label(t('{caption}（元）', caption=caption)).classes('gs-muted text-sm')


def _sources(summary: rules.MoneySummary) -> None:
    with ui.grid(columns='auto 1fr 1fr 1fr').classes('w-full gap-x-2 gap-y-1 text-base items-baseline'):
        for head in (t('来源'), t('预算'), t('已支出'), t('结余')):
            ui.label(head).classes('gs-muted text-sm' + ('' if head == t('来源') else ' text-right'))
        for row in summary.sources:
            colour = ' text-negative font-bold' if row.over else ''
            ui.label(t(row.label)).classes(colour).mark(f'money-source-{row.source}')
            ui.label(rules.yuan(row.budget)).classes('text-right' + colour)
            ui.label(rules.yuan(row.spent)).classes('text-right' + colour)
            ui.label(rules.yuan(row.remaining)).classes('text-right' + colour).mark(f'money-remaining-{row.source}')


def _spendings(view: budget.MoneyView, on_void: OnVoid | None) -> None:
    if not view.spendings:
        ui.label(t('还没有支出记录')).classes('gs-muted text-base')
        return
    ui.label(t('支出明细')).classes('text-lg font-bold')
    for row in view.spendings:
        _spending(row, on_void)


def _spending(row: budget.SpendingRow, on_void: OnVoid | None) -> None:
    border = 'border-2 border-red-600' if row.over_budget and not row.voided else 'border'
    struck = ' line-through text-grey-7' if row.voided else ''
    with ui.row().classes(f'w-full no-wrap gap-2 p-2 rounded {border}').mark(f'spending-{row.id}'):
        if row.receipt_key:  # 64 hex digits from our own database, never user input
            with ui.link(target=f'/photos/{row.receipt_key}.jpg', new_tab=True).mark(f'receipt-{row.id}'):
                ui.image(f'/photos/{row.receipt_key}.jpg').classes('w-16 h-16 rounded').props(
                    f'fit=cover alt="{t("票据")}"')
        with ui.column().classes('grow gap-0 min-w-0'):
            with ui.row().classes('w-full no-wrap items-baseline gap-2'):
                ui.label(row.item).classes('text-lg grow break-all' + struck)
                ui.label(t('{amount} 元', amount=rules.yuan(row.amount))) \
                    .classes('text-lg font-bold whitespace-nowrap' + struck).mark(f'spending-amount-{row.id}')
            details = [row.spent_on.isoformat(), t(row.source_label)] + ([row.payee] if row.payee else [])
            ui.label(' · '.join(details)).classes('gs-muted text-sm break-all')
            if row.recorded_by:
                ui.label(t('记账：{name}', name=row.recorded_by)).classes('gs-muted text-sm')
            if not row.receipt_key:
                ui.label(t('没有票据照片')).classes('gs-muted text-sm')
            if row.over_budget:
                ui.label(t('超预算：{reason}', reason=row.over_reason or '')) \
                    .classes('text-negative text-base font-bold break-all' + struck).mark(f'over-{row.id}')
            if row.voided:
                ui.label(t('已作废：{reason}', reason=row.void_reason or '')) \
                    .classes('text-base font-bold break-all').mark(f'voided-{row.id}')
            elif on_void is not None:
                ui.button(t('作废'), icon='block', on_click=lambda _e, r=row: on_void(r)) \
                    .props('flat dense color=negative').classes('self-end text-base').mark(f'void-{row.id}')
