"""/projects/{id}/pledge: a resident pledges labour, money or materials (我要出力 / 我要捐助), and sees and withdraws
their own pledges. The Excel downloads /projects/{id}/pledges.xlsx and /pledges.xlsx (community-wide) live here too;
the organisers' page /projects/{id}/pledges is pages/pledges_manage.py.
"""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui

from components import admin, session
from components.admin import NonceSender, not_found, problem_label
from components.downloads import community_download, download
from components.frame import frame
from components.live import on_event
from components.signin import login_redirect
from domain import pledges as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from models import Project
from services import audit, pledge_export, pledges
from services.project_moves import get_project

OTHER = 0  # the need choice "something else, written by me"


async def pledge_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}/pledge')
    back = f'/projects/{int(project_id)}'
    try:
        project = await get_project(project_id)
    except DomainError as e:
        with frame(t('我要出力'), user=user, back='/projects'):
            not_found(e.message)
        return None
    with frame(t('我要出力'), user=user, back=back):
        ui.label(project.title).classes('text-xl font-bold break-all').mark('pledge-project')
        reasons = pledges.why_cannot_pledge(user, project)
        if reasons:
            for reason in reasons:
                ui.label(reason.message).classes('text-lg').mark('pledge-refused')
        else:
            await _PledgeForm(user, project).draw()
        stage = ui.element()

        @ui.refreshable
        async def mine() -> None:
            await _my_pledges(user, project.id, stage, mine.refresh)

        await mine()
        on_event('pledge.changed', lambda _event: mine.refresh(), community_id=project.community_id,
                 where=lambda event: event.payload.get('project_id') == project.id)
    return None


class _PledgeForm:
    """The choices so far: a listed need or something of one's own, how much, when, and consent to be thanked."""

    def __init__(self, user: Principal, project: Project) -> None:
        self.user, self.project = user, project

    async def draw(self) -> None:
        self.needs = {n.id: n for n in await pledges.needs(self.project.id)}
        with ui.card().classes('gs-card w-full gap-3'):
            options = {n.id: self._need_label(n) for n in self.needs.values()}
            options[OTHER] = t('其他（自己填写）')
            ui.label(t('您想出什么力？')).classes('text-lg font-bold')
            self.need = ui.radio(options, value=next(iter(options)), on_change=lambda _e: self._shape()) \
                .classes('text-lg').mark('pledge-need')
            with ui.column().classes('w-full gap-2') as self.own:
                self.kind = ui.toggle({k: t(v) for k, v in rules.KINDS.items()}, value='labour',
                                      on_change=lambda _e: self._shape()) \
                    .props('spread no-caps').classes('w-full text-lg').mark('pledge-kind')
                self.item = ui.input(t('做什么 / 捐什么')).classes('w-full text-lg') \
                    .props(f'outlined maxlength={rules.MAX_ITEM}').mark('pledge-item')
                self.unit = ui.input(t('单位（如 台、本、袋）')).classes('w-full text-lg') \
                    .props(f'outlined maxlength={rules.MAX_UNIT}').mark('pledge-unit')
            with ui.row().classes('w-full items-center no-wrap gap-2'):
                self.quantity = ui.input(t('数量')).classes('grow text-lg') \
                    .props('outlined inputmode=decimal maxlength=12').mark('pledge-quantity')
                self.unit_label = ui.label('').classes('text-lg')
            self.slot = ui.input(t('什么时候能来（如 12月6日上午）')).classes('w-full text-lg') \
                .props(f'outlined maxlength={rules.MAX_SLOT}').mark('pledge-slot')
            self.thanks = ui.checkbox(t('同意公开致谢（在公开栏写上我的名字）'), value=False) \
                .classes('text-lg').mark('pledge-thanks')
            problem = problem_label()
            sender = NonceSender(problem)
            button = ui.button(t('提交认捐'), icon='volunteer_activism').props('unelevated') \
                .classes('w-full text-lg').mark('pledge-submit')
            button.on_click(lambda: self._submit(sender, button))
        self._shape()

    def _need_label(self, need) -> str:
        q = rules.format_quantity
        label = f'{need.item}（{t(need.kind_label)}）'
        if need.slot:
            label += f' · {need.slot}'
        still = t('还差 {n} {unit}', n=q(need.still_needed), unit=need.unit) if need.still_needed > 0 \
            else t('已认满')
        return f'{label} · {still}'

    def _shape(self) -> None:
        """Show only the fields that matter for the choice made."""
        need = self.needs.get(self.need.value)
        self.own.set_visibility(need is None)
        kind = need.kind if need else self.kind.value
        self.unit.set_visibility(need is None and kind == 'material')
        self.slot.set_visibility(kind == 'labour' and not (need and need.slot))
        self.unit_label.text = need.unit if need else rules.FIXED_UNITS.get(kind, '')

    async def _submit(self, sender: NonceSender, button: ui.button) -> None:
        need = self.needs.get(self.need.value)

        async def act(nonce: str) -> None:
            await pledges.pledge(
                self.user, self.project.id, need_id=need.id if need else None,
                kind=need.kind if need else (self.kind.value or ''), item=self.item.value or '',
                unit=self.unit.value or '', quantity=self.quantity.value or '', slot=self.slot.value or '',
                thank_publicly=bool(self.thanks.value), nonce=nonce)

        if await sender.send(button, act):
            self.quantity.value = ''
            ui.notify(t('谢谢您！已认捐，社区工作者收到后会确认'), type='positive', multi_line=True)


