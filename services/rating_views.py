"""What the rating screens read: a project's rounds and their results, the panel one viewer sees, every rating of
a round for the 居务监督委员会 (rating.read), and the rounds of a community. Reading only; services.ratings writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from domain import satisfaction as rules
from domain.errors import DomainError
from domain.permissions import Principal, can
from models import Account, Issue, Project, Rating, Resident, Survey, SurveyInvitation
from services import audit

RECENT_DAYS = 30  # /ratings lists the rounds closed within this many days


@dataclass(frozen=True)
class RoundResult:
    """One round of a project or wish: counts (live while open, frozen at close), rate, threshold, verdict."""
    survey_id: int
    round: int
    counts: rules.Counts
    threshold: int
    verdict: str | None  # passed | reopened | no_ratings; None while open
    opened_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None

    @property
    def rate(self) -> Fraction | None:
        return rules.rate(self.counts)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def percent(self) -> str:
        return rules.percent(self.rate)

    @property
    def verdict_label(self) -> str:
        return rules.VERDICTS.get(self.verdict or '', '')


@dataclass(frozen=True)
class MyRating:
    rating_id: int
    value: str
    comment: str
    photo_key: str | None

    @property
    def label(self) -> str:
        return rules.VALUES[self.value]


@dataclass(frozen=True)
class RatingPanel:
    """The rating section of a project as one viewer sees it."""
    project_id: int
    community_id: int
    title: str
    state: str
    open: RoundResult | None  # the round taking ratings now
    mine: MyRating | None  # this viewer's rating of the open round
    can_rate: bool
    why_not: str  # why a signed-in viewer may not rate ('' when they may, or when nothing is open)
    results: list[RoundResult]  # the closed rounds, first round first
    can_read: bool  # rating.read: every rating with names
    can_manage: bool  # rating.manage: close the round


@dataclass(frozen=True)
class RatingRow:
    rating_id: int
    name: str
    value: str
    comment: str
    photo_key: str | None
    invited: bool
    channel: str
    recorded_by: str  # the staff member who typed it in, or ''
    created_at: datetime

    @property
    def label(self) -> str:
        return rules.VALUES[self.value]

    @property
    def channel_label(self) -> str:
        return rules.CHANNELS.get(self.channel, self.channel)


@dataclass(frozen=True)
class SurveyRatings:
    """Every rating of one round, with names (rating.read)."""
    result: RoundResult
    community_id: int
    project_id: int | None
    issue_id: int | None
    title: str
    invited: int
    invited_rated: int
    rows: list[RatingRow]


@dataclass(frozen=True)
class RoundCard:
    """A round in the community's list (/ratings): a project's or a micro-wish's."""
    result: RoundResult
    community_id: int
    kind: str  # project | wish
    target_id: int  # the project or the wish
    title: str
    rated: bool  # this viewer rated it
    invited: bool  # this viewer was invited


async def round_results(project_id: int) -> list[RoundResult]:
    """Every round of the project, first round first: frozen counts once closed, live counts while open."""
    surveys = await Survey.filter(project_id=project_id).order_by('round')
    return await _results(surveys)


async def wish_results(wish_id: int) -> list[RoundResult]:
    """Every rating round of a micro-wish (each confirmation by the wisher), first first."""
    return await _results(await Survey.filter(issue_id=wish_id).order_by('round'))


async def latest_wish_rating(wish_id: int) -> tuple[str, str] | None:
    """(value, comment) of the wisher's latest rating of a micro-wish, None before the first confirmation."""
    survey = await Survey.filter(issue_id=wish_id).order_by('-round').first()
    if survey is None:
        return None
    rating = await Rating.filter(survey_id=survey.id).order_by('id').first()
    if rating is not None:
        return rating.value, rating.comment
    counts = rules.Counts(survey.satisfied, survey.fair, survey.unsatisfied)  # a wisher off the roster: no row
    value = next((v for v in rules.VALUES if getattr(counts, v)), None)
    return (value, '') if value else None


async def panel(viewer: Principal, project_id: int) -> RatingPanel:
    """The rating section for `viewer` (ANONYMOUS on the public board). Errors: not_found."""
    project = await Project.get_or_none(id=project_id)
    if project is None:
        raise DomainError('not_found', '没有找到这个项目')
    results = await round_results(project.id)
    current = next((r for r in results if r.is_open), None) if project.state == 'rating' else None
    mine = None
    if current is not None and viewer.resident_id is not None:
        row = await Rating.get_or_none(survey_id=current.survey_id, resident_id=viewer.resident_id)
        if row is not None:
            mine = MyRating(row.id, row.value, row.comment, row.photo_key)
    can_rate, why_not = False, ''
    if current is not None and viewer.is_authenticated and mine is None:
        can_rate, why_not = await _may_rate(viewer, current.survey_id, project.community_id)
    community = project.community_id
    return RatingPanel(project_id=project.id, community_id=community, title=project.title, state=project.state,
                       open=current, mine=mine, can_rate=can_rate, why_not=why_not,
                       results=[r for r in results if not r.is_open], can_read=can(viewer, 'rating.read', community),
                       can_manage=can(viewer, 'rating.manage', community))


