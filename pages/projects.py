"""民事民办 (/projects): the community's projects with filter chips by state, and /projects/new where staff turn a
decision (a passed vote, a 会上议定 outcome, a claimed micro-wish) into a project.

'/projects/new' is registered here, before pages/projects_view.py registers '/projects/{project_id}'.
"""
from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.admin import no_permission, problem_label, show_problem, working_community
from components.frame import empty_state, frame
from components.live import on_event
from components.project_progress import progress_bar
from components.signin import login_redirect
from domain import projects as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from services import issue_views, project_views, projects
from services.project_sources import Source
from services.projects import ProjectDraft

FILTERS = {'': '全部', 'working': '进行中', 'rating': '评价中', 'closed': '已办结', 'cancelled': '已撤销'}
_WORKING = ('preparing', 'underway', 'rectifying')


async def list_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/projects')
    community_id = working_community(user, 'project.manage') or issue_views.community_for(user)
    with frame(t('民事民办'), user=user, active='projects'):
        if community_id is None or not can(user, 'project.view', community_id):
            no_permission()
            return None
        ui.label(t('大家决定的事，大家一起办')).classes('gs-muted text-lg')
        if can(user, 'project.manage', community_id):
            ui.button(t('立项'), icon='add', on_click=lambda: ui.navigate.to('/projects/new')) \
                .classes('w-full text-xl').props('unelevated').mark('new-project')
        with ui.row().classes('w-full gap-4'):
            ui.link(t('公开栏'), f'/board/{int(community_id)}').classes('text-lg').mark('link-community-board')
            if can(user, 'pledge.confirm', community_id):
                ui.link(t('投工投劳台账（Excel）'), f'/pledges.xlsx?community={int(community_id)}') \
                    .classes('text-lg').mark('link-pledges-xlsx')
        chosen = {'filter': ''}

        @ui.refreshable
        def chips() -> None:
            with ui.row().classes('w-full gap-1'):
                for key, label in FILTERS.items():
                    ui.chip(t(label), selectable=True, selected=chosen['filter'] == key,
                            on_click=lambda _e, k=key: choose(k)) \
                        .classes('text-lg').props('color=primary outline' if chosen['filter'] != key
                                                  else 'color=primary text-color=white').mark(f'filter-{key or "all"}')

        @ui.refreshable
        async def cards() -> None:
            rows = await project_views.list_projects(community_id, states=_states(chosen['filter']), viewer=user)
            if not rows:
                empty_state(t('还没有项目'), 'construction')
            for summary in rows:
                _card(summary)

        def choose(key: str) -> None:
            chosen['filter'] = key
            chips.refresh()
            cards.refresh()

        chips()
        await cards()
        on_event('project.*', lambda _event: cards.refresh(), community_id=community_id, at_most_every=1.0)
    return None


def _states(key: str) -> tuple[str, ...] | None:
    if key == 'working':
        return _WORKING
    return (key,) if key in FILTERS and key else None


def _card(summary: project_views.ProjectSummary) -> None:
    with ui.card().classes('gs-card w-full gap-1').mark(f'project-{summary.id}'):
        with ui.link(target=f'/projects/{int(summary.id)}').classes('w-full no-underline text-black'):
            ui.label(summary.title).classes('text-xl font-bold break-all')
            ui.label(' · '.join(p for p in (t(summary.state_label), t(summary.status_label) if summary.status_label
                                            else '', summary.lead_org) if p)) \
                .classes('text-lg text-primary').mark(f'project-state-{summary.id}')
            progress_bar(summary.progress)
            if summary.site:
                ui.label(summary.site).classes('gs-muted text-base')


async def new_page() -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect('/projects/new')
    community_id = working_community(user, 'project.manage')
    with frame(t('立项'), user=user, active='projects', back='/projects'):
        if community_id is None:
            no_permission()
            return None
        sources = await projects.candidates(user, community_id)
        if not sources:
            empty_state(t('现在没有可以立项的事项：表决通过并生效、会上议定并审核、或已认领的心愿，才能立项'),
                        'inventory')
            return None
        NewProjectForm(user, community_id, sources).draw()
    return None


