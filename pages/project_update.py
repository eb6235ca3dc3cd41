"""/projects/{id}/update: staff post a progress report — a few words, the progress or the stage, and photos taken
before, during and after the work (registered by pages/projects_view.py).

Photos are checked and re-encoded on arrival (services.photos), so the person hears at once; the browser's upload
limits are a courtesy. The send button carries a nonce: a double tap posts once.
"""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import NonceSender, not_found, problem_label, show_problem
from components.frame import frame
from components.photo_picker import PhotoPicker
from components.signin import login_redirect
from domain import photos as photo_rules
from domain import projects as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import progress, projects


async def update_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}/update')
    with frame(t('发布进展'), user=user, active='projects', back=f'/projects/{int(project_id)}'):
        try:
            project = await projects.managed(user, project_id)
        except DomainError as e:
            not_found(e.message)
            return None
        ui.label(project.title).classes('text-xl font-bold break-all')
        statuses = await projects.statuses(project.community_id)
        UpdateForm(user, project.id, {s.id: f'{t(s.label)}（{s.progress}%）' for s in statuses}).draw()
    return None


class UpdateForm:
    """Text, progress, stage and up to three photos, each with its phase."""

    def __init__(self, user: Principal, project_id: int, statuses: dict[int, str]) -> None:
        self.user, self.project_id, self.statuses = user, project_id, statuses

    def draw(self) -> None:
        self.text = ui.textarea(t('进展说明'), placeholder=t('今天做了什么、下一步做什么')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={rules.MAX_UPDATE}').mark('update-text')
        self.status = ui.select(self.statuses, label=t('项目阶段（可不选）'), clearable=True) \
            .classes('w-full text-lg').props('outlined').mark('update-status')
        self.progress = ui.number(t('进度 %（可不填，选了阶段就按阶段）'), min=0, max=100, step=1, precision=0) \
            .classes('w-full text-lg').props('outlined').mark('update-progress')
        ui.label(t('照片（最多 {n} 张）', n=photo_rules.MAX_PHOTOS)).classes('text-lg font-bold')
        self.picker = PhotoPicker(lambda caption: t('拍{phase}的照片', phase=caption), marker='upload',
                                  tags={phase: t(label) for phase, label in rules.PHASES.items()})
        self.problem = problem_label()
        self.sender = NonceSender(self.problem)
        self.button = ui.button(t('发布'), icon='send', on_click=self.submit).classes('w-full text-xl') \
            .props('unelevated').mark('update-send')

    async def submit(self) -> None:
        value = self.progress.value
        try:
            number = None if value is None or value == '' else _whole(value)
        except DomainError as e:
            show_problem(self.problem, e)
            return

        async def post(nonce: str) -> object:
            return await progress.post_update(
                self.user, self.project_id, text=self.text.value or '', progress=number, status_id=self.status.value,
                photos=[(picked.tag, picked.photo, picked.name) for picked in self.picker.photos], nonce=nonce)

        if await self.sender.send(self.button, post):
            ui.navigate.to(f'/projects/{int(self.project_id)}')


def _whole(value: object) -> int:
    """The number field's value as a whole number (ui.number hands over floats)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return rules.check_progress(value)
