"""签到 pages: /m/{token} (the meeting QR on the poster or projector: a resident taps 签到, a first-timer registers)
and /meetings/{id}/checkin (a volunteer finds people by name, phone or room). The answer is one big coloured card:
green 签到成功, amber 已签到 19:02, red with the reason.
"""
from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from components import session
from components.admin import no_permission, not_found
from components.frame import error_banner, frame
from components.live import on_event
from components.signin import login_redirect, phone_input
from components.when import local_time
from domain.credentials import safe_next
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from models import Meeting
from services import audit, checkin_search, checkins, codes, walkins
from services.checkins import ScanAnswer

LOOKS = {  # result → (card colour, icon)
    'checked_in': ('bg-positive', 'task_alt'),
    'already': ('bg-warning', 'history'),
    'refused': ('bg-negative', 'block'),
}


def answer_card(answer: ScanAnswer) -> None:
    """The answer, big enough to read at arm's length in a dim courtyard."""
    colour, icon = LOOKS.get(answer.result, LOOKS['refused'])
    with ui.card().classes(f'gs-card {colour} text-white items-center gap-1 py-6') \
            .props('role=status aria-live=assertive').mark(f'answer-{answer.result}'):
        ui.icon(icon).classes('text-7xl')
        ui.label(answer.message).classes('text-3xl font-bold text-center break-all').mark('answer-message')
        if answer.name:
            ui.label(answer.name).classes('text-2xl text-center break-all').mark('answer-name')
        details = ' · '.join(part for part in (answer.place, answer.seat) if part)
        if details:
            ui.label(details).classes('text-lg text-center break-all')
        if answer.pending and answer.result != 'refused':
            ui.label(t('待社区核实身份')).classes('text-lg text-center')


def _meeting_header(meeting: Meeting) -> None:
    ui.label(meeting.title).classes('text-2xl font-bold break-all').mark('meeting-title')
    ui.label(f'{local_time(meeting.starts_at)} · {meeting.place}').classes('text-lg gs-muted break-all')


# ---- /m/{token}: the meeting's own QR ----

async def meeting_qr_page(token: str) -> None:
    user = await session.current_user()
    with frame(t('议事会签到'), user=user, nav=False):
        try:
            meeting = await codes.resolve_meeting_token(token)
        except DomainError as e:
            error_banner(e.message).classes('text-xl').mark('checkin-error')
            return
        _meeting_header(meeting)
        here = f'/m/{codes.meeting_token(meeting)}'  # built from the row, not echoed from the address bar
        box = ui.column().classes('w-full gap-3')
        with box:
            if user.is_authenticated and user.resident_id is not None:
                _self_button(user, token, box)
            else:
                _choices(user, meeting, token, here, box)
        if user.resident_id is not None and can(user, 'checkin.scan', meeting.community_id):
            _volunteer_button(meeting)


def _self_button(user: Principal, token: str, box: ui.column) -> None:
    async def tap() -> None:
        button.disable()
        try:
            answer = await checkins.check_in_self(user, token)
        except DomainError as e:
            answer = checkins.refusal(e)
        box.clear()
        with box:
            answer_card(answer)
            if answer.result != 'refused':
                ui.button(t('签到'), icon='how_to_reg', on_click=tap).classes('w-full text-2xl py-4') \
                    .props('outline').mark('checkin-self')

    button = ui.button(t('签到'), icon='how_to_reg', on_click=tap) \
        .classes('w-full text-3xl py-8').props('unelevated size=xl').mark('checkin-self')


def _choices(user: Principal, meeting: Meeting, token: str, here: str, box: ui.column) -> None:
    if user.is_authenticated and can(user, 'checkin.scan', meeting.community_id):
        _volunteer_button(meeting)
    if not user.is_authenticated:
        login = f'/login?next={quote(safe_next(here), safe="/")}'
        ui.button(t('登录后签到'), icon='login', on_click=lambda: ui.navigate.to(login)) \
            .classes('w-full text-2xl py-4').mark('checkin-login')
    ui.button(t('我是第一次来'), icon='person_add', on_click=lambda: _walk_in_form(token, box)) \
        .classes('w-full text-2xl py-4').props('outline').mark('checkin-walk-in')


def _volunteer_button(meeting: Meeting) -> None:
    ui.button(t('我是志愿者：帮别人签到'), icon='qr_code_scanner',
              on_click=lambda: ui.navigate.to(f'/meetings/{meeting.id}/checkin')) \
        .classes('w-full text-xl').props('outline').mark('checkin-volunteer')


