"""The rating section of a project (民事民评), on the in-app project page and on the public board.

While a round is open a resident rates with ONE tap on one of three big buttons (满意 / 基本满意 / 不满意, with faces):
the rating is stored at once, then a comment and a photo may follow. A visitor who is not signed in gets a plain
link to sign in and come back here. Closed rounds show their rate, counts and verdict; rating.read gets a link to
every rating and comment (/projects/{id}/ratings).
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from nicegui import ui

from components.admin import problem_label, show_problem
from components.live import on_event
from components.photo_picker import PhotoPicker
from components.when import local_time
from domain import satisfaction
from domain.credentials import safe_next
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal
from services import rating_views, ratings

# value → (face icon, Quasar colour): big enough for an old thumb, told apart by face and colour, not colour alone
FACES = {
    'satisfied': ('sentiment_very_satisfied', 'positive'),
    'fair': ('sentiment_satisfied', 'primary'),
    'unsatisfied': ('sentiment_very_dissatisfied', 'negative'),
}


async def rating_section(user: Principal, project_id: int, *, public: bool = False) -> None:
    """The section: the three buttons while a round is open, then the results of closed rounds."""
    try:
        first = await rating_views.panel(user, project_id)
    except DomainError:
        return
    section = _Section(user, project_id, public=public)
    with ui.column().classes('w-full gap-0'):  # empty until the work is reported done; appears live then
        section.body = ui.refreshable(section.draw)
        await section.body()
    on_event('survey.*', lambda _e: section.body.refresh(), community_id=first.community_id, at_most_every=1.0,
             where=lambda e: e.payload.get('project_id') == project_id)
    on_event('project.moved', lambda _e: section.body.refresh(), community_id=first.community_id,
             where=lambda e: e.payload.get('project_id') == project_id)
    on_event('rating.created', section.recount, community_id=first.community_id, at_most_every=1.0,
             where=lambda e: e.payload.get('project_id') == project_id)


class _Section:
    """One viewer's section; the comment form survives others' ratings (only the count line follows them)."""

    def __init__(self, user: Principal, project_id: int, *, public: bool) -> None:
        self.user = user
        self.project_id = project_id
        self.public = public
        self.body: ui.refreshable | None = None
        self.count: ui.label | None = None
        self.shown: rating_views.RoundResult | None = None  # the open round as the count line shows it

    async def draw(self) -> None:
        try:
            view = await rating_views.panel(self.user, self.project_id)
        except DomainError as e:
            ui.label(e.message).classes('gs-muted')
            return
        if view.open is None and not view.results:
            return  # not finished yet: nothing to rate and nothing rated
        with ui.card().classes('gs-card w-full gap-2').mark('rating-section'):
            ui.label(t('民事民评 · 满意度评价')).classes('text-lg font-bold')
            if view.open is not None:
                self._open(view)
            for result in reversed(view.results):
                _result_line(result)
            if view.can_read:
                ui.link(t('查看全部评价和意见'), f'/projects/{int(self.project_id)}/ratings') \
                    .classes('text-lg').mark('rating-all')

    def recount(self, event) -> None:
        """Another rating came in: the count it carries (counted once by the service, not once per open page)."""
        rated = event.payload.get('rated')
        if self.count is None or self.count.is_deleted or self.shown is None or not isinstance(rated, int):
            return
        if rated > self.shown.counts.total:  # events of two ratings may arrive in either order: never count down
            self.shown = replace(self.shown, counts=satisfaction.Counts(satisfied=rated))
            self.count.text = _count_text(self.shown)

    def _open(self, view: rating_views.RatingPanel) -> None:
        current = view.open
        ui.label(t('第{round}轮评价进行中', round=current.round)).classes('text-primary text-lg font-bold') \
            .mark('rating-open')
        self.shown = current
        self.count = ui.label(_count_text(current)).classes('gs-muted').mark('rating-count')
        if view.mine is not None:
            self._mine(view.mine)
        elif view.can_rate:
            self._buttons(current.survey_id)
        elif not self.user.is_authenticated:
            self._sign_in_hint()
        elif view.why_not:
            ui.label(t(view.why_not)).classes('text-base').mark('rating-why-not')
        if view.can_manage and not self.public:
            ui.link(t('结束本轮评价'), f'/projects/{int(self.project_id)}/ratings').classes('text-lg') \
                .mark('rating-manage')

    def _buttons(self, survey_id: int) -> None:
        ui.label(t('您对这个项目满意吗？点一下就评价好了')).classes('text-lg')
        problem = problem_label()
        with ui.row().classes('w-full gap-2 no-wrap') as row:
            buttons = []
            for value, label in satisfaction.VALUES.items():
                icon, colour = FACES[value]
                buttons.append(ui.button(t(label), icon=icon, on_click=lambda _e, v=value: tap(v))
                               .props(f'stack unelevated no-caps color={colour}')
                               .classes('grow basis-0 text-lg py-3').style('min-height: 6rem')
                               .mark(f'rate-{value}'))

        async def tap(value: str) -> None:
            for button in buttons:  # a double tap stores once (and the service returns the first anyway)
                button.disable()
            try:
                await ratings.rate(self.user, survey_id, value=value, channel='site' if self.public else 'app')
            except DomainError as e:
                show_problem(problem, e)
                for button in buttons:
                    button.enable()
                return
            ui.notify(t('谢谢您的评价'), type='positive')
            self.body.refresh()

        row.props('role=group')

    def _mine(self, mine: rating_views.MyRating) -> None:
        icon, colour = FACES[mine.value]
        with ui.row().classes('items-center gap-2'):
            ui.icon(icon, color=colour).classes('text-4xl')
            ui.label(t('已评价：{label}', label=t(mine.label))).classes('text-xl font-bold').mark('rating-mine')
        if mine.comment:
            ui.label(mine.comment).classes('text-base break-all').mark('rating-my-comment')
        if mine.photo_key:  # 64 hex digits from the database, never user input
            ui.image(f'/photos/{mine.photo_key}.jpg').classes('w-32 rounded').props('fit=cover')
        if mine.comment or mine.photo_key:
            return
        self._comment_form(mine.rating_id)

    def _comment_form(self, rating_id: int) -> None:
        ui.label(t('还想说点什么吗？（可不填）')).classes('text-base')
        comment = ui.textarea(t('意见或建议')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={satisfaction.MAX_COMMENT}').mark('rating-comment')
        photo = PhotoPicker(t('加一张照片'), marker='rating-photo', single=True)
        problem = problem_label()

        async def send() -> None:
            button.disable()
            try:
                await ratings.annotate(self.user, rating_id, comment=comment.value or '',
                                       photo=next((picked.photo for picked in photo.photos), None))
            except DomainError as e:
                show_problem(problem, e)
                button.enable()
                return
            ui.notify(t('已收到，谢谢'), type='positive')
            self.body.refresh()

        button = ui.button(t('提交意见'), icon='send', on_click=send).classes('w-full text-lg') \
            .props('outline').mark('rating-comment-send')

    def _sign_in_hint(self) -> None:
        here = f'/board/project/{int(self.project_id)}' if self.public else f'/projects/{int(self.project_id)}'
        with ui.column().classes('w-full gap-1').mark('rating-sign-in'):
            ui.label(t('本社区居民登录后就能评价')).classes('text-lg')
            ui.link(t('登录后评价'), f'/login?next={quote(safe_next(here), safe="/")}').classes('text-xl font-bold')


def _count_text(current: rating_views.RoundResult) -> str:
    text = t('已有 {n} 人评价', n=current.counts.total)
    if current.closes_at is not None:
        text += ' · ' + t('{when} 截止', when=local_time(current.closes_at))
    return text


def _result_line(result: rating_views.RoundResult) -> None:
    counts = result.counts
    with ui.column().classes('w-full gap-0').mark(f'rating-result-{result.round}'):
        ui.label(t('第{round}轮：满意度 {rate}，{verdict}', round=result.round, rate=result.percent,
                   verdict=t(result.verdict_label))).classes('text-lg font-bold')
        ui.label(t('满意 {satisfied} · 基本满意 {fair} · 不满意 {unsatisfied} · 门槛 {threshold}%',
                   satisfied=counts.satisfied, fair=counts.fair, unsatisfied=counts.unsatisfied,
                   threshold=result.threshold)).classes('gs-muted')
