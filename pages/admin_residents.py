"""/admin/residents: find residents by name, phone or room, with filters; /admin/residents/{id}: one resident."""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import admin
from components.confirm import confirm
from components.frame import empty_state
from components.live import on_event
from components.resident_form import open_resident_dialog, status_badge
from components.when import local_time
from domain.errors import DomainError
from domain.i18n import t
from domain.people import RELATIONS, STATUSES, TAGS
from domain.permissions import Principal, can
from services import people, places
from services.people_views import ResidentDetail, ResidentRow

ALL = ''


async def residents_page() -> RedirectResponse | None:
    return await admin.community_screen('/admin/residents', t('居民'), 'resident.view', _residents)


async def _residents(screen: admin.AdminScreen) -> None:
    user, community_id = screen.user, screen.community_id
    state = {'query': '', 'status': ALL, 'tag': ALL, 'compound': ALL, 'page': 1}
    compounds = await places.compound_choices(user, community_id)

    @ui.refreshable
    async def results() -> None:
        page = await people.search(
            user, community_id, query=state['query'], status=state['status'] or None, tag=state['tag'] or None,
            compound_id=state['compound'] or None, page=state['page'])
        ui.label(t('共 {n} 人', n=page.total)).classes('gs-muted').mark('resident-total')
        if not page.rows:
            empty_state(t('没有找到符合条件的居民'), 'person_search')
        for row in page.rows:
            _resident_card(row)
        if page.pages > 1:
            ui.pagination(1, page.pages, value=page.page, direction_links=True,
                          on_change=lambda e: go_to(e.value)).props('max-pages=5 boundary-numbers') \
                .classes('self-center').mark('resident-pages')

    async def go_to(number: int) -> None:
        if number != state['page']:
            state['page'] = number
            results.refresh()

    def search(**changes: object) -> None:
        state.update(changes, page=1)
        results.refresh()

    with ui.row().classes('w-full no-wrap gap-2 items-center'):
        query = ui.input(t('姓名、手机号或房号')).classes('grow text-lg') \
            .props('outlined clearable maxlength=40').mark('resident-search')
        query.on('keydown.enter', lambda: search(query=query.value or ''))
        ui.button(icon='search', on_click=lambda: search(query=query.value or '')) \
            .props(f'unelevated size=lg aria-label="{t("查找")}"').mark('resident-search-go')
    with ui.row().classes('w-full gap-2 no-wrap'):
        ui.select({ALL: t('在册（未迁出）'), **{k: t(v) for k, v in STATUSES.items()}}, value=ALL, label=t('状态'),
                  on_change=lambda e: search(status=e.value)).classes('grow').props('outlined dense') \
            .mark('filter-status')
        ui.select({ALL: t('全部标签'), **{tag: t(tag) for tag in TAGS}}, value=ALL, label=t('标签'),
                  on_change=lambda e: search(tag=e.value)).classes('grow').props('outlined dense') \
            .mark('filter-tag')
    ui.select({ALL: t('全部小区'), **compounds}, value=ALL, label=t('小区'),
              on_change=lambda e: search(compound=e.value)).classes('w-full').props('outlined dense') \
        .mark('filter-compound')
    if can(user, 'resident.edit', community_id):
        ui.button(t('登记居民'), icon='person_add', on_click=lambda: open_resident_dialog(
            user, community_id, on_saved=lambda rid: ui.navigate.to(f'/admin/residents/{rid}'))) \
            .classes('w-full text-lg').mark('resident-add')
    await results()


def _resident_card(row: ResidentRow) -> None:
    with ui.link(target=f'/admin/residents/{row.id}').classes('no-underline text-black w-full'):
        with ui.card().classes('gs-card gap-0 py-2 cursor-pointer').mark(f'resident-{row.id}'):
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                ui.label(row.name).classes('text-lg font-bold truncate')
                status_badge(row.status)
            place = row.place or (t('自填：{room}', room=row.registered_room) if row.registered_room else t('未分户'))
            details = [place] + ([row.phone] if row.phone else [])
            ui.label(' · '.join(details)).classes('gs-muted text-base')
            if row.tags:
                ui.label('、'.join(t(tag) for tag in row.tags)).classes('text-sm text-primary')


async def resident_page(resident_id: int) -> RedirectResponse | None:
    return await admin.record_screen(
        f'/admin/residents/{resident_id}', lambda user: people.detail(user, resident_id), _resident_content,
        kind=t('居民'), up='/admin/residents', title=t('居民信息'), live=lambda r, refresh: on_event(
            'resident.*', lambda e: refresh() if e.payload.get('resident_id') == r.id else None,
            community_id=r.community_id))


