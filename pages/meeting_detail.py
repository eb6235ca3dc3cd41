"""/meetings/{id}: one meeting, readable without signing in — title, time, place, state, agenda, invitees by seat,
the live check-in count; the links to check-in, posters, attendance and minutes for those who may use them;
staff's 开始 / 结束 / 取消. No phone number appears here.
"""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components import session
from components.admin import dialog_buttons, not_found, problem_label, reason_dialog
from components.confirm import confirm
from components.frame import frame
from components.live import on_event
from components.meeting_card import badges, when_text
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import meeting_views, meetings

NOT_FOUND = '找不到这次议事会'


async def detail_page(meeting_id: str) -> None:
    user = await session.current_user()
    number = int(meeting_id) if meeting_id.isdecimal() and len(meeting_id) < 10 else None
    try:
        if number is None:
            raise DomainError('not_found', NOT_FOUND)
        item = await meeting_views.detail(number, viewer=user)
    except DomainError:
        with frame(t('议事会'), user=user, active='meetings', back='/meetings'):
            not_found(t(NOT_FOUND))
        return
    with frame(t('议事会'), user=user, active='meetings', back='/meetings'):
        stage = ui.element()  # dialogs live here, outside the content a live redraw replaces
        shown: dict[str, ui.label] = {}  # the check-in count label of the latest drawing
        highest = {'count': 0}

        @ui.refreshable
        async def content() -> None:
            try:
                fresh = await meeting_views.detail(item.id, viewer=user)
            except DomainError:
                not_found(t(NOT_FOUND))
                return
            shown['count'] = _draw(user, fresh, stage, content.refresh)

        await content()

        async def count_changed(event) -> None:
            # the event carries the count, so hundreds of open phones do not each ask the database; check-ins are
            # never removed, so the largest count seen is the latest even when two events arrive out of order
            count = event.payload.get('count')
            if not isinstance(count, int):
                count = await meeting_views.checked_in(item.id)
            highest['count'] = max(highest['count'], count)
            if 'count' in shown:
                shown['count'].text = _count_text(highest['count'])

        def this_meeting(event) -> bool:
            return event.payload.get('meeting_id') == item.id

        on_event('meeting.checkin.created', count_changed, community_id=item.community_id, at_most_every=1,
                 where=this_meeting)
        on_event('meeting.updated', lambda _event: content.refresh(), community_id=item.community_id,
                 where=this_meeting)


def _count_text(count: int) -> str:
    return t('已签到 {n} 人', n=count)


def _draw(user: Principal, item: meeting_views.MeetingDetail, stage: ui.element, refresh: Callable) -> ui.label:
    """The whole page; returns the check-in count label, which live events update in place."""
    with ui.card().classes('gs-card w-full gap-1'):
        ui.label(item.title).classes('text-xl font-bold break-all').mark('meeting-title')
        badges(item.format_label, item.mode_label, '定期' if item.regular else '临时', state=item.state,
               state_label=item.state_label)
        ui.label(when_text(item.starts_at, item.ends_at)).classes('text-lg').mark('meeting-when')
        ui.label(t('地点：{place}', place=item.place)).classes('text-lg break-all').mark('meeting-place')
        ui.label(' · '.join(p for p in (item.council or t(item.level_label), item.compound) if p)) \
            .classes('gs-muted')
        if item.series:
            ui.label(t('例会：{series}', series=item.series)).classes('gs-muted')
        if item.cancel_reason:
            ui.label(t('取消原因：{reason}', reason=item.cancel_reason)).classes('text-negative text-base') \
                .mark('cancel-reason')
        with ui.row().classes('items-center gap-2'):
            ui.icon('how_to_reg').classes('text-2xl text-primary')
            count = ui.label(_count_text(item.checked_in)).classes('text-lg font-bold').mark('checkin-count')
            ui.label(t('（邀请 {n} 人）', n=item.invited)).classes('gs-muted')
    if item.my_seat:
        with ui.card().classes('gs-card w-full bg-green-1').mark('my-invitation'):
            ui.label(t('您受邀参加这次议事会（{seat}）', seat=t(item.my_seat))).classes('text-lg')
    _links(user, item)
    _staff_buttons(user, item, stage, refresh)
    ui.label(t('议程')).classes('text-lg font-bold')
    if not item.agenda:
        ui.label(t('议程待定')).classes('gs-muted')
    for number, line in enumerate(item.agenda, start=1):
        with ui.row().classes('w-full items-baseline gap-2 no-wrap').mark('agenda-item'):
            ui.label(f'{number}.').classes('text-lg')
            if line.issue_id is not None and can(user, 'issue.view', item.community_id):
                ui.link(line.title, f'/issues/{int(line.issue_id)}').classes('text-lg break-all')
            else:
                ui.label(line.title).classes('text-lg break-all')
            if line.issue_state_label:
                ui.label(t(line.issue_state_label)).classes('gs-muted text-sm')
    ui.label(t('参会人员')).classes('text-lg font-bold')
    if not item.invitees:
        ui.label(t('还没有邀请参会人员')).classes('gs-muted')
    for group in item.invitees:
        with ui.column().classes('w-full gap-0').mark(f'seat-{group.kind}'):
            ui.label(t(group.label)).classes('text-base font-bold')
            ui.label('、'.join(f'{p.name}（{p.organisation}）' if p.organisation else p.name for p in group.people)) \
                .classes('text-base break-all')
    return count


