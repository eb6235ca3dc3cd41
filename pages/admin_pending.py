"""/admin/pending: people who registered themselves by scanning the community's QR, waiting for 实名核验."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.frame import empty_state
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import people, places
from services.people_views import PendingRow

REASONS = ('姓名或手机号不对', '不是本社区居民', '重复登记')


async def pending_page() -> RedirectResponse | None:
    return await admin.community_screen('/admin/pending', t('待核验'), 'resident.view', _pending,
                                        redraw_on='resident.*')


async def _pending(screen: admin.AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id
    ui.label(t('请核对本人身份和住址后再通过。住址是居民自己填写的，请为他选好对应的户。')).classes('gs-muted')
    may_verify = can(user, 'resident.verify', community_id)
    rows = await people.pending(user, community_id)
    households = await places.household_choices(user, community_id) if may_verify and rows else {}
    if not rows:
        empty_state(t('没有等待核验的居民'), 'how_to_reg')
    for row in rows:
        _pending_card(user, row, households, may_verify)


def _pending_card(user: Principal, row: PendingRow, households: dict[int, str], may_verify: bool) -> None:
    with ui.card().classes('gs-card gap-1').mark(f'pending-{row.id}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.link(row.name, f'/admin/residents/{row.id}').classes('text-xl font-bold truncate')
            ui.label(local_time(row.created_at)[5:]).classes('gs-muted text-sm')
        ui.label(row.phone).classes('text-base')
        ui.label(t('自己填写：{room}', room=row.registered_room or t('（没有填写）'))).classes('text-base') \
            .mark(f'typed-{row.id}')
        if not may_verify:
            return
        household = ui.select(households, label=t('分到哪一户（输入房号查找）'), with_input=True, clearable=True,
                              value=row.suggested_household_id if row.suggested_household_id in households else None) \
            .classes('w-full text-lg').props('outlined').mark(f'pending-household-{row.id}')
        with ui.row().classes('w-full gap-2 no-wrap'):
            ui.button(t('核验通过'), icon='verified', on_click=lambda: _verify(user, row, household.value)) \
                .props('color=positive').classes('grow text-lg').mark(f'verify-{row.id}')
            ui.button(t('信息有误'), icon='report', on_click=lambda: _reject(user, row)) \
                .props('outline color=negative').classes('grow text-lg').mark(f'reject-{row.id}')


async def _verify(user: Principal, row: PendingRow, household_id: int | None) -> None:
    try:
        await people.verify(user, row.id, household_id=household_id)
    except DomainError as e:
        ui.notify(e.message, type='negative')
        return
    ui.notify(t('{name} 已通过核验', name=row.name), type='positive')


async def _reject(user: Principal, row: PendingRow) -> None:
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm gap-2'):
        ui.label(t('{name} 的登记信息有误', name=row.name)).classes('text-lg font-bold')
        ui.label(t('这条登记会被删除，请告诉本人按正确信息重新扫码登记。')).classes('text-base')
        reason = ui.select([t(r) for r in REASONS], label=t('原因'), value=t(REASONS[0]), new_value_mode='add-unique') \
            .classes('w-full text-lg').props('outlined').mark('reject-reason')
        admin.dialog_buttons(dialog, admin.problem_label(),
                             lambda: people.reject_registration(user, row.id, reason=reason.value or ''),
                             marker='reject-confirm', ok=t('删除登记'), done=t('已删除这条登记'), danger=True)
    dialog.open()


def register() -> None:
    ui.page('/admin/pending')(pending_page)
