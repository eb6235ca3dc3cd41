"""/admin/roster: staff download the template, upload their filled-in sheet, see every error by row and column,
then import all rows — or, after confirming, only the good ones. Templates at /admin/roster/template.xlsx|csv.
"""
from __future__ import annotations

from itertools import groupby

from fastapi import Response
from fastapi.responses import RedirectResponse
from nicegui import app, events, ui

from components import admin
from components.confirm import confirm
from components.downloads import File, community_download
from components.frame import error_banner
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import roster

MAX_SHOWN_ERRORS = 200  # a phone shows the first ones; fixing them usually fixes the rest
TEMPLATES = {'xlsx': '居民花名册模板.xlsx', 'csv': '居民花名册模板.csv'}


async def roster_page() -> RedirectResponse | None:
    return await admin.community_screen('/admin/roster', t('导入居民花名册'), 'roster.import', _roster,
                                        community_row=True)


async def _roster(screen: admin.AdminScreen) -> None:
    _RosterScreen(screen.user, screen.community_id, screen.community.name).build()


async def template_xlsx() -> Response:
    return await _template('xlsx')


async def template_csv() -> Response:
    return await _template('csv')


async def _template(kind: str) -> Response:
    """The template file, for people who may import a roster somewhere; others are sent to sign in or refused."""
    async def make(_user: Principal, _community_id: int) -> File:
        return TEMPLATES[kind], roster.template_xlsx() if kind == 'xlsx' else roster.template_csv()

    return await community_download('roster.import', make, back='/admin/roster', fallback=f'roster-template.{kind}')


