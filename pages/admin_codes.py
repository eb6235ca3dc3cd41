"""Staff screens that hand out codes: a resident's sign-in link, printable personal-code cards, the join poster."""
from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from starlette.requests import Request

from components import admin, session
from components.frame import error_banner, frame
from components.qr import qr_image
from components.signin import login_redirect
from domain.errors import DomainError
from domain.i18n import t
from domain.tokens import LOGIN_LINK_LIFETIME
from services import auth, codes
from services.audit import now

PRINT_CSS = '''<style>
.gs-sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 8px; width: 100%; }
.gs-cutcard { border: 1px dashed #888; border-radius: 4px; padding: 10px; display: flex; gap: 10px;
  align-items: center; background: #fff; break-inside: avoid; page-break-inside: avoid; }
.gs-cutcard .gs-qr { width: 128px; height: 128px; flex: none; }
.gs-poster { background: #fff; text-align: center; }
.gs-poster .gs-qr { width: min(80vw, 120mm); height: auto; }
@media print {
  @page { size: A4; margin: 10mm; }
  .gs-content { max-width: none !important; padding: 0 !important; margin: 0 !important; }
  .q-page-container, .q-layout { padding: 0 !important; }
  .gs-sheet { grid-template-columns: repeat(2, 90mm); grid-auto-rows: 60mm; gap: 0; justify-content: center; }
  .gs-cutcard { border-radius: 0; height: 60mm; padding: 4mm; }
  .gs-cutcard .gs-qr { width: 40mm; height: 40mm; }
  .gs-poster .gs-qr { width: 120mm; }
}
</style>'''


async def link_page(request: Request, resident_id: int) -> object:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/admin/residents/{resident_id}/link')
    base = codes.public_base(str(request.base_url))
    ui.add_head_html(PRINT_CSS)
    with frame(t('登录二维码'), user=user, back=f'/admin/residents/{resident_id}'):
        try:
            resident = await codes.resident_for(user, 'resident.issue_link', resident_id)
        except DomainError as e:
            error_banner(e.message)
            return None
        ui.label(resident.name).classes('text-2xl font-bold')
        ui.label(t('居民用手机扫这个二维码即可登录，然后设置 6 位数字密码。')).classes('text-lg no-print')
        ui.label(t('生成新的登录二维码后，以前发的登录二维码就不能再用了。')).classes('text-warning no-print')
        result = ui.column().classes('w-full items-center gap-2')
        error = error_banner('')

        async def issue() -> None:
            button.disable()
            try:
                token = await auth.issue_login_link(user, resident_id)
            except DomainError as e:
                error.set_text(e.message)
                button.enable()
                return
            url = f'{base}/l/{token}'
            until = (now() + LOGIN_LINK_LIFETIME - timedelta(minutes=1)).astimezone().strftime('%Y-%m-%d')
            result.clear()
            with result:
                ui.label(t('{name} 的登录二维码', name=resident.name)).classes('text-xl font-bold')
                qr_image(url, size='w-72').mark('link-qr')
                ui.label(url).classes('text-xs break-all gs-muted').mark('link-url')
                ui.label(t('只能用一次，{date} 前有效。请当面交给本人。', date=until)).classes('text-lg text-center')
                ui.button(t('打印'), icon='print', on_click=lambda: ui.run_javascript('window.print()')) \
                    .classes('w-full text-lg no-print')
            button.set_text(t('再生成一个'))
            button.enable()

        button = ui.button(t('生成登录二维码'), icon='qr_code_2', on_click=issue).classes('w-full text-xl no-print') \
            .mark('issue-link')
    return None


async def card_page(request: Request, resident_id: int) -> object:
    return await _sheet(request, f'/admin/residents/{resident_id}/card', resident_id=resident_id)


async def cards_page(request: Request, building: int = 0) -> object:
    return await _sheet(request, f'/admin/cards?building={building}', building_id=building)


