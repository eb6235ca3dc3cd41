"""The add/edit resident dialog and the status badge, shared by the residents and household screens."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components import admin
from domain.errors import DomainError
from domain.i18n import t
from domain.people import RELATIONS, STATUSES, TAGS
from domain.permissions import Principal, can
from services import people, places
from services.people_views import ResidentDetail

STATUS_COLORS = {'pending': 'warning', 'verified': 'positive', 'left': 'grey-7'}


def status_badge(status: str) -> None:
    ui.badge(t(STATUSES.get(status, status)), color=STATUS_COLORS.get(status, 'grey-7')) \
        .classes('text-sm px-2 py-1').mark(f'status-{status}')


async def open_resident_dialog(user: Principal, community_id: int, *, resident: ResidentDetail | None = None,
                               household_id: int | None = None,
                               on_saved: Callable[[int], Awaitable[None] | None] | None = None) -> None:
    """Add a resident (optionally into `household_id`) or correct `resident`; nothing changes on a bad entry."""
    households = await places.household_choices(user, community_id)
    may_verify = resident is None and can(user, 'resident.verify', community_id)
    with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-md gap-2'):
        ui.label(t('修改居民信息') if resident else t('登记居民')).classes('text-lg font-bold')
        name = ui.input(t('姓名'), value=resident.name if resident else '').classes('w-full text-lg') \
            .props('outlined maxlength=40').mark('resident-name')
        phone = ui.input(t('手机号（可不填，例如老人、孩子）'), value=resident.phone if resident else '') \
            .classes('w-full text-lg').props('outlined type=tel inputmode=numeric maxlength=13').mark('resident-phone')
        year = ui.input(t('出生年份，例如 1956'),
                        value=str(resident.birth_year) if resident and resident.birth_year else '') \
            .classes('w-full text-lg').props('outlined inputmode=numeric maxlength=4').mark('resident-year')
        relation = ui.select({k: t(v) for k, v in RELATIONS.items()}, label=t('与户的关系'),
                             value=resident.relation if resident else 'owner') \
            .classes('w-full text-lg').props('outlined').mark('resident-relation')
        start = resident.household_id if resident else household_id
        household = ui.select(households, label=t('住在哪一户（输入房号查找）'),
                              value=start if start in households else None, with_input=True, clearable=True) \
            .classes('w-full text-lg').props('outlined').mark('resident-household')
        tags = verified = None
        if resident is None:
            tags = ui.select({tag: t(tag) for tag in TAGS}, label=t('标签（可多选）'), multiple=True, value=[]) \
                .classes('w-full text-lg').props('outlined use-chips').mark('resident-tags')
            if may_verify:
                verified = ui.checkbox(t('已当面核对身份，直接通过核验'), value=True).classes('text-lg') \
                    .mark('resident-verified')
        problem = admin.problem_label()

        async def save() -> None:
            values = dict(name=name.value or '', phone=phone.value or '', birth_year=year.value or '',
                          relation=relation.value, household_id=household.value)
            try:
                if resident is None:
                    row = await people.create_resident(user, community_id, **values,
                                                       tags=tags.value if tags else (),
                                                       verified=bool(verified and verified.value))
                else:
                    row = await people.update_resident(user, resident.id, **values)
            except DomainError as e:
                admin.show_problem(problem, e)
                return
            dialog.close()
            ui.notify(t('已保存'), type='positive')
            if on_saved is not None:
                result = on_saved(row.id)
                if result is not None:
                    await result

        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('取消'), on_click=dialog.close).props('flat').classes('text-lg')
            ui.button(t('保存'), on_click=save).props('unelevated').classes('text-lg').mark('resident-save')
    dialog.open()