async def _my_pledges(user: Principal, project_id: int, stage: ui.element, refresh) -> None:
    mine = await pledges.my_pledges(user, project_id)
    if not mine:
        return
    with ui.card().classes('gs-card w-full gap-2').mark('my-pledges'):
        ui.label(t('我的认捐')).classes('text-xl font-bold')
        for view in mine:
            with ui.column().classes('w-full gap-0 border-b pb-2').mark(f'my-pledge-{view.id}'):
                ui.label(pledge_text(view)).classes('text-lg break-all')
                ui.label(status_text(view)).classes('gs-muted')
                if view.may_withdraw:
                    ui.button(t('撤回'), icon='undo',
                              on_click=lambda _e, v=view: withdraw_dialog(user, v, stage, refresh)) \
                        .props('flat dense').classes('text-lg').mark(f'withdraw-{view.id}')


def pledge_text(view: pledges.PledgeView) -> str:
    slot = f' · {view.slot}' if view.slot else ''
    return f'{t(view.kind_label)}：{view.item} {rules.format_quantity(view.quantity)} {view.unit}{slot}'


def status_text(view: pledges.PledgeView) -> str:
    text = t(view.state_label)
    if view.received > 0:
        text += ' · ' + t('已到位 {n} {unit}', n=rules.format_quantity(view.received), unit=view.unit)
    text += ' · ' + (t('同意公开致谢') if view.thank_publicly else t('不公开姓名'))
    if view.withdraw_reason:
        text += ' · ' + t('撤回原因：{reason}', reason=view.withdraw_reason)
    return text


def withdraw_dialog(user: Principal, view: pledges.PledgeView, stage: ui.element, refresh) -> None:
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('撤回这笔认捐？')).classes('text-lg font-bold')
        ui.label(pledge_text(view)).classes('text-lg break-all')
        reason = ui.textarea(t('原因（必填）')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={rules.MAX_REASON}').mark('withdraw-reason')
        problem = problem_label()

        async def act() -> None:
            await pledges.withdraw(user, view.id, reason.value or '')
            refresh()

        admin.dialog_buttons(dialog, problem, act, marker='withdraw-ok', ok=t('撤回'), done=t('已撤回'), danger=True)
    dialog.open()


async def project_xlsx(project_id: int) -> Response:
    """One project's pledge ledger for organisers (pledge.confirm)."""
    return await download(lambda user: pledge_export.project_xlsx(user, project_id, at=audit.now()),
                          back=f'/projects/{int(project_id)}/pledges', fallback='pledges.xlsx')


async def community_xlsx(request: Request) -> Response:
    """The community-wide pledge ledger; `?community=` picks one of the downloader's communities."""
    return await community_download(
        'pledge.confirm', lambda user, community_id: pledge_export.community_xlsx(user, community_id, at=audit.now()),
        request=request, back='/projects', fallback='pledges.xlsx')


def register() -> None:
    ui.page('/projects/{project_id}/pledge')(pledge_page)
    app.get('/projects/{project_id}/pledges.xlsx', include_in_schema=False)(project_xlsx)
    app.get('/pledges.xlsx', include_in_schema=False)(community_xlsx)