async def _resident_content(user: Principal, r: ResidentDetail) -> None:
    cid = r.community_id
    with ui.card().classes('gs-card gap-1'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(r.name).classes('text-2xl font-bold truncate').mark('resident-name-shown')
            status_badge(r.status)
        _line(t('手机号'), r.phone or t('未填写'))
        _line(t('出生年份'), str(r.birth_year) if r.birth_year else t('未填写'))
        _line(t('与户的关系'), t(RELATIONS.get(r.relation, r.relation)))
        if r.household_id:
            with ui.row().classes('w-full justify-between no-wrap gap-2'):
                ui.label(t('住址')).classes('gs-muted')
                ui.link(r.place, f'/admin/households/{r.household_id}').classes('text-base text-right')
        else:
            _line(t('住址'), t('未分户'))
        if r.registered_room:
            _line(t('自己填写的住址'), r.registered_room)
        if r.verified_at:
            _line(t('核验时间'), local_time(r.verified_at))
        _line(t('登录账号'), (t('已开通，已设 PIN') if r.has_pin else t('已开通，未设 PIN')) if r.has_account
              else t('未开通'))
        for unit_id, label in r.owned_units:
            with ui.row().classes('w-full justify-between no-wrap gap-2'):
                ui.label(t('名下房屋')).classes('gs-muted')
                ui.link(label, f'/admin/households/{unit_id}').classes('text-base text-right')
        for seat in r.seats:
            _line(t('议事会席位'), seat)
    await _tags(user, r)
    await _actions(user, r, cid)


async def _tags(user: Principal, r: ResidentDetail) -> None:
    with ui.card().classes('gs-card gap-1'):
        ui.label(t('标签')).classes('text-lg font-bold')
        if not can(user, 'resident.edit', r.community_id):
            ui.label('、'.join(t(tag) for tag in r.tags) or t('无')).classes('text-base').mark('tags-shown')
            return
        boxes = {tag: ui.checkbox(t(tag), value=tag in r.tags).classes('text-lg').mark(f'tag-{tag}') for tag in TAGS}

        async def save() -> None:
            try:
                await people.set_tags(user, r.id, [tag for tag, box in boxes.items() if box.value])
            except DomainError as e:
                ui.notify(e.message, type='negative')
                return
            ui.notify(t('标签已保存'), type='positive')

        ui.button(t('保存标签'), on_click=save).props('outline').classes('w-full text-lg').mark('tags-save')


async def _actions(user: Principal, r: ResidentDetail, cid: int) -> None:
    with ui.column().classes('w-full gap-2'):
        if r.status == 'pending' and can(user, 'resident.verify', cid):
            ui.button(t('核验通过'), icon='verified', on_click=lambda: _verify(user, r)) \
                .classes('w-full text-lg').props('color=positive').mark('resident-verify')
        if can(user, 'resident.edit', cid):
            ui.button(t('修改信息'), icon='edit', on_click=lambda: open_resident_dialog(user, cid, resident=r)) \
                .classes('w-full text-lg').props('outline').mark('resident-edit')
        if r.status != 'left' and can(user, 'resident.issue_link', cid):
            ui.button(t('发登录链接'), icon='link', on_click=lambda: ui.navigate.to(f'/admin/residents/{r.id}/link')) \
                .classes('w-full text-lg').props('outline').mark('resident-link')
        if r.status != 'left' and can(user, 'resident.print_card', cid):
            ui.button(t('打印居民码'), icon='badge', on_click=lambda: ui.navigate.to(f'/admin/residents/{r.id}/card')) \
                .classes('w-full text-lg').props('outline').mark('resident-card')
        if r.status != 'left' and can(user, 'resident.edit', cid):
            ui.button(t('迁出'), icon='logout', on_click=lambda: _leave(user, r)) \
                .classes('w-full text-lg').props('outline color=negative').mark('resident-leave')


async def _verify(user: Principal, r: ResidentDetail) -> None:
    try:
        await people.verify(user, r.id)
    except DomainError as e:
        ui.notify(e.message, type='negative')
        return
    ui.notify(t('{name} 已通过核验', name=r.name), type='positive')


async def _leave(user: Principal, r: ResidentDetail) -> None:
    question = t('确定 {name} 已经迁出？迁出后他的登录链接和二维码将失效。', name=r.name)
    if not await confirm(question, ok=t('迁出')):
        return
    try:
        await people.mark_left(user, r.id)
    except DomainError as e:
        ui.notify(e.message, type='negative')
        return
    ui.notify(t('已记录迁出'), type='positive')


def _line(label: str, value: str) -> None:
    with ui.row().classes('w-full justify-between no-wrap gap-2'):
        ui.label(label).classes('gs-muted shrink-0')
        ui.label(value).classes('text-base text-right')


def register() -> None:
    ui.page('/admin/residents')(residents_page)
    ui.page('/admin/residents/{resident_id}')(resident_page)