def _walk_in_form(token: str, box: ui.column) -> None:
    box.clear()
    with box:
        ui.label(t('第一次来？登记后即可签到，社区工作人员会后核实。')).classes('text-lg')
        name = ui.input(t('姓名')).classes('w-full text-xl').props('outlined maxlength=40 autocomplete=name') \
            .mark('walk-in-name')
        phone = phone_input().mark('walk-in-phone')
        room = ui.input(t('住址，例如 3栋502')).classes('w-full text-xl').props('outlined maxlength=40') \
            .mark('walk-in-room')
        problem = error_banner('').mark('walk-in-error')

        async def submit() -> None:
            button.disable()
            try:
                answer = await walkins.register_walk_in(token, name=name.value, phone=phone.value,
                                                        room_text=room.value)
            except DomainError as e:
                problem.set_text(e.message)
                button.enable()
                return
            box.clear()
            with box:
                answer_card(answer)

        button = ui.button(t('登记并签到'), icon='how_to_reg', on_click=submit).classes('w-full text-2xl py-4') \
            .mark('walk-in-submit')


# ---- /meetings/{id}/checkin: search by name, phone or room ----

async def search_page(meeting_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/meetings/{int(meeting_id)}/checkin')
    try:
        meeting = await checkins.meeting_for(user, meeting_id)
    except DomainError as e:
        with frame(t('搜索签到'), user=user, back='/meetings'):
            no_permission() if e.code == 'forbidden' else not_found(e.message)
        return None
    app.storage.user['scan_meeting'] = meeting.id  # the /c/{token} fallback checks people in to this meeting
    with frame(t('搜索签到'), user=user, back=f'/meetings/{meeting.id}', nav=False):
        _meeting_header(meeting)
        count = ui.label().classes('text-2xl font-bold').props('aria-live=polite').mark('checkin-count')
        if not checkins.window_open(meeting, audit.now()):
            ui.label(t('现在不在签到时间内（开会前一小时到会议结束）')).classes('text-warning text-lg') \
                .mark('checkin-closed')
        ui.link(t('用摄像头扫居民个人码'), f'/meetings/{meeting.id}/scan') \
            .classes('text-xl font-bold text-primary').mark('checkin-scan-link')
        query = ui.input(t('姓名、手机号后四位或房号')).classes('w-full text-2xl') \
            .props('outlined clearable autofocus maxlength=40 type=search').mark('checkin-query')
        answer_box = ui.column().classes('w-full')
        state = {'query': ''}

        async def show_count(_event=None) -> None:
            count.text = t('已签到 {n} 人', n=await checkins.checked_in_count(meeting.id))

        @ui.refreshable
        async def results() -> None:
            if not state['query']:
                return
            found = await checkin_search.search(user, meeting.id, state['query'])
            if not found:
                ui.label(t('没有找到，换个写法试试，或请本人扫签到二维码登记')).classes('gs-muted text-lg') \
                    .mark('checkin-none')
            for person in found:
                _candidate(user, meeting, person, answer_box, after=results.refresh)

        async def find() -> None:
            state['query'] = (query.value or '').strip()
            answer_box.clear()
            results.refresh()

        query.on('keydown.enter', find)
        ui.button(t('查找'), icon='search', on_click=find).classes('w-full text-xl').mark('checkin-find')
        await show_count()
        await results()

        async def changed(_event) -> None:
            await show_count()
            results.refresh()

        on_event('meeting.checkin.created', changed, community_id=meeting.community_id, at_most_every=1,
                 where=lambda event: event.payload.get('meeting_id') == meeting.id)
    return None


def _candidate(user: Principal, meeting: Meeting, person: checkin_search.Candidate, answer_box: ui.column, *,
               after) -> None:
    nonce = secrets.token_urlsafe(12)  # one per card drawn: a double tap is one check-in with one answer

    async def tap() -> None:
        try:
            answer = await checkins.check_in_resident(user, meeting.id, person.resident_id, nonce=nonce)
        except DomainError as e:
            answer = checkins.refusal(e)
        answer_box.clear()
        with answer_box:
            answer_card(answer)
        after()

    with ui.card().classes('gs-card w-full gap-1').mark(f'candidate-{person.resident_id}'):
        ui.label(person.name).classes('text-2xl font-bold break-all')
        line = ' · '.join(part for part in (person.place, person.phone, person.seat) if part)
        ui.label(line).classes('text-lg gs-muted break-all')
        if person.pending:
            ui.label(t('待社区核实身份')).classes('text-warning')
        if person.checked_in_at is not None:
            ui.label(t('已签到 {at}', at=checkins.clock(person.checked_in_at))).classes('text-warning text-xl') \
                .mark(f'candidate-done-{person.resident_id}')
        else:
            ui.button(t('签到'), icon='how_to_reg', on_click=tap).classes('w-full text-2xl') \
                .mark(f'candidate-checkin-{person.resident_id}')


def register() -> None:
    ui.page('/m/{token}')(meeting_qr_page)
    ui.page('/meetings/{meeting_id}/checkin')(search_page)