class NewProjectForm:
    """Pick the decision, then fill in the details (prefilled from the decision)."""

    def __init__(self, user: Principal, community_id: int, sources: list[Source]) -> None:
        self.user, self.community_id = user, community_id
        self.sources = {f'{s.origin}:{s.id}': s for s in sources}
        self.saving = False

    def draw(self) -> None:
        ui.label(t('第一步：选择要办的事')).classes('text-lg font-bold')
        self.source = ui.select({key: s.label for key, s in self.sources.items()}, label=t('来源'),
                                on_change=lambda e: self._prefill(e.value)) \
            .classes('w-full text-lg').props('outlined').mark('source')
        ui.label(t('第二步：填写项目信息')).classes('text-lg font-bold')
        self.fields = DetailsForm()
        self.problem = problem_label()
        self.button = ui.button(t('立项'), icon='check', on_click=self.submit).classes('w-full text-xl') \
            .props('unelevated').mark('create')

    def _prefill(self, key: str | None) -> None:
        source = self.sources.get(key or '')
        if source is not None:
            self.fields.title.value = source.title[:rules.MAX_TITLE]
            self.fields.summary.value = source.text[:rules.MAX_SUMMARY]

    async def submit(self) -> None:
        if self.saving:  # a second tap while the first is saving
            return
        source = self.sources.get(self.source.value or '')
        if source is None:
            show_problem(self.problem, DomainError('invalid_origin', '请先选择要办的事'))
            return
        self.saving = True
        self.button.disable()
        try:
            project = await projects.create_project(self.user, origin=source.origin, source_id=source.id,
                                                    draft=self.fields.draft())
        except DomainError as e:
            show_problem(self.problem, e)
            self.saving = False
            self.button.enable()
            return
        ui.navigate.to(f'/projects/{int(project.id)}')


class DetailsForm:
    """The project's details as fields; shared by /projects/new and /projects/{id}/edit."""

    def __init__(self, draft: ProjectDraft | None = None) -> None:
        d = draft or ProjectDraft(title='', lead_org='')
        self.title = ui.input(t('项目名称'), value=d.title).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_TITLE} counter').mark('title')
        self.summary = ui.textarea(t('项目简介'), value=d.summary).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={rules.MAX_SUMMARY}').mark('summary')
        self.lead_org = ui.input(t('牵头单位'), value=d.lead_org, placeholder=t('如：船柴社区居委会')) \
            .classes('w-full text-lg').props(f'outlined maxlength={rules.MAX_ORG}').mark('lead-org')
        self.lead_person = ui.input(t('负责人'), value=d.lead_person).classes('w-full text-lg') \
            .props(f'outlined maxlength={rules.MAX_PERSON}').mark('lead-person')
        self.lead_phone = ui.input(t('联系电话'), value=d.lead_phone or '', placeholder=t('手机号或带区号的座机')) \
            .classes('w-full text-lg').props('outlined type=tel maxlength=20').mark('lead-phone')
        self.site = ui.input(t('施工地点'), value=d.site, placeholder=t('如：嘉明花园3栋楼道')) \
            .classes('w-full text-lg').props(f'outlined maxlength={rules.MAX_SITE}').mark('site')
        self.due_on = ui.input(t('计划完工日期'), value=d.due_on.isoformat() if d.due_on else '') \
            .classes('w-full text-lg').props('outlined type=date').mark('due-on')
        self.compound_id = d.compound_id

    def draft(self) -> ProjectDraft:
        """The fields as a draft; a bad date is refused here in words (DomainError 'invalid_due')."""
        return ProjectDraft(title=self.title.value or '', lead_org=self.lead_org.value or '',
                            summary=self.summary.value or '', lead_person=self.lead_person.value or '',
                            lead_phone=self.lead_phone.value or None, site=self.site.value or '',
                            due_on=rules.parse_date(self.due_on.value), compound_id=self.compound_id)


def register() -> None:
    ui.page('/projects')(list_page)
    ui.page('/projects/new')(new_page)
