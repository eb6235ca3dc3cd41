"""/meetings/{id}/attendance: who came — the count, seats present or missing, by building, the list, live — with
the Excel export (/meetings/{id}/attendance.xlsx) and the printable paper sign-in sheet (…/signin-sheet)."""
from __future__ import annotations

from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui

from components import session
from components.admin import no_permission, not_found
from components.downloads import download
from components.frame import empty_state, frame
from components.live import on_event
from components.signin import login_redirect
from components.when import local_time
from domain.attendance import Invitee, SeatLine
from domain.errors import DomainError
from domain.i18n import t
from services import attendance, attendance_files
from services.attendance import Attendance

BLANK_ROWS = 20  # for people who come without an invitation
SEAT_LOOK = {'present': ('check_circle', 'text-positive'), 'missing': ('cancel', 'text-negative'),
             'empty': ('remove_circle_outline', 'text-grey-6')}
SHEET_CSS = '''<style>
.gs-signin { width: 100%; border-collapse: collapse; font-size: 15px; background: #fff; }
.gs-signin th, .gs-signin td { border: 1px solid #333; padding: 6px 8px; text-align: left; height: 34px; }
.gs-signin th { background: #eee; }
.gs-signin td.gs-no { width: 3.5em; text-align: center; }
.gs-signin td.gs-sign { width: 30%; }
@media print {
  @page { size: A4; margin: 12mm; }
  .gs-content { max-width: none !important; padding: 0 !important; margin: 0 !important; }
  .q-page-container, .q-layout { padding: 0 !important; }
  .gs-signin tr { break-inside: avoid; page-break-inside: avoid; }
  .gs-signin thead { display: table-header-group; }
}
</style>'''


