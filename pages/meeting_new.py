"""/meetings/new (staff): name, format, council and seat template, place, date and time, the agenda from triaged
issues plus free items, and the stakeholders (suggested from the issues, found by name, or typed in)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from fastapi.responses import RedirectResponse
from nicegui import ui

from components.admin import AdminScreen, community_screen, problem_label, show_problem
from components.resident_finder import resident_finder
from domain import meetings as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from domain.seats import TEMPLATES
from services import audit, councils, issue_views, meeting_views, meetings

NONE = 0  # the select value for “no council” / “no compound”
SEARCH_RESULTS = 8


@dataclass
class ShapeFields:
    """The inputs a meeting and a series share."""
    title: ui.input
    format: ui.toggle
    mode: ui.toggle
    council: ui.select
    level: ui.select
    compound: ui.select
    place: ui.input

    def values(self) -> dict:
        return dict(title=self.title.value or '', format=self.format.value or '', mode=self.mode.value or '',
                    council_id=self.council.value or None, level=self.level.value or '',
                    compound_id=self.compound.value or None, place=self.place.value or '')


async def shape_fields(user: Principal, community_id: int, *, title_hint: str) -> ShapeFields:
    """Name, format, mode, council (which sets the seat template), compound and place."""
    overview = await councils.overview(user, community_id)
    levels = {c.id: c.level for c in overview.councils}
    places = await issue_views.places(user, community_id)
    title = ui.input(t('名称'), placeholder=title_hint).classes('w-full text-lg') \
        .props(f'outlined maxlength={meetings.MAX_TITLE}').mark('meeting-name')
    fmt = ui.toggle({k: t(v) for k, v in rules.FORMATS.items()}, value='council').props('spread no-caps') \
        .classes('w-full text-lg').mark('meeting-format')
    mode = ui.toggle({k: t(v) for k, v in rules.MODES.items()}, value='offline').props('spread no-caps') \
        .classes('w-full text-lg').mark('meeting-mode')
    first = overview.councils[0].id if overview.councils else NONE

    def council_chosen(event) -> None:  # the council decides the seat template and usually the compound
        if event.value in levels:
            level.value = levels[event.value]
            compound.value = next((c.compound_id for c in overview.councils if c.id == event.value), None) or NONE

    council = ui.select({NONE: t('不邀请议事会（只请利益相关方）'), **{c.id: c.name for c in overview.councils}},
                        value=first, label=t('议事会'), on_change=council_chosen) \
        .classes('w-full text-lg').props('outlined').mark('meeting-council')
    level = ui.select({k: t(v[0]) for k, v in TEMPLATES.items()}, value=levels.get(first, 'community'),
                      label=t('议事层级（席位）')).classes('w-full text-lg').props('outlined').mark('meeting-level')
    compound = ui.select({NONE: t('全社区'), **places.compounds},
                         value=next((c.compound_id for c in overview.councils if c.id == first), None) or NONE,
                         label=t('小区')).classes('w-full text-lg').props('outlined').mark('meeting-compound')
    place = ui.input(t('地点'), placeholder=t('例如：嘉明花园3栋楼下')).classes('w-full text-lg') \
        .props(f'outlined maxlength={meetings.MAX_PLACE}').mark('meeting-place-input')
    return ShapeFields(title, fmt, mode, council, level, compound, place)


async def new_page() -> RedirectResponse | None:
    return await community_screen('/meetings/new', t('新建议事会'), 'meeting.manage', _build, back='/meetings')


async def _build(screen: AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id
    fields = await shape_fields(user, community_id, title_hint=t('例如：小板凳、大民生：停车难'))
    regular = ui.toggle({False: t('临时'), True: t('定期')}, value=False).props('spread no-caps') \
        .classes('w-full text-lg').mark('meeting-regular')
    tomorrow = (audit.now().astimezone(rules.LOCAL) + timedelta(days=1)).date()
    day = ui.input(t('日期'), value=tomorrow.isoformat()).props('outlined type=date').classes('w-full text-lg') \
        .mark('meeting-date')
    with ui.row().classes('w-full gap-2 no-wrap'):
        begins = ui.input(t('开始'), value='19:00').props('outlined type=time').classes('grow text-lg') \
            .mark('meeting-start-time')
        ends = ui.input(t('结束'), value='20:30').props('outlined type=time').classes('grow text-lg') \
            .mark('meeting-end-time')

    ui.label(t('议程')).classes('text-lg font-bold pt-2')
    ticked: dict[int, ui.checkbox] = {}
    found = await meeting_views.candidates(user, community_id)
    if not found:
        ui.label(t('还没有分流好的议题，可以先写其他议程')).classes('gs-muted')
    for issue in found:
        note = ' · '.join(p for p in (t(issue.state_label), issue.place, t('{n} 人附议', n=issue.supports)) if p)
        with ui.column().classes('w-full gap-0'):
            ticked[issue.id] = ui.checkbox(issue.title).classes('text-lg').mark(f'agenda-{issue.id}')
            ui.label(note).classes('gs-muted text-sm pl-10')
    free = ui.textarea(t('其他议程（每行一项）')).classes('w-full text-lg').props('outlined autogrow') \
        .mark('agenda-free')

    ui.label(t('利益相关方（+N）')).classes('text-lg font-bold pt-2')
    people: dict[int, str] = {}  # resident id → name
    outsiders: list[tuple[str, str]] = []

    @ui.refreshable
    def chosen() -> None:
        if not people and not outsiders:
            ui.label(t('还没有添加')).classes('gs-muted')
        with ui.row().classes('w-full gap-1'):
            for resident_id, name in people.items():
                ui.chip(name, removable=True, on_value_change=lambda _e, r=resident_id: drop(r)) \
                    .mark(f'stakeholder-{resident_id}')
            for index, (name, org) in enumerate(outsiders):
                ui.chip(f'{name}（{org}）' if org else name, removable=True,
                        on_value_change=lambda _e, i=index: drop_outsider(i)).mark('stakeholder-outside')

    def drop(resident_id: int) -> None:
        people.pop(resident_id, None)
        chosen.refresh()

    def drop_outsider(index: int) -> None:
        if 0 <= index < len(outsiders):
            outsiders.pop(index)
        chosen.refresh()

    def add(resident_id: int, name: str) -> None:
        people[resident_id] = name
        chosen.refresh()

    async def suggest() -> None:
        issue_ids = [i for i, box in ticked.items() if box.value]
        if not issue_ids:
            ui.notify(t('请先勾选议程里的议题'), type='warning')
            return
        for s in await meeting_views.suggest_stakeholders(user, issue_ids):
            people.setdefault(s.resident_id, s.name)
        chosen.refresh()

    chosen()
    ui.button(t('添加议题的提出人和附议人'), icon='group_add', on_click=suggest).props('outline') \
        .classes('w-full text-lg').mark('suggest')
    resident_finder(user, community_id, placeholder=t('按姓名、手机号或房号查找居民'), pick_label=t('添加'),
                    marker='stakeholder', pick_marker='add', on_pick=add, per_page=SEARCH_RESULTS)
    with ui.row().classes('w-full gap-2 no-wrap items-center'):
        outside_name = ui.input(t('其他人员姓名')).classes('grow').props('outlined dense maxlength=40') \
            .mark('outsider-name')
        outside_org = ui.input(t('单位（可不填）')).classes('grow').props('outlined dense maxlength=60') \
            .mark('outsider-org')

        def add_outsider() -> None:
            name = (outside_name.value or '').strip()
            if name:
                outsiders.append((name, (outside_org.value or '').strip()))
                outside_name.value = outside_org.value = ''
                chosen.refresh()

        ui.button(t('添加'), on_click=add_outsider).props('outline').mark('outsider-add')

    problem = problem_label()

    async def save() -> None:
        try:
            starts_at = moment(day.value, begins.value)
            ends_at = moment(day.value, ends.value)
            meeting = await meetings.create_meeting(
                user, community_id, **fields.values(), regular=bool(regular.value), starts_at=starts_at,
                ends_at=ends_at, issue_ids=[i for i, box in ticked.items() if box.value],
                agenda_titles=[line for line in (free.value or '').splitlines() if line.strip()],
                stakeholders=[*people, *((name, org or None) for name, org in outsiders)])
        except DomainError as e:
            show_problem(problem, e)
            return
        ui.notify(t('已安排，受邀的人会收到通知'), type='positive')
        ui.navigate.to(f'/meetings/{int(meeting.id)}')

    ui.button(t('安排议事会'), icon='event_available', on_click=save).props('unelevated') \
        .classes('w-full text-xl').mark('meeting-save')


def moment(day: object, clock: object) -> datetime:
    """'2026-06-03' and '19:00' from the pickers as a local moment. Errors: invalid_time."""
    try:
        return datetime.combine(date.fromisoformat(str(day)), time.fromisoformat(str(clock)), rules.LOCAL)
    except ValueError as e:
        raise DomainError('invalid_time', '请选择开会的日期和时间') from e
