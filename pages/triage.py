"""/triage: the 两委 joint meeting sorts accepted issues into 大事/小事/微事 (with the suggestion and its reason), and
the resulting 三事分送清单 — on screen, printable, as Excel — where a 大事 shows the street's reply due date."""
from __future__ import annotations

from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui

from components import admin
from components.downloads import File, community_download
from components.frame import empty_state
from components.live import on_event
from components.when import local_time
from domain import lifecycle
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from domain.triage import LEADS, SCALE_LEAD, SCALES, STREET_REPLY_WORKING_DAYS
from services import triage
from services.triage import DispatchItem, Pending

QUIET_EVENTS = {'issue.supported'}  # a support changes nothing on this board


async def triage_page() -> RedirectResponse | None:
    return await admin.community_screen('/triage', t('议题分流'), 'issue.triage', _board)


async def _board(screen: admin.AdminScreen) -> None:
    await _Board(screen.user, screen.community_id).build()


async def dispatch_download() -> Response:
    """The 三事分送清单 of the working community as Excel, for people who may triage there."""
    async def make(user: Principal, community_id: int) -> File:
        lst = await triage.dispatch_list(user, community_id)
        return f'三事分送清单-{local_time(lst.at)[:10]}.xlsx', triage.dispatch_xlsx(lst)

    return await community_download('issue.triage', make, back='/triage', fallback='dispatch-list.xlsx')