def _links(user: Principal, item: meeting_views.MeetingDetail) -> None:
    """The screens around this meeting that this viewer may use (the ids are ours, never typed in)."""
    base = f'/meetings/{int(item.id)}'
    links: list[tuple[str, str, str]] = []
    if can(user, 'checkin.scan', item.community_id) and item.state in ('scheduled', 'open'):
        links += [(t('扫码签到'), 'qr_code_scanner', f'{base}/scan'),
                  (t('查找签到'), 'person_search', f'{base}/checkin')]
    if can(user, 'meeting.manage', item.community_id):
        links += [(t('签到海报'), 'image', f'{base}/poster.png'),
                  (t('海报 PDF'), 'picture_as_pdf', f'{base}/poster.pdf'), (t('投屏'), 'cast', f'{base}/screen')]
    if can(user, 'meeting.attendance', item.community_id):
        links.append((t('出勤'), 'fact_check', f'{base}/attendance'))
    links.append((t('纪要与成果'), 'description', f'{base}/minutes'))
    with ui.row().classes('w-full gap-2'):
        for label, icon, path in links:
            with ui.link(target=path).classes('no-underline').mark(f'link-{path.rsplit("/", 1)[1]}'):
                ui.button(label, icon=icon).props('outline no-caps').classes('text-base')


def _staff_buttons(user: Principal, item: meeting_views.MeetingDetail, stage: ui.element, refresh: Callable) -> None:
    if not can(user, 'meeting.manage', item.community_id) or item.state in ('closed', 'cancelled'):
        return

    async def move(question: str, act) -> None:
        if not await confirm(question, danger=False):
            return
        try:
            await act(user, item.id)
        except DomainError as e:
            ui.notify(e.message, type='warning', multi_line=True)
        refresh()

    with ui.row().classes('w-full gap-2'):
        if item.state == 'scheduled':
            ui.button(t('开始'), icon='play_arrow', on_click=lambda: move(t('现在开始这次议事会？'), meetings.start)) \
                .props('unelevated').classes('text-lg').mark('meeting-start')
        ui.button(t('结束'), icon='stop',
                  on_click=lambda: move(t('结束这次议事会？结束后不能再签到。'), meetings.close)) \
            .props('outline').classes('text-lg').mark('meeting-close')
        if item.state == 'scheduled':
            ui.button(t('取消'), icon='event_busy', on_click=lambda: _cancel_dialog(user, item, stage, refresh)) \
                .props('outline color=negative').classes('text-lg').mark('meeting-cancel')
        ui.button(t('添加议程'), icon='playlist_add', on_click=lambda: _agenda_dialog(user, item, stage, refresh)) \
            .props('outline').classes('text-lg').mark('agenda-add')


def _cancel_dialog(user: Principal, item: meeting_views.MeetingDetail, stage: ui.element, refresh: Callable) -> None:
    async def act(reason: str) -> None:
        await meetings.cancel(user, item.id, reason)
        refresh()

    reason_dialog(stage, t('取消这次议事会'), t('受邀的人会收到通知，看到取消原因。'), act,
                  max_length=meetings.MAX_REASON, field_marker='cancel-text', marker='cancel-ok',
                  ok=t('取消议事会'), done=t('已取消'))


async def _agenda_dialog(user: Principal, item: meeting_views.MeetingDetail, stage: ui.element,
                         refresh: Callable) -> None:
    """Staff add triaged issues (inviting their authors and supporters) or free items to a meeting not yet over."""
    on_agenda = {line.issue_id for line in item.agenda}
    offered = [c for c in await meeting_views.candidates(user, item.community_id) if c.id not in on_agenda]
    with stage, ui.dialog() as dialog, ui.card().classes('gs-card w-full max-w-sm'):
        ui.label(t('添加议程')).classes('text-lg font-bold')
        ticked = {c.id: ui.checkbox(c.title).classes('text-base').mark(f'add-agenda-{c.id}') for c in offered}
        if not offered:
            ui.label(t('没有可以上会的议题')).classes('gs-muted')
        free = ui.input(t('其他议程')).classes('w-full text-lg') \
            .props(f'outlined maxlength={meetings.MAX_TITLE}').mark('add-agenda-free')
        invite = ui.checkbox(t('同时邀请议题的提出人和附议人'), value=True).mark('add-agenda-invite')
        problem = problem_label()

        async def act() -> None:
            chosen = [i for i, box in ticked.items() if box.value]
            people = [s.resident_id for s in await meeting_views.suggest_stakeholders(user, chosen)] \
                if invite.value and chosen else []
            await meetings.add_to_agenda(user, item.id, issue_ids=chosen, agenda_titles=[free.value or ''],
                                         stakeholders=people)
            refresh()

        dialog_buttons(dialog, problem, act, marker='add-agenda-ok', ok=t('添加'), done=t('已添加'))
    dialog.open()
