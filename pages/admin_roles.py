"""/admin/roles: who works in the community and in which role — new staff accounts, grant, revoke."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.confirm import confirm
from components.frame import empty_state, error_banner
from components.live import on_event
from components.signin import password_input, phone_input
from domain.access import GRANTABLE_ROLES
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import ROLE_LABELS, Principal
from services import roles


async def roles_page() -> RedirectResponse | None:
    return await admin.community_screen('/admin/roles', t('人员与角色'), 'role.grant', _roles, community_row=True)


async def _roles(screen: admin.AdminScreen) -> None:
    ui.label(t('{community}的工作人员、两委成员、监督委员会成员、志愿者和管理员。居民身份来自居民登记，不在这里添加。',
               community=screen.community.name)).classes('gs-muted')
    members = _RolesScreen(screen.user, screen.community_id)
    with ui.row().classes('w-full gap-2'):
        ui.button(t('新建工作人员账号'), icon='person_add', on_click=members.open_create) \
            .classes('w-full text-lg').mark('open-create')
        ui.button(t('给已有的人添加角色'), icon='group_add', on_click=members.open_find) \
            .classes('w-full text-lg').props('outline').mark('open-find')
    await members.member_list()
    on_event('role.*', lambda _: members.member_list.refresh(), community_id=screen.community_id)


def _label(role: str) -> str:
    return t(ROLE_LABELS[role])


def _role_options(exclude: tuple[str, ...] = ()) -> dict[str, str]:
    return {role: _label(role) for role in GRANTABLE_ROLES if role not in exclude}


class _RolesScreen:
    def __init__(self, user: Principal, community_id: int) -> None:
        self.user = user
        self.community_id = community_id

    @ui.refreshable_method
    async def member_list(self) -> None:
        members = await roles.members(self.user, self.community_id)
        if not members:
            empty_state(t('还没有人担任角色'), 'groups')
            return
        for member in members:
            await self._member_card(member)

    async def _member_card(self, member: roles.Member) -> None:
        with ui.card().classes('gs-card w-full gap-1').mark(f'member-{member.account_id}'):
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                ui.label(member.name).classes('text-lg font-bold truncate')
                ui.label(member.phone).classes('font-mono')  # in full: only admins see this screen
            if member.is_resident:
                ui.label(t('也是本社区登记的居民')).classes('gs-muted')
            if not member.is_active:
                ui.label(t('账号已停用，不能登录')).classes('text-warning')
            for role in member.roles:
                blockers = await roles.revoke_blockers(self.user, member.account_id, self.community_id, role)
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.label(_label(role)).classes('text-base')
                    button = ui.button(t('撤销'), on_click=lambda r=role: self._revoke(member, r)) \
                        .props('flat color=negative').classes('text-base') \
                        .mark(f'revoke-{member.account_id}-{role}')
                if blockers:
                    button.disable()
                    ui.label(blockers[0].message).classes('gs-muted text-sm')
            missing = _role_options(member.roles)
            if missing:
                ui.button(t('添加角色'), icon='add', on_click=lambda: self._open_grant(member, missing)) \
                    .props('flat').classes('text-base').mark(f'grant-{member.account_id}')

    async def _revoke(self, member: roles.Member, role: str) -> None:
        question = t('撤销{name}的“{role}”角色？', name=member.name, role=_label(role))
        if not await confirm(question, ok=t('撤销')):
            return
        try:
            await roles.revoke(self.user, member.account_id, self.community_id, role)
        except DomainError as e:
            ui.notify(e.message, type='negative', multi_line=True)
            return
        ui.notify(t('已撤销'), type='positive')
        await self.member_list.refresh()

    def _open_grant(self, member: roles.Member, options: dict[str, str]) -> None:
        with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm gap-3'):
            ui.label(t('给{name}添加角色', name=member.name)).classes('text-lg font-bold')
            role = ui.select(options, value=next(iter(options)), label=t('角色')).classes('w-full text-lg') \
                .props('outlined').mark('grant-role')
            error = error_banner('')

            async def submit() -> None:
                try:
                    await roles.grant(self.user, member.account_id, self.community_id, role.value)
                except DomainError as e:
                    error.set_text(e.message)
                    return
                dialog.close()
                ui.notify(t('已添加角色'), type='positive')
                await self.member_list.refresh()

            _dialog_buttons(dialog, t('添加'), submit)
        dialog.open()

    def open_create(self) -> None:
        with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm gap-3'):
            ui.label(t('新建工作人员账号')).classes('text-lg font-bold')
            ui.label(t('用手机号和密码登录。请把初始密码当面告诉本人。')).classes('gs-muted')
            name = ui.input(t('姓名')).classes('w-full text-lg').props('outlined maxlength=40').mark('new-name')
            phone = phone_input().mark('new-phone')
            role = ui.select(_role_options(), value='staff', label=t('角色')).classes('w-full text-lg') \
                .props('outlined').mark('new-role')
            password = password_input('初始密码', new=True).mark('new-password')
            error = error_banner('').mark('new-error')

            async def submit() -> None:
                try:
                    await roles.create_account(self.user, self.community_id, name=name.value or '',
                                               phone=phone.value or '', role=role.value,
                                               password=password.value or '')
                except DomainError as e:
                    error.set_text(e.message)
                    return
                dialog.close()
                ui.notify(t('账号已建好'), type='positive')
                await self.member_list.refresh()

            _dialog_buttons(dialog, t('建立账号'), submit)
        dialog.open()

    def open_find(self) -> None:
        with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm gap-3'):
            ui.label(t('给已有的人添加角色')).classes('text-lg font-bold')
            ui.label(t('按姓名、手机号或房号查找本社区的居民，或输入完整手机号查找已有账号。')).classes('gs-muted')
            role = ui.select(_role_options(), value='volunteer', label=t('角色')).classes('w-full text-lg') \
                .props('outlined').mark('find-role')
            query = ui.input(t('姓名、手机号或房号')).classes('w-full text-lg').props('outlined clearable') \
                .mark('find-query')
            error = error_banner('')
            results = ui.column().classes('w-full gap-2')

            async def pick(candidate: roles.Candidate) -> None:
                try:
                    if candidate.kind == 'resident':
                        await roles.grant_to_resident(self.user, candidate.id, role.value)
                    else:
                        await roles.grant(self.user, candidate.id, self.community_id, role.value)
                except DomainError as e:
                    error.set_text(e.message)
                    return
                dialog.close()
                ui.notify(t('已把{name}设为{role}', name=candidate.name, role=_label(role.value)), type='positive')
                await self.member_list.refresh()

            async def find() -> None:
                error.set_text('')
                results.clear()
                found = await roles.search(self.user, self.community_id, query.value or '')
                with results:
                    if not found:
                        ui.label(t('没有找到')).classes('gs-muted text-lg')
                    for candidate in found:
                        with ui.row().classes('w-full items-center justify-between no-wrap'):
                            with ui.column().classes('gap-0'):
                                ui.label(candidate.name).classes('text-lg')
                                ui.label(f'{candidate.phone} {candidate.detail}'.strip()).classes('gs-muted')
                            ui.button(t('添加'), on_click=lambda c=candidate: pick(c)).classes('text-base') \
                                .mark(f'pick-{candidate.kind}-{candidate.id}')

            query.on('keydown.enter', find)
            ui.button(t('查找'), icon='search', on_click=find).classes('w-full text-lg').mark('find-go')
            ui.button(t('取消'), on_click=dialog.close).props('flat').classes('w-full text-lg')
        dialog.open()


def _dialog_buttons(dialog: ui.dialog, ok: str, on_ok) -> None:
    with ui.row().classes('w-full justify-end gap-2'):
        ui.button(t('取消'), on_click=dialog.close).props('flat').classes('text-lg')
        ui.button(ok, on_click=on_ok).props('unelevated').classes('text-lg').mark('dialog-ok')


def register() -> None:
    ui.page('/admin/roles')(roles_page)