class _Board:
    """Two tabs redrawn on every move of an issue in the community; choices not yet confirmed survive a redraw."""

    def __init__(self, user: Principal, community_id: int) -> None:
        self.user = user
        self.community_id = community_id
        self.choices: dict[int, dict[str, object]] = {}  # issue id → scale, lead, urgent, note as chosen so far

    async def build(self) -> None:
        with ui.tabs().classes('w-full text-lg no-print') as tabs:
            pending_tab = ui.tab(t('待分流')).mark('tab-pending')
            dispatch_tab = ui.tab(t('三事分送清单')).mark('tab-dispatch')
        self.pending_view = ui.refreshable(self._pending)
        self.dispatch_view = ui.refreshable(self._dispatch)
        with ui.tab_panels(tabs, value=pending_tab).classes('w-full bg-transparent'):
            with ui.tab_panel(pending_tab).classes('p-0 gap-3'):
                await self.pending_view()
            with ui.tab_panel(dispatch_tab).classes('p-0 gap-3'):
                await self.dispatch_view()
        on_event('issue.*', self._changed, community_id=self.community_id)

    def _changed(self, event) -> None:
        if event.name not in QUIET_EVENTS:
            self.refresh()

    def refresh(self) -> None:
        self.pending_view.refresh()
        self.dispatch_view.refresh()

    # ---- 待分流 ----

    async def _pending(self) -> None:
        waiting = await triage.pending(self.user, self.community_id)
        ui.label(t('{n} 条议题等待分流', n=len(waiting))).classes('gs-muted').mark('pending-count')
        if not waiting:
            empty_state(t('没有等待分流的议题'), 'done_all')
        for item in waiting:
            self._pending_card(item)

    def _pending_card(self, item: Pending) -> None:
        s = item.suggestion
        choice = self.choices.setdefault(item.id, {'scale': s.scale, 'lead': s.lead, 'urgent': item.urgent,
                                                   'note': ''})
        with ui.card().classes('gs-card w-full gap-2').mark(f'pending-{item.id}'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.label(item.title).classes('text-lg font-bold grow break-all')
                if item.urgent:
                    ui.badge(t('紧急'), color='negative').classes('text-base')
            ui.label(' · '.join(p for p in (t(item.category), item.place) if p)).classes('gs-muted')
            ui.label(t('{n} 人附议', n=item.supports) + ' · ' + t('提出于 {when}', when=local_time(item.created_at))) \
                .classes('gs-muted text-sm')
            with ui.column().classes('w-full gap-0 rounded p-2 bg-blue-1').mark(f'suggestion-{item.id}'):
                ui.label(t('建议：{scale}，由{lead}牵头', scale=t(SCALES[s.scale]), lead=t(LEADS[s.lead]))) \
                    .classes('text-base font-bold')
                ui.label(t('理由：{reason}', reason=s.explain())).classes('text-base break-all')
            with ui.row().classes('w-full gap-2 no-wrap'):
                scale = ui.select({k: t(v) for k, v in SCALES.items()}, value=choice['scale'], label=t('分类')) \
                    .classes('grow text-lg').props('outlined').mark(f'scale-{item.id}')
                lead = ui.select({k: t(v) for k, v in LEADS.items()}, value=choice['lead'], label=t('牵头单位')) \
                    .classes('grow text-lg').props('outlined').mark(f'lead-{item.id}')
            body = ui.label(_lead_body(item, str(choice['scale']))).classes('text-base').mark(f'body-{item.id}')

            def scale_changed(event) -> None:
                if event.value in SCALE_LEAD:  # the lead follows the class; both selects show what will happen
                    choice['scale'] = event.value
                    lead.value = SCALE_LEAD[event.value]
                    body.text = _lead_body(item, event.value)

            def lead_changed(event) -> None:
                choice['lead'] = event.value

            scale.on_value_change(scale_changed)
            lead.on_value_change(lead_changed)
            ui.switch(t('紧急，立即协商'), value=bool(choice['urgent']),
                      on_change=lambda e: choice.__setitem__('urgent', bool(e.value))) \
                .classes('text-lg').mark(f'urgent-{item.id}')
            ui.input(t('说明（可不填）'), value=str(choice['note']),
                     on_change=lambda e: choice.__setitem__('note', e.value or '')) \
                .classes('w-full text-lg').props('outlined maxlength=200').mark(f'note-{item.id}')
            problem = admin.problem_label()
            button = ui.button(t('确认分流'), icon='check').classes('w-full text-lg').mark(f'confirm-{item.id}')
            button.on_click(lambda: self._confirm(item, choice, button, problem))

    async def _confirm(self, item: Pending, choice: dict[str, object], button: ui.button, problem: ui.label) -> None:
        button.disable()
        try:
            await triage.classify(self.user, item.id, scale=str(choice['scale'] or ''), lead=str(choice['lead'] or ''),
                                  urgent=bool(choice['urgent']), reason=str(choice['note'] or '') or None)
        except DomainError as e:
            admin.show_problem(problem, e)
            if not button.is_deleted:
                button.enable()
            return
        self.choices.pop(item.id, None)
        ui.notify(t('已分流：{title}', title=item.title), type='positive')
        self.refresh()

    # ---- 三事分送清单 ----

    async def _dispatch(self) -> None:
        lst = await triage.dispatch_list(self.user, self.community_id)
        with ui.row().classes('w-full gap-2 no-print'):
            ui.button(t('打印'), icon='print', on_click=lambda: ui.run_javascript('window.print()')) \
                .props('outline').classes('text-lg').mark('print')
            ui.button(t('导出 Excel'), icon='download',
                      on_click=lambda: ui.download.from_url('/triage/dispatch.xlsx')) \
                .props('outline').classes('text-lg').mark('export-xlsx')
        ui.label(t('{community}三事分送清单', community=lst.community_name)).classes('text-xl font-bold')
        ui.label(local_time(lst.at)[:10]).classes('gs-muted')
        for group in lst.groups:
            ui.label(t('{scale}（{n} 项）', scale=t(group.label), n=len(group.items))) \
                .classes('text-lg font-bold pt-2').mark(f'group-{group.scale}')
            if not group.items:
                ui.label(t('无')).classes('gs-muted')
            for item in group.items:
                self._dispatch_card(item)

    def _dispatch_card(self, item: DispatchItem) -> None:
        frame = 'gs-card w-full gap-0' + (' border-2 border-red-600' if item.overdue else '')
        with ui.card().classes(frame).mark(f'dispatch-{item.id}'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.label(item.title).classes('text-lg font-bold grow break-all')
                if item.urgent:
                    ui.badge(t('紧急'), color='negative').classes('text-base')
                if item.overdue:
                    ui.badge(t('已超期'), color='negative').classes('text-base').mark(f'overdue-{item.id}')
            ui.label(' · '.join(p for p in (t(item.category), item.place) if p)).classes('gs-muted')
            ui.label(t('牵头：{body}', body=item.council or t(item.lead_body))).classes('text-base')
            ui.label(t('状态：{state}', state=t(lifecycle.label(item.state)))).classes('text-base')
            if item.due_at is not None:
                ui.label(t('街道答复期限：{date}', date=local_time(item.due_at)[:10])) \
                    .classes('text-base' + (' text-negative font-bold' if item.overdue else '')) \
                    .mark(f'due-{item.id}')
            if item.state == 'referred':
                ui.button(t('记录街道答复'), icon='reply', on_click=lambda: self._reply_dialog(item)) \
                    .props('outline').classes('text-lg no-print mt-2').mark(f'reply-{item.id}')

    def _reply_dialog(self, item: DispatchItem) -> None:
        with ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
            ui.label(t('记录街道答复')).classes('text-lg font-bold')
            ui.label(item.title).classes('gs-muted break-all')
            reply = ui.textarea(t('街道的答复')).classes('w-full text-lg') \
                .props('outlined autogrow maxlength=500').mark('reply-text')
            outcome = ui.radio({'closed': t('已办结'), 'back': t('退回社区协商')}, value='closed') \
                .classes('text-lg').mark('reply-outcome')
            problem = admin.problem_label()

            async def save() -> None:
                await triage.record_street_reply(self.user, item.id, reply=reply.value or '',
                                                 handled=outcome.value == 'closed')
                self.refresh()

            admin.dialog_buttons(dialog, problem, save, marker='reply-save')
        dialog.open()


def _lead_body(item: Pending, scale: str) -> str:
    """Who will lead, by name when the council exists, as the meeting should hear it before confirming."""
    if scale == 'big':
        return t('转街道（乡镇）办理，{days} 个工作日内答复', days=STREET_REPLY_WORKING_DAYS)
    if scale == 'small':
        return t('牵头：{body}', body=item.community_council) if item.community_council \
            else t('社区还没有议事协商委员会')
    return t('牵头：{body}', body=item.compound_council) if item.compound_council else t('这个小区还没有议事会')


def register() -> None:
    ui.page('/triage')(triage_page)
    app.get('/triage/dispatch.xlsx', include_in_schema=False)(dispatch_download)
