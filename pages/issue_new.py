"""/issues/new: raise a public issue or a micro-wish in under a minute; staff record one on a resident's behalf.

Photos are held in memory for this page only until 提交; the browser's upload limits are a courtesy,
services.photos checks every byte again (here on arrival, so the person hears at once, and in the service).
"""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import problem_label, show_problem, working_community
from components.frame import frame
from components.photo_picker import PhotoPicker
from components.signin import login_redirect
from domain import photos as photo_rules
from domain import triage
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import issue_views, issues
from services.issues import Draft

WHOLE_COMPOUND = 0  # building choice "the whole compound"


async def raise_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/issues/new')
    with frame(t('提出议题'), user=user, active='issues', back='/issues'):
        community_id = issue_views.community_for(user) if user.resident_id is not None \
            else working_community(user, 'issue.record')
        if community_id is None:
            ui.label(t('只有本社区居民可以提交，请先登录')).classes('text-lg')
            return None
        form = RaiseForm(user, community_id, await issue_views.places(user, community_id))
        form.draw()
    return None


class RaiseForm:
    """The form's state: the fields, the photos picked so far, and whether a submit is running."""

    def __init__(self, user: Principal, community_id: int, places: issue_views.Places) -> None:
        self.user, self.community_id, self.places = user, community_id, places
        self.submitting = False
        self.on_behalf = user.resident_id is None  # staff without a resident record always record for someone

    def draw(self) -> None:
        self.kind = ui.toggle({k: t(v) for k, v in issues.KINDS.items()}, value='issue') \
            .props('spread no-caps').classes('w-full text-lg').mark('kind')
        self.title = ui.input(t('标题'), placeholder=t('一句话说清楚是什么事')).classes('w-full text-lg') \
            .props(f'outlined maxlength={issues.MAX_TITLE} counter').mark('title')
        self.body = ui.textarea(t('详细情况'), placeholder=t('在哪里、什么情况、希望怎么解决')) \
            .classes('w-full text-lg').props(f'outlined autogrow maxlength={issues.MAX_BODY}').mark('body')
        self.category = ui.select({k: t(c.label) for k, c in triage.CATEGORIES.items()}, label=t('类别')) \
            .classes('w-full text-lg').props('outlined').mark('category')
        self._place()
        self._photos()
        self.show_author = ui.switch(t('公开我的姓名'), value=False).classes('text-lg').mark('show-author')
        ui.label(t('不公开时，议题墙上只显示“居民”')).classes('gs-muted text-sm')
        if can(self.user, 'issue.record', self.community_id):
            self._staff()
        self.problem = problem_label()
        self.submit_button = ui.button(t('提交'), icon='send', on_click=self.submit) \
            .classes('w-full text-xl').props('unelevated').mark('submit')

    def _place(self) -> None:
        places = self.places
        ui.label(t('地点')).classes('text-lg font-bold')
        with ui.row().classes('w-full no-wrap gap-2'):
            self.compound = ui.select(places.compounds, value=places.home_compound, label=t('小区'),
                                      on_change=lambda _e: self._buildings()) \
                .classes('grow text-lg').props('outlined').mark('compound')
            self.building = ui.select({WHOLE_COMPOUND: t('整个小区')}, value=WHOLE_COMPOUND, label=t('楼栋')) \
                .classes('grow text-lg').props('outlined').mark('building')
        self._buildings(places.home_building)
        if places.home_building is not None:
            ui.label(t('默认是您住的楼栋，可以改')).classes('gs-muted text-sm')

    def _buildings(self, value: int | None = None) -> None:
        options = {WHOLE_COMPOUND: t('整个小区'), **self.places.buildings.get(self.compound.value, {})}
        self.building.set_options(options, value=value if value in options else WHOLE_COMPOUND)

    def _photos(self) -> None:
        ui.label(t('照片（最多 {n} 张）', n=photo_rules.MAX_PHOTOS)).classes('text-lg font-bold')
        self.picker = PhotoPicker(t('拍照或选择照片'), marker='photos')

    def _staff(self) -> None:
        with ui.card().classes('gs-card w-full gap-2').mark('on-behalf'):
            ui.label(t('代居民登记')).classes('text-lg font-bold')
            if self.user.resident_id is not None:
                ui.switch(t('这是替居民登记的'), value=False, on_change=lambda e: setattr(self, 'on_behalf', e.value)) \
                    .classes('text-lg').mark('on-behalf-switch')
            channels = {k: t(v) for k, v in issues.CHANNELS.items() if k not in {'app', 'api'}}
            self.channel = ui.select(channels, value='phone', label=t('来源渠道')).classes('w-full text-lg') \
                .props('outlined').mark('channel')
            self.author_name = ui.input(t('提出人姓名')).classes('w-full text-lg') \
                .props('outlined maxlength=40').mark('author-name')

    def _draft(self) -> Draft:
        building = self.building.value or None
        return Draft(kind=self.kind.value, title=self.title.value or '', body=self.body.value or '',
                     category=self.category.value or '', compound_id=None if building else self.compound.value,
                     building_id=building, show_author=bool(self.show_author.value))

    async def submit(self) -> None:
        if self.submitting:  # a second tap while the first is still saving
            return
        self.submitting = True
        self.submit_button.disable()
        try:
            data = [picked.photo for picked in self.picker.photos]  # already re-encoded: not decoded again
            if self.on_behalf:
                item = await issues.record_for_resident(self.user, self.community_id, self._draft(),
                                                        channel=self.channel.value or '',
                                                        author_name=self.author_name.value or '', photo_data=data)
            else:
                item = await issues.raise_item(self.user, self._draft(), photo_data=data)
        except DomainError as e:
            show_problem(self.problem, e)
            self.submitting = False
            self.submit_button.enable()
            return
        ui.navigate.to(f'/issues/{int(item.id)}')