async def attendance_page(meeting_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    path = f'/meetings/{int(meeting_id)}'
    if not user.is_authenticated:
        return login_redirect(f'{path}/attendance')
    try:
        first = await attendance.attendance(user, meeting_id)
    except DomainError as e:
        with frame(t('签到情况'), user=user, active='meetings', back='/meetings'):
            no_permission() if e.code == 'forbidden' else not_found(e.message)
        return None
    with frame(t('签到情况'), user=user, active='meetings', back=path):

        @ui.refreshable
        async def content() -> None:
            try:
                report = await attendance.attendance(user, meeting_id)
            except DomainError as e:
                not_found(e.message)
                return
            _draw(report)

        with ui.row().classes('w-full gap-2 no-print'):
            ui.button(t('导出签到表'), icon='download',
                      on_click=lambda: ui.download.from_url(f'{path}/attendance.xlsx')) \
                .props('outline').classes('text-lg').mark('export-xlsx')
            ui.button(t('打印签到表'), icon='print', on_click=lambda: ui.navigate.to(f'{path}/signin-sheet')) \
                .props('outline').classes('text-lg').mark('signin-sheet')
            ui.button(t('投到大屏'), icon='tv', on_click=lambda: ui.navigate.to(f'{path}/screen')) \
                .props('outline').classes('text-lg').mark('open-screen')
        await content()
        on_event('meeting.checkin.created', lambda _: content.refresh(), community_id=first.community_id,
                 at_most_every=1, where=lambda event: event.payload.get('meeting_id') == meeting_id)
    return None


def _draw(report: Attendance) -> None:
    ui.label(report.title).classes('text-xl font-bold break-all').mark('attendance-title')
    ui.label(f'{attendance.when_text(report.starts_at, report.ends_at)} · {report.place}').classes('gs-muted')
    with ui.card().classes('gs-card w-full items-center gap-0'):
        with ui.row().classes('items-baseline gap-2'):
            ui.label(t('已签到')).classes('text-2xl font-bold')
            ui.label(str(report.total)).classes('text-6xl font-bold text-primary').mark('attendance-count')
            ui.label(t('人')).classes('text-2xl font-bold')
        ui.label(t('受邀 {invited} 人 · 现场登记 {walk_ins} 人 · 待核验 {pending} 人', invited=report.invited,
                   walk_ins=report.walk_ins, pending=report.pending)).classes('text-base gs-muted') \
            .mark('attendance-breakdown')
    _seats(report)
    _buildings(report)
    _entries(report)


def _seats(report: Attendance) -> None:
    with ui.card().classes('gs-card w-full gap-2').mark('seats'):
        ui.label(t('席位 · {template}', template=t(report.template))).classes('text-lg font-bold')
        ui.label(t('{present}/{total} 个席位有人到场', present=report.seats_present, total=report.seats_total)) \
            .classes('text-base').mark('seats-summary')
        for line in report.seats:
            _seat_line(line)


def _seat_line(line: SeatLine) -> None:
    icon, colour = SEAT_LOOK[line.state]
    with ui.row().classes('w-full items-start gap-2 no-wrap').mark(f'seat-{line.key}'):
        ui.icon(icon).classes(f'text-2xl {colour}').props(f'aria-label="{t(_STATE_WORDS[line.state])}"')
        with ui.column().classes('gap-0 grow min-w-0'):
            ui.label(t(line.label)).classes('text-base font-bold')
            if not line.invitees:
                ui.label(t('未邀请')).classes('gs-muted')
            for person in line.present:
                ui.label(t('✓ {name}（{time} 签到）', name=_who(person), time=local_time(person.checked_in_at)[11:])) \
                    .classes('text-positive break-all')
            for person in line.missing:
                ui.label(t('✗ {name} 未到', name=_who(person))).classes('text-negative break-all')


_STATE_WORDS = {'present': '已到', 'missing': '未到', 'empty': '未邀请'}


def _who(person: Invitee) -> str:
    """'孙经理 · 嘉明物业' for someone invited for an organisation."""
    return f'{person.name} · {person.organisation}' if person.organisation else person.name


def _buildings(report: Attendance) -> None:
    with ui.card().classes('gs-card w-full gap-1').mark('buildings'):
        ui.label(t('按楼栋')).classes('text-lg font-bold')
        if not report.buildings:
            ui.label(t('还没有人签到')).classes('gs-muted')
        for label, count in report.buildings:
            with ui.row().classes('w-full justify-between text-base'):
                ui.label(t(label))
                ui.label(t('{n} 人', n=count)).classes('font-bold')


def _entries(report: Attendance) -> None:
    ui.label(t('签到名单')).classes('text-lg font-bold pt-2')
    if not report.entries:
        empty_state(t('还没有人签到'), 'how_to_reg')
    for entry in report.entries:
        with ui.card().classes('gs-card w-full gap-0').mark(f'checkin-{entry.resident_id}'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.label(entry.name).classes('text-lg font-bold grow break-all')
                if entry.seat:
                    ui.badge(t(entry.seat)).classes('text-sm')
                if entry.pending:
                    ui.badge(t('待核验'), color='warning').classes('text-sm')
                ui.label(local_time(entry.at)[11:]).classes('text-base')
            details = [entry.place, entry.phone, t(entry.method_label)]
            if entry.by:
                details.append(t('经办：{name}', name=entry.by))
            ui.label(' · '.join(p for p in details if p)).classes('gs-muted break-all')


async def attendance_download(meeting_id: int) -> Response:
    return await download(lambda user: attendance_files.attendance_xlsx(user, meeting_id),
                          back=f'/meetings/{int(meeting_id)}/attendance',
                          fallback=f'meeting-{int(meeting_id)}-attendance.xlsx')


async def signin_sheet_page(meeting_id: int) -> RedirectResponse | None:
    """The paper sheet for the door: invitees pre-filled by seat, then blank rows for everyone else."""
    user = await session.current_user()
    path = f'/meetings/{int(meeting_id)}'
    if not user.is_authenticated:
        return login_redirect(f'{path}/signin-sheet')
    ui.add_head_html(SHEET_CSS)
    with frame(t('签到表'), user=user, back=f'{path}/attendance', nav=False):
        try:
            report = await attendance.attendance(user, meeting_id)
        except DomainError as e:
            no_permission() if e.code == 'forbidden' else not_found(e.message)
            return None
        _sheet(report)
    return None


def _sheet(report: Attendance) -> None:
    with ui.row().classes('w-full no-print'):
        ui.button(t('打印'), icon='print', on_click=lambda: ui.run_javascript('window.print()')) \
            .classes('text-lg').mark('print')
    ui.label(t('{title} 签到表', title=report.title)).classes('text-2xl font-bold text-center w-full break-all') \
        .mark('sheet-title')
    ui.label(t('{community} · {when} · {place}', community=report.community,
               when=attendance.when_text(report.starts_at, report.ends_at), place=report.place)) \
        .classes('text-base text-center w-full')
    with ui.element('table').classes('gs-signin'):
        with ui.element('thead'), ui.element('tr'):
            for head in ('序号', '姓名', '楼栋房号', '席位', '签名'):
                with ui.element('th'):
                    ui.label(t(head))
        with ui.element('tbody'):
            invitees = report.invitees
            for number in range(1, len(invitees) + BLANK_ROWS + 1):
                person = invitees[number - 1] if number <= len(invitees) else None
                with ui.element('tr').mark(f'sheet-row-{number}'):
                    _cell(str(number), 'gs-no')
                    _cell(_who(person) if person else '')
                    _cell(person.place if person else '')
                    _cell(t(_seat_of(report, person.seat_kind)) if person else '')
                    _cell('', 'gs-sign')


def _cell(text: str, classes: str = '') -> None:
    with ui.element('td').classes(classes):
        if text:
            ui.label(text)


def _seat_of(report: Attendance, kind: str) -> str:
    return next((line.label for line in report.seats if line.key == kind), kind)


def register() -> None:
    ui.page('/meetings/{meeting_id}/attendance')(attendance_page)
    ui.page('/meetings/{meeting_id}/signin-sheet')(signin_sheet_page)
    app.get('/meetings/{meeting_id}/attendance.xlsx', include_in_schema=False)(attendance_download)