class _RosterScreen:
    """One upload at a time: the file's bytes stay on the server until imported or replaced."""

    def __init__(self, user: Principal, community_id: int, community_name: str) -> None:
        self.user = user
        self.community_id = community_id
        self.community_name = community_name
        self.filename = ''
        self.data: bytes | None = None
        self.report: roster.RosterReport | None = None
        self.result: roster.ImportResult | None = None
        self.problem = ''
        self.busy = False
        self.upload: ui.upload | None = None

    def build(self) -> None:
        with ui.card().classes('gs-card w-full gap-2'):
            ui.label(t('第一步：下载模板，按模板填写')).classes('text-lg font-bold')
            ui.label(t('每行一位居民。表格里的“说明”页写明了每一列怎么填。')).classes('gs-muted')
            with ui.row().classes('w-full gap-2 no-wrap'):
                ui.button(t('Excel 模板'), icon='download',
                          on_click=lambda: ui.download.from_url('/admin/roster/template.xlsx')) \
                    .classes('grow text-lg').mark('template-xlsx')
                ui.button(t('CSV 模板'), icon='download',
                          on_click=lambda: ui.download.from_url('/admin/roster/template.csv')) \
                    .props('outline').classes('grow text-lg').mark('template-csv')
        with ui.card().classes('gs-card w-full gap-2'):
            ui.label(t('第二步：上传填好的表格')).classes('text-lg font-bold')
            ui.label(t('导入到：{community}', community=self.community_name)).classes('gs-muted')
            ui.label(t('支持 .xlsx 和 .csv 文件，不超过 5 MB。上传后先检查，不会马上导入。')).classes('gs-muted')
            self.upload = ui.upload(label=t('选择文件'), auto_upload=True, max_file_size=roster.MAX_BYTES,
                                    on_upload=self._received, on_rejected=self._rejected) \
                .props('accept=".xlsx,.csv" flat bordered').classes('w-full').mark('roster-upload')
        self.show()

    @ui.refreshable_method
    def show(self) -> None:
        if self.problem:
            error_banner(self.problem).mark('roster-problem')
        if self.result is not None:
            self._result_card(self.result)
        if self.report is not None:
            self._report_card(self.report)

    async def _received(self, event: events.UploadEventArguments) -> None:
        self.result = None
        self.report = None
        self.data = None
        self.problem = ''
        if event.file.size() > roster.MAX_BYTES:  # the browser's limit can be bypassed
            self.problem = t('文件太大（超过 5 MB）。请删去多余的工作表和图片，或分成几个文件')
        else:
            data = await event.file.read()
            try:
                self.report = await roster.preview(self.user, self.community_id, event.file.name, data)
            except DomainError as e:
                self.problem = e.message
            else:
                self.data, self.filename = data, event.file.name
        if self.upload is not None:
            self.upload.reset()
        self.show.refresh()

    def _rejected(self) -> None:
        self.problem = t('文件太大（超过 5 MB）。请删去多余的工作表和图片，或分成几个文件')
        self.show.refresh()

    def _report_card(self, report: roster.RosterReport) -> None:
        planned = report.planned
        with ui.card().classes('gs-card w-full gap-2').mark('roster-report'):
            ui.label(t('检查结果')).classes('text-lg font-bold')
            ui.label(report.filename).classes('gs-muted break-all')
            with ui.row().classes('w-full no-wrap'):
                admin.stat(report.rows, t('行数据'))
                admin.stat(report.good_rows, t('行正确'))
                admin.stat(len(report.bad_rows), t('行有错误'))
            counts = dict(h=planned.households.created, hu=planned.households.updated, r=planned.residents.created,
                          ru=planned.residents.updated, u=planned.households.unchanged)
            if report.errors:
                ui.label(t('只导入正确的行时：新增 {h} 户、更新 {hu} 户；新增 {r} 位居民、更新 {ru} 位；{u} 户未变',
                           **counts)).classes('text-base')
            else:
                ui.label(t('导入后：新增 {h} 户、更新 {hu} 户；新增 {r} 位居民、更新 {ru} 位；{u} 户未变', **counts)) \
                    .classes('text-base')
            if report.errors:
                self._error_list(report)
            self._actions(report)

    def _error_list(self, report: roster.RosterReport) -> None:
        ui.label(t('请在表格里改正下面的错误，再重新上传：')).classes('text-base font-bold text-negative')
        with ui.column().classes('w-full gap-2').mark('roster-errors'):
            for number, errors in groupby(report.errors[:MAX_SHOWN_ERRORS], key=lambda e: e.row):
                with ui.column().classes('w-full gap-0').mark(f'error-row-{number}'):
                    ui.label(t('第 {row} 行', row=number)).classes('font-bold')
                    for error in errors:  # the header and the message may carry what was typed: text only
                        with ui.row().classes('w-full no-wrap gap-2 items-start pl-2'):
                            ui.label(error.column).classes('text-primary whitespace-nowrap')
                            ui.label(error.message).classes('grow break-all')
        if len(report.errors) > MAX_SHOWN_ERRORS:
            ui.label(t('还有 {n} 处错误没有列出', n=len(report.errors) - MAX_SHOWN_ERRORS)).classes('gs-muted')

    def _actions(self, report: roster.RosterReport) -> None:
        bad = len(report.bad_rows)
        if self.busy:
            with ui.row().classes('items-center gap-2').mark('importing'):
                ui.spinner(size='md')
                ui.label(t('正在导入，请稍候…'))
        ui.button(t('导入全部'), icon='upload', on_click=lambda: self._import(only_good_rows=False)) \
            .classes('w-full text-lg').mark('import-all').set_enabled(not bad and not self.busy)
        if not bad:
            return
        ui.label(t('还有 {bad} 行有错误，不能全部导入', bad=bad)).classes('text-warning').mark('import-all-reason')
        if report.good_rows:
            ui.button(t('仅导入正确的 {n} 行', n=report.good_rows), icon='rule',
                      on_click=lambda: self._import_good(report)) \
                .props('outline').classes('w-full text-lg').mark('import-good').set_enabled(not self.busy)

    async def _import_good(self, report: roster.RosterReport) -> None:
        question = t('只导入正确的 {n} 行？有错误的 {bad} 行不会导入，改正后可以再导入一次。',
                     n=report.good_rows, bad=len(report.bad_rows))
        if await confirm(question, ok=t('仅导入正确的行'), danger=False):
            await self._import(only_good_rows=True)

    async def _import(self, *, only_good_rows: bool) -> None:
        if self.busy or self.data is None:
            return  # a second click while the first import runs, or after it finished
        self.busy = True
        self.show.refresh()
        try:
            result = await roster.apply(self.user, self.community_id, self.filename, self.data,
                                        only_good_rows=only_good_rows)
        except DomainError as e:
            self.problem = e.message
            if isinstance(e, roster.RosterRejected):  # the records changed since the check: show the new errors
                self.report = await self._recheck()
        else:
            self.result, self.report, self.data, self.problem = result, None, None, ''
            ui.notify(t('导入完成'), type='positive')
        finally:
            self.busy = False
            self.show.refresh()

    async def _recheck(self) -> roster.RosterReport | None:
        try:
            return await roster.preview(self.user, self.community_id, self.filename, self.data or b'')
        except DomainError:
            return None

    def _result_card(self, result: roster.ImportResult) -> None:
        with ui.card().classes('gs-card w-full gap-2').mark('roster-result'):
            ui.label(t('导入完成')).classes('text-lg font-bold text-positive')
            ui.label(result.filename).classes('gs-muted break-all')
            for label, tally in ((t('住户'), result.households), (t('居民'), result.residents),
                                 (t('产权登记'), result.ownerships)):
                ui.label(t('{what}：新增 {c}，更新 {u}，未变 {n}', what=label, c=tally.created, u=tally.updated,
                           n=tally.unchanged)).classes('text-base')
            if result.compounds_created or result.buildings_created:
                ui.label(t('新建小区 {c} 个、楼栋 {b} 栋', c=result.compounds_created, b=result.buildings_created))
            if result.rows_skipped:
                ui.label(t('有错误没有导入的行：{n} 行', n=result.rows_skipped)).classes('text-warning')


def register() -> None:
    ui.page('/admin/roster')(roster_page)
    app.get('/admin/roster/template.xlsx', include_in_schema=False)(template_xlsx)
    app.get('/admin/roster/template.csv', include_in_schema=False)(template_csv)
