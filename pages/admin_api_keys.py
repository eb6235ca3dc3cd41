"""/admin/api-keys: the community's API keys for other systems — create (shown once), list, revoke."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.confirm import confirm
from components.frame import empty_state, error_banner
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from models import ApiKey
from services import apikeys


async def api_keys() -> RedirectResponse | None:
    return await admin.community_screen('/admin/api-keys', t('接口密钥'), 'apikey.manage', _keys, community_row=True)


async def _keys(screen: admin.AdminScreen) -> None:
    ui.label(t('其他系统（例如 12345 热线）用接口密钥读取{community}的小区、楼栋和住户信息。',
               community=screen.community.name)).classes('gs-muted')
    ui.label(t('接口不提供姓名和手机号。')).classes('gs-muted')
    ui.link(t('接口说明文档'), '/docs').classes('text-lg')
    keys = _KeysScreen(screen.user, screen.community_id)
    keys.create_form()
    await keys.key_list()


class _KeysScreen:
    def __init__(self, user: Principal, community_id: int) -> None:
        self.user = user
        self.community_id = community_id

    @ui.refreshable_method
    async def key_list(self) -> None:
        rows = await apikeys.keys(self.user, self.community_id)
        if not rows:
            empty_state(t('还没有接口密钥'), 'key')
            return
        for row in rows:
            self._key_card(row)

    def create_form(self) -> None:
        with ui.card().classes('gs-card w-full gap-2'):
            ui.label(t('新建密钥')).classes('text-lg font-bold')
            name = ui.input(t('用途'), placeholder=t('例如：12345 热线对接')).classes('w-full text-lg') \
                .props('outlined maxlength=60').mark('key-name')
            error = error_banner('')

            async def create() -> None:
                error.set_text('')
                try:
                    row, key = await apikeys.create(self.user, self.community_id, name.value or '')
                except DomainError as e:
                    error.set_text(e.message)
                    return
                name.set_value('')
                await self.key_list.refresh()
                _show_once(row, key)

            ui.button(t('新建密钥'), icon='add', on_click=create).classes('w-full text-lg').mark('key-create')

    def _key_card(self, row: ApiKey) -> None:
        revoked = row.revoked_at is not None
        with ui.card().classes('gs-card w-full gap-1' + (' opacity-70' if revoked else '')).mark(f'key-{row.id}'):
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                ui.label(row.name).classes('text-lg font-bold truncate')
                if revoked:
                    ui.badge(t('已吊销'), color='grey-7').classes('text-base')
                else:
                    ui.badge(t('有效'), color='positive').classes('text-base')
            ui.label(t('密钥开头：{prefix}…', prefix=f'gs_{row.prefix}')).classes('font-mono')
            ui.label(t('创建于 {at}', at=local_time(row.created_at))).classes('gs-muted')
            ui.label(t('最近使用：{at}', at=local_time(row.last_used_at, empty=t('从未使用')))).classes('gs-muted')
            if revoked:
                ui.label(t('吊销于 {at}', at=local_time(row.revoked_at))).classes('gs-muted')
                return

            async def revoke() -> None:
                question = t('吊销密钥“{name}”？使用它的系统将立即无法读取数据，且无法恢复。', name=row.name)
                if not await confirm(question, ok=t('吊销')):
                    return
                try:
                    await apikeys.revoke(self.user, row.id)
                except DomainError as e:
                    ui.notify(e.message, type='negative')
                    return
                ui.notify(t('密钥已吊销'), type='positive')
                await self.key_list.refresh()

            ui.button(t('吊销'), icon='block', on_click=revoke).props('outline color=negative') \
                .classes('w-full text-lg').mark(f'revoke-key-{row.id}')


def _show_once(row: ApiKey, key: str) -> None:
    """The full key, this one time only: after closing, only its prefix is ever shown again."""
    with ui.dialog().props('persistent') as dialog, ui.card().classes('gs-card w-full max-w-md gap-3'):
        ui.label(t('密钥“{name}”已创建', name=row.name)).classes('text-lg font-bold')
        ui.label(t('请现在复制并妥善保存。关闭后将无法再次查看完整密钥；丢失了只能吊销后重新创建。')) \
            .classes('text-warning text-base').props('role=alert')
        ui.label(key).classes('font-mono text-base break-all bg-grey-2 p-2 rounded').mark('full-key')

        def copy() -> None:
            ui.clipboard.write(key)
            ui.notify(t('已复制'), type='positive')

        def close() -> None:
            dialog.close()
            dialog.delete()  # the key leaves the page, not just the screen

        ui.button(t('复制密钥'), icon='content_copy', on_click=copy).classes('w-full text-lg').mark('key-copy')
        ui.button(t('我已保存，关闭'), on_click=close).classes('w-full text-lg').props('outline').mark('key-close')
    dialog.open()


def register() -> None:
    ui.page('/admin/api-keys')(api_keys)
