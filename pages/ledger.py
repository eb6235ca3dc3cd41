"""/ledger: the staff ledger (台账) of every issue and wish, with filters; /ledger.xlsx exports what is shown.

On a phone each item is a card; from a tablet up the same elements line up as the columns of a table.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui

from components import admin
from components.downloads import File, community_download
from components.when import local_time
from domain import triage
from domain.i18n import t
from domain.permissions import Principal
from services import audit, issue_views, issues, ledger
from services.ledger import Filters

ALL = ''  # the "any" choice of a filter


async def ledger_page() -> RedirectResponse | None:
    return await admin.community_screen('/ledger', t('台账'), 'issue.ledger', _build)


async def ledger_xlsx(request: Request) -> Response:
    """The Excel export with the page's filters as query parameters, for people who may read the ledger."""
    async def make(user: Principal, community_id: int) -> File:
        return await ledger.export_xlsx(user, community_id, Filters.from_query(request.query_params), at=audit.now())

    return await community_download('issue.ledger', make, request=request, back='/ledger', fallback='ledger.xlsx',
                                    otherwise=400)


async def _build(screen: admin.AdminScreen) -> None:
    places = await issue_views.places(screen.user, screen.community_id)
    await _Ledger(screen.user, screen.community_id, places.compounds).draw()


class _Ledger:
    """The filters chosen so far and how many items are shown."""

    def __init__(self, user: Principal, community_id: int, compounds: dict[int, str]) -> None:
        self.user, self.community_id, self.compounds = user, community_id, compounds
        self.filters = Filters()
        self.limit = ledger.PAGE

    async def draw(self) -> None:
        with ui.expansion(t('筛选'), icon='filter_list', value=True).classes('w-full text-lg').mark('ledger-filters'):
            with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4 gap-2'):
                self._choice('kind', t('类型'), issues.KINDS)
                self._choice('state', t('状态'), ledger.states())
                self._choice('channel', t('来源渠道'), ledger.channels())
                self._choice('category', t('类别'), {k: c.label for k, c in triage.CATEGORIES.items()})
                self._choice('compound_id', t('小区'), self.compounds)
                self._choice('scale', t('分类'), triage.SCALES)
                self._day('since', t('从（提出日期）'))
                self._day('until', t('到（提出日期）'))
            ui.input(t('搜索标题、内容、提出人或编号'),
                     on_change=lambda e: self._set('text', (e.value or '').strip())) \
                .classes('w-full text-lg').props('outlined clearable').mark('ledger-search')
        self.items = ui.refreshable(self._items)
        await self.items()

    def _choice(self, name: str, label: str, options: dict) -> None:
        choices = {ALL: t('全部'), **{key: t(text) for key, text in options.items()}}
        ui.select(choices, value=ALL, label=label,
                  on_change=lambda e: self._set(name, None if e.value in (ALL, None) else e.value)) \
            .classes('w-full text-lg').props('outlined').mark(f'ledger-{name}')

    def _day(self, name: str, label: str) -> None:
        def changed(event) -> None:
            try:
                value = date.fromisoformat(event.value) if event.value else None
            except ValueError:
                return  # half typed
            self._set(name, value)

        ui.input(label, on_change=changed).props('outlined stack-label type=date clearable') \
            .classes('w-full text-lg').mark(f'ledger-{name}')

    def _set(self, name: str, value: object) -> None:
        self.filters = self.filters.with_(**{name: value})
        self.limit = ledger.PAGE
        self.items.refresh()

    async def _items(self) -> None:
        total, rows = await ledger.page(self.user, self.community_id, self.filters, limit=self.limit)
        with ui.row().classes('w-full items-center justify-between'):
            ui.label(t('共 {n} 条', n=total)).classes('text-lg font-bold').mark('ledger-total')
            query = urlencode({**self.filters.as_query(), 'community': self.community_id})
            ui.button(t('导出 Excel'), icon='download',
                      on_click=lambda: ui.download.from_url(f'/ledger.xlsx?{query}')) \
                .props('unelevated').classes('text-lg').mark('ledger-export')
        if not rows:
            ui.label(t('没有符合条件的记录')).classes('gs-muted text-lg').mark('ledger-empty')
            return
        _header()
        with ui.column().classes('w-full gap-2 sm:gap-0'):
            for row in rows:
                _row(row)
        if total > len(rows):
            ui.button(t('显示更多'), on_click=self._more).props('flat').classes('w-full text-lg').mark('ledger-more')

    def _more(self) -> None:
        self.limit += ledger.PAGE
        self.items.refresh()


# column widths from a tablet up; on a phone every cell takes the card's full width
_COLUMNS = (('编号', 'sm:w-14'), ('标题', 'sm:grow sm:w-0'), ('状态', 'sm:w-24'), ('渠道', 'sm:w-24'),
            ('提出人', 'sm:w-24'), ('附议数', 'sm:w-14'), ('提出时间', 'sm:w-36'), ('街道答复期限', 'sm:w-36'))


def _header() -> None:
    with ui.row().classes('hidden sm:flex w-full no-wrap gap-3 px-3 py-2 font-bold border-b-2'):
        for text, width in _COLUMNS:
            ui.label(t(text)).classes(width)


def _row(row: ledger.Row) -> None:
    widths = dict(_COLUMNS)
    with ui.element('div').classes('gs-card w-full flex flex-col sm:flex-row sm:items-center sm:no-wrap gap-1 sm:gap-3 '
                                   'p-3 sm:py-2 sm:rounded-none sm:shadow-none border-b').mark(f'ledger-row-{row.id}'):
        with ui.row().classes(f'{widths["编号"]} gap-2 items-center'):
            ui.label(f'#{row.id}').classes('font-bold')
            ui.label(t(row.kind_label)).classes('sm:hidden gs-muted')
        with ui.column().classes(f'{widths["标题"]} gap-0'):
            ui.link(row.title, f'/issues/{row.id}').classes('text-lg font-bold break-all')
            place = ' '.join(p for p in (row.compound, row.building) if p)
            details = [t(row.kind_label), t(row.category), place, *( [t(row.scale)] if row.scale else [])]
            ui.label(' · '.join(p for p in details if p)).classes('gs-muted text-sm')
        _cell(widths['状态'], '状态', t(row.state_label), bold=True)
        _cell(widths['渠道'], '渠道', t(row.channel))
        _cell(widths['提出人'], '提出人', row.author)
        _cell(widths['附议数'], '附议数', str(row.supports))
        _cell(widths['提出时间'], '提出时间', local_time(row.created_at))
        due = local_time(row.street_due_at)
        _cell(widths['街道答复期限'], '街道答复期限', (t('{due}（已超期）', due=due) if row.overdue else due),
              alert=row.overdue)


def _cell(width: str, caption: str, value: str, *, bold: bool = False, alert: bool = False) -> None:
    if not value:
        ui.element('div').classes(f'hidden sm:block {width}')
        return
    with ui.row().classes(f'{width} gap-1 no-wrap items-baseline'):
        ui.label(t(caption) + '：').classes('sm:hidden gs-muted')
        ui.label(value).classes(('font-bold ' if bold else '') + ('text-negative font-bold' if alert else '')
                                + ' break-all')


def register() -> None:
    ui.page('/ledger')(ledger_page)
    app.get('/ledger.xlsx', include_in_schema=False)(ledger_xlsx)