async def all_ratings(actor: Principal, survey_id: int) -> SurveyRatings:
    """Every rating of a round with the rater's name, comment and photo, invited or not (rating.read).

    Errors: not_found, forbidden.
    """
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None:
        raise DomainError('not_found', '没有找到这一轮评价')
    if not can(actor, 'rating.read', survey.community_id):
        raise DomainError('forbidden', '只有社区工作人员、两委和居务监督委员会可以查看全部评价')
    (result,) = await _results([survey])
    ratings = await Rating.filter(survey_id=survey.id).order_by('created_at', 'id')
    names = dict(await Resident.filter(id__in=[r.resident_id for r in ratings]).values_list('id', 'name'))
    staff = dict(await Account.filter(id__in=[r.recorded_by_id for r in ratings if r.recorded_by_id])
                 .values_list('id', 'name'))
    invited = set(await SurveyInvitation.filter(survey_id=survey.id).values_list('resident_id', flat=True))
    rows = [RatingRow(rating_id=r.id, name=names.get(r.resident_id, ''), value=r.value, comment=r.comment,
                      photo_key=r.photo_key, invited=r.invited, channel=r.channel,
                      recorded_by=staff.get(r.recorded_by_id, '') if r.recorded_by_id else '', created_at=r.created_at)
            for r in ratings]
    return SurveyRatings(result=result, community_id=survey.community_id, project_id=survey.project_id,
                         issue_id=survey.issue_id, title=await _title(survey), invited=len(invited),
                         invited_rated=sum(1 for r in ratings if r.resident_id in invited), rows=rows)


async def project_surveys(project_id: int) -> list[int]:
    """The survey ids of a project, first round first (the all-ratings page shows each)."""
    return list(await Survey.filter(project_id=project_id).order_by('round').values_list('id', flat=True))


async def rounds(actor: Principal, community_id: int, *, at: datetime | None = None) -> list[RoundCard]:
    """The open rounds and those closed in the last 30 days, projects and micro-wishes, open first, newest first."""
    if not actor.roles_in(community_id):
        return []
    since = (at or audit.now()) - timedelta(days=RECENT_DAYS)
    surveys = [s for s in await Survey.filter(community_id=community_id).order_by('-opened_at', '-id')
               if s.closed_at is None or s.closed_at >= since]
    surveys.sort(key=lambda s: s.closed_at is not None)  # stable: open first, each part newest first
    results = await _results(surveys)
    projects = dict(await Project.filter(id__in=[s.project_id for s in surveys if s.project_id])
                    .values_list('id', 'title'))
    wishes = dict(await Issue.filter(id__in=[s.issue_id for s in surveys if s.issue_id]).values_list('id', 'title'))
    ids = [s.id for s in surveys]
    rated: set[int] = set()
    invited: set[int] = set()
    if actor.resident_id is not None and ids:
        rated = set(await Rating.filter(survey_id__in=ids, resident_id=actor.resident_id)
                    .values_list('survey_id', flat=True))
        invited = set(await SurveyInvitation.filter(survey_id__in=ids, resident_id=actor.resident_id)
                      .values_list('survey_id', flat=True))
    return [RoundCard(result=r, community_id=s.community_id, kind='project' if s.project_id else 'wish',
                      target_id=s.project_id or s.issue_id,
                      title=projects.get(s.project_id, '') if s.project_id else wishes.get(s.issue_id, ''),
                      rated=s.id in rated, invited=s.id in invited)
            for s, r in zip(surveys, results, strict=True)]


async def open_rounds(actor: Principal, community_id: int) -> list[RoundCard]:
    """The rounds of the community taking ratings now."""
    return [card for card in await rounds(actor, community_id) if card.result.is_open]


# ---- helpers ----

async def _results(surveys: list[Survey]) -> list[RoundResult]:
    live: dict[int, list[str]] = {s.id: [] for s in surveys if s.closed_at is None}
    if live:
        for survey_id, value in await Rating.filter(survey_id__in=list(live)).values_list('survey_id', 'value'):
            live[survey_id].append(value)
    return [RoundResult(survey_id=s.id, round=s.round,
                        counts=rules.count(live[s.id]) if s.id in live else
                        rules.Counts(s.satisfied, s.fair, s.unsatisfied),
                        threshold=s.threshold, verdict=s.verdict, opened_at=s.opened_at, closes_at=s.closes_at,
                        closed_at=s.closed_at) for s in surveys]


async def _may_rate(viewer: Principal, survey_id: int, community_id: int) -> tuple[bool, str]:
    if viewer.resident_id is None or not can(viewer, 'rating.make', community_id):
        return False, '本社区的居民才能评价'
    if not viewer.verified and not await SurveyInvitation.exists(survey_id=survey_id, resident_id=viewer.resident_id):
        return False, '请先到社区核验身份后再评价'
    return True, ''


async def _title(survey: Survey) -> str:
    if survey.project_id is not None:
        return await Project.filter(id=survey.project_id).first().values_list('title', flat=True) or ''
    return await Issue.filter(id=survey.issue_id).first().values_list('title', flat=True) or ''