async def _sheet(request: Request, path: str, **which: int) -> object:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(path)
    base = codes.public_base(str(request.base_url))
    ui.add_head_html(PRINT_CSS)
    with frame(t('打印个人码'), user=user, back='/admin'):
        try:
            sheet = await codes.card_sheet(user, **which)
        except DomainError as e:
            error_banner(e.message)
            return None
        with ui.row().classes('w-full items-center no-print'):
            ui.label(t('{title}：{count} 张', title=sheet.title, count=len(sheet.cards))).classes('text-lg grow')
            ui.button(t('打印'), icon='print', on_click=lambda: ui.run_javascript('window.print()'))
        ui.label(t('用 A4 纸打印，沿虚线剪开，发给没有智能手机的居民。')).classes('gs-muted no-print')
        if not sheet.cards:
            ui.label(t('这里还没有登记的居民')).classes('text-lg')
        with ui.element('div').classes('gs-sheet'):
            for card in sheet.cards:
                with ui.element('div').classes('gs-cutcard').mark('card'):
                    qr_image(f'{base}/c/{card.token}', box_size=6)
                    with ui.column().classes('gap-1'):
                        ui.label(card.name).classes('text-2xl font-bold')
                        ui.label(sheet.community).classes('text-base')
                        if card.place:
                            ui.label(card.place).classes('text-sm gs-muted')
                        ui.label(t('共商居民个人码 · 参加议事会时出示')).classes('text-xs')
    return None


async def poster_page(request: Request, community: int = 0) -> object:
    """The join poster of the community the address names, else of the working one; no picker on a printed page."""
    base = codes.public_base(str(request.base_url))
    return await admin.community_screen('/admin/join-poster', t('登记二维码海报'), 'community.join_qr',
                                        lambda screen: _poster(screen, base), prefer=community, picker=False)


async def _poster(screen: admin.AdminScreen, base: str) -> None:
    user, community_id = screen.user, screen.community_id
    ui.add_head_html(PRINT_CSS)
    poster = ui.column().classes('w-full items-center')

    async def draw() -> None:
        row = await codes.community_by_id(community_id)
        url = f'{base}/join/{codes.join_token(row)}'
        poster.clear()
        with poster, ui.column().classes('gs-poster w-full items-center gap-3 p-4'):
            ui.label(row.name).classes('text-3xl font-bold')
            ui.label(t('扫码登记，一起商量社区的事')).classes('text-2xl text-primary font-bold')
            qr_image(url).mark('join-qr')
            for step in ('1. 用手机扫描上面的二维码', '2. 填写姓名、手机号和住址', '3. 设置 6 位数字密码',
                         '4. 社区工作人员核验后，就可以参与议事和表决'):
                ui.label(t(step)).classes('text-xl text-left w-full max-w-md')
            ui.label(t('不会用手机？请到社区服务站找工作人员帮您登记。')).classes('text-lg')
            ui.label(url).classes('text-xs break-all gs-muted')

    async def revoke() -> None:
        dialog.close()
        try:
            await codes.revoke_join(user, community_id)
        except DomainError as e:
            ui.notify(e.message, type='negative')
            return
        ui.notify(t('旧二维码已作废，请打印新的海报'), type='positive')
        await draw()

    with ui.dialog() as dialog, ui.card():
        ui.label(t('作废后，已经贴出去的海报就扫不了了，需要重新打印张贴。确定吗？')).classes('text-lg')
        with ui.row().classes('w-full justify-end'):
            ui.button(t('取消'), on_click=dialog.close).props('flat')
            ui.button(t('确定作废'), on_click=revoke).props('color=negative').mark('confirm-revoke')
    with ui.row().classes('w-full no-print'):
        ui.button(t('打印'), icon='print', on_click=lambda: ui.run_javascript('window.print()')).classes('grow')
        ui.button(t('作废旧二维码'), icon='block', on_click=dialog.open).props('outline color=negative') \
            .mark('revoke-join')
    await draw()


def register() -> None:
    ui.page('/admin/residents/{resident_id}/link')(link_page)
    ui.page('/admin/residents/{resident_id}/card')(card_page)
    ui.page('/admin/cards')(cards_page)
    ui.page('/admin/join-poster')(poster_page)
