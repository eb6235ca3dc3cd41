"""民事民评: rating rounds (surveys) on finished projects and micro-wishes, one rating per resident and round.

A project's round opens inside the move that reports it done (services.project_moves.apply_move → `open_round`),
with invitations (服务谁、谁评价) by the rule of services.rating_invitations: those served and those who took part.
Each invited resident with an account gets a notice. Anyone living in the community may rate, invited or not
(`Rating.invited` tells them apart); a resident not yet verified may rate only when invited, so a fresh
self-registration cannot stuff a round.

A round closes by `close_round` (rating.manage) or by the clock (`keep_up`) once its `closes_at` has passed and
somebody rated; a round nobody rated stays open (and takes ratings) until somebody does. At or above the
community's threshold the project is closed (and its issue with it); below it the project goes back for 整改 with
a new rectification milestone and the next round number, in one transaction. A micro-wish is rated by its wisher
alone when they confirm it (services.wishes.confirm → `record_wish_round`): a one-rating round, closed at once.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import satisfaction as rules
from domain.errors import DomainError
from domain.permissions import Principal, can
from models import (
    Community,
    Issue,
    Milestone,
    Notification,
    Project,
    Rating,
    Resident,
    Survey,
    SurveyInvitation,
)
from services import accounts, audit, events, photos, project_moves, rating_invitations
from services.meetings import db_time
from services.rating_views import RoundResult, round_results  # noqa: F401  (the contract names them here)

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0
SYSTEM_ROLES = frozenset({'supervisor'})  # the clock closes a round on behalf of the 居务监督委员会 that runs it
Photo = tuple[bytes, str] | photos.ProcessedPhoto  # (raw bytes, file name), or one a page has already checked


# ---- opening ----

async def open_round(project: Project, *, at: datetime, actor_id: int | None, conn) -> Survey:
    """Open round `project.round` with its invitations and notices, in the caller's transaction (apply_move)."""
    threshold = await Community.filter(id=project.community_id).using_db(conn) \
        .first().values_list('satisfaction_threshold', flat=True)
    survey = await Survey.create(community_id=project.community_id, project_id=project.id, round=project.round,
                                 threshold=threshold or rules.DEFAULT_THRESHOLD, opened_at=at,
                                 closes_at=at + timedelta(days=rules.ROUND_DAYS), opened_by_id=actor_id,
                                 using_db=conn)
    invitees = await rating_invitations.invitees_of(project, conn=conn)
    await SurveyInvitation.bulk_create(
        [SurveyInvitation(survey_id=survey.id, resident_id=rid, reason=why, created_at=at)
         for rid, why in sorted(invitees.items())], using_db=conn)
    text = (f'《{project.title}》已完工，请评价' if project.round == 1
            else f'《{project.title}》整改完成，请再次评价')
    account_ids = await rating_invitations.accounts_of(list(invitees), conn=conn)
    await Notification.bulk_create([Notification(account_id=a, at=at, text=text, project_id=project.id)
                                     for a in account_ids], using_db=conn)
    await audit.record('rating.round_opened', actor_id=actor_id, community_id=project.community_id, target=survey,
                       data={'project': project.id, 'round': survey.round, 'threshold': survey.threshold,
                             'invited': len(invitees)}, at=at, using_db=conn)
    return survey


# ---- rating ----

async def rate(actor: Principal, survey_id: int, *, value: str, comment: str = '', photo: Photo | None = None,
               channel: str = 'app', at: datetime | None = None) -> Rating:
    """满意 / 基本满意 / 不满意 by a resident of the community, once per round; then `annotate` adds words or a photo.

    The same rating again (a double tap, a second phone) returns the first; a different one is refused.
    Errors: not_found, forbidden, not_verified, not_open_for_rating, invalid_rating, invalid_comment,
    invalid_channel, already_rated, and the photo codes of services.photos.
    """
    value = rules.check_value(value)
    comment = rules.check_comment(comment)
    if channel not in ('app', 'site'):
        raise DomainError('invalid_channel', '评价渠道不对')
    survey = await _open_survey(survey_id, actor)
    if actor.resident_id is None or not can(actor, 'rating.make', survey.community_id):
        raise DomainError('forbidden', '本社区的居民才能评价')
    invited = await SurveyInvitation.exists(survey_id=survey.id, resident_id=actor.resident_id)
    if not actor.verified and not invited:
        raise DomainError('not_verified', '请先到社区核验身份后再评价')
    return await _store(survey, actor.resident_id, value=value, comment=comment, photo=photo, channel=channel,
                        invited=invited, recorded_by=None, actor_id=actor.account_id, at=at or audit.now())


async def rate_project(actor: Principal, project_id: int, *, value: str, comment: str = '',
                       photo: Photo | None = None, channel: str = 'app', at: datetime | None = None) -> Rating:
    """`rate` the round a project is taking ratings in now. Errors: as `rate` (not_open_for_rating before 完工)."""
    survey_id = await open_survey_id(project_id)
    if survey_id is None:
        if not await Project.exists(id=project_id):
            raise DomainError('not_found', '没有找到这个项目')
        raise _closed()
    return await rate(actor, survey_id, value=value, comment=comment, photo=photo, channel=channel, at=at)


async def open_survey_id(project_id: int) -> int | None:
    """The round of the project taking ratings now, if any."""
    return await Survey.filter(project_id=project_id, closed_at=None, project__state='rating') \
        .first().values_list('id', flat=True)


async def record_for(actor: Principal, survey_id: int, resident_id: int, *, value: str, comment: str = '',
                     photo: Photo | None = None, at: datetime | None = None) -> Rating:
    """Staff type in the rating of a resident without a phone (who recorded it is kept). Errors: as `rate`."""
    value = rules.check_value(value)
    comment = rules.check_comment(comment)
    survey = await _open_survey(survey_id, actor)
    accounts.require(actor, 'rating.record', survey.community_id)
    resident = await Resident.get_or_none(id=resident_id, community_id=survey.community_id)
    if resident is None or resident.status == 'left':
        raise DomainError('not_found', '没有找到这位居民')
    invited = await SurveyInvitation.exists(survey_id=survey.id, resident_id=resident.id)
    return await _store(survey, resident.id, value=value, comment=comment, photo=photo, channel='staff',
                        invited=invited, recorded_by=actor.account_id, actor_id=actor.account_id,
                        at=at or audit.now())


async def annotate(actor: Principal, rating_id: int, *, comment: str = '', photo: Photo | None = None,
                   at: datetime | None = None) -> Rating:
    """Add (or change) the words and the photo of one's own rating while the round is open; the value stays.

    Errors: not_found, not_open_for_rating, invalid_comment, and the photo codes of services.photos.
    """
    comment = rules.check_comment(comment)
    rating = await Rating.get_or_none(id=rating_id)
    if rating is None or actor.resident_id is None or rating.resident_id != actor.resident_id:
        raise DomainError('not_found', '没有找到这条评价')
    survey = await _open_survey(rating.survey_id, actor)
    changes: dict[str, object] = {'comment': comment}
    if photo is not None:
        changes.update(await _photo_fields(photo))
    async with in_transaction() as conn:
        await Rating.filter(id=rating.id).using_db(conn).update(**changes)
        await audit.record('rating.annotated', actor_id=actor.account_id, community_id=survey.community_id,
                           target=rating, data={'comment': bool(comment), 'photo': photo is not None},
                           at=at or audit.now(), using_db=conn)
    await _publish('rating.created', survey)
    return await Rating.get(id=rating.id)


async def _store(survey: Survey, resident_id: int, *, value: str, comment: str, photo: Photo | None, channel: str,
                 invited: bool, recorded_by: int | None, actor_id: int | None, at: datetime) -> Rating:
    first = await Rating.get_or_none(survey_id=survey.id, resident_id=resident_id)
    if first is not None:
        return _replayed(first, value)
    fields = await _photo_fields(photo) if photo is not None else {}
    try:
        async with in_transaction() as conn:
            # the round must still be open when the rating is stored: a close running meanwhile holds this row
            still_open = await Survey.filter(id=survey.id, closed_at=None).using_db(conn).select_for_update().first()
            if still_open is None:
                raise _closed()
            rating = await Rating.create(survey_id=survey.id, resident_id=resident_id, value=value, comment=comment,
                                         invited=invited, channel=channel, recorded_by_id=recorded_by,
                                         created_at=at, using_db=conn, **fields)
            await audit.record('rating.created', actor_id=actor_id, community_id=survey.community_id, target=rating,
                               data={'survey': survey.id, 'resident': resident_id, 'value': value,
                                     'channel': channel, 'invited': invited}, at=at, using_db=conn)
    except IntegrityError:  # two phones of one resident at the same moment: the first stored stands
        return _replayed(await Rating.get(survey_id=survey.id, resident_id=resident_id), value)
    # the count rides on the event, so that the open pages show it without each asking the database
    await _publish('rating.created', survey, rated=await Rating.filter(survey_id=survey.id).count())
    return rating


def _replayed(first: Rating, value: str) -> Rating:
    if first.value == value:
        return first
    raise DomainError('already_rated', '您已经评价过了（{label}），每人每轮只能评价一次',
                      label=rules.VALUES[first.value])


async def _photo_fields(photo: Photo) -> dict[str, object]:
    checked = photo if isinstance(photo, photos.ProcessedPhoto) else \
        await photos.process_async(photo[0], filename=photo[1])
    key = await asyncio.to_thread(photos.save, checked)
    return {'photo_key': key, 'photo_width': checked.width, 'photo_height': checked.height}


# ---- closing ----

async def close_round(actor: Principal | None, survey_id: int, *, rectification_title: str | None = None,
                      due_on: date | None = None, at: datetime | None = None) -> Survey:
    """结束本轮评价: freeze the counts; passed → the project is closed; below the threshold → 整改 (a rectification
    milestone, the next round), all in one transaction. `actor` None is the clock.

    Errors: not_found, forbidden, not_open_for_rating, no_ratings, invalid_title, invalid_date, changed_meanwhile.
    """
    at = at or audit.now()
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None or survey.project_id is None:
        raise DomainError('not_found', '没有找到这一轮评价')
    if actor is not None:
        accounts.require(actor, 'rating.manage', survey.community_id)
    if survey.closed_at is not None:
        raise _closed()
    project = await project_moves.get_project(survey.project_id)
    title = _milestone_title(rectification_title, project.title)
    if due_on is not None and not isinstance(due_on, date):
        raise DomainError('invalid_date', '整改期限的日期不对')
    roles = actor.roles_in(survey.community_id) if actor is not None else SYSTEM_ROLES
    actor_id = actor.account_id if actor is not None else None
    async with in_transaction() as conn:
        claimed = await Survey.filter(id=survey.id, closed_at=None).using_db(conn) \
            .update(closed_at=at, closed_by_id=actor_id)
        if not claimed:
            raise _closed()
        counts = rules.count(list(await Rating.filter(survey_id=survey.id).using_db(conn)
                                  .values_list('value', flat=True)))
        verdict = rules.verdict(counts, survey.threshold)
        if verdict == 'no_ratings':
            raise DomainError('no_ratings', '还没有人评价，不能结束本轮')  # rolls the close back
        await Survey.filter(id=survey.id).using_db(conn).update(
            satisfied=counts.satisfied, fair=counts.fair, unsatisfied=counts.unsatisfied, verdict=verdict)
        reason = rules.outcome_reason(counts, survey.threshold)
        if verdict == 'passed':
            await project_moves.apply_move(project, 'closed', roles=roles, actor_id=actor_id, reason=reason, at=at,
                                           conn=conn)
        else:
            await project_moves.apply_move(project, 'rectifying', roles=roles, actor_id=actor_id, reason=reason,
                                           at=at, conn=conn)
            position = await Milestone.filter(project_id=project.id).using_db(conn).count()
            await Milestone.create(project_id=project.id, title=title, due_on=due_on, round=survey.round + 1,
                                   rectification=True, position=position, created_at=at, using_db=conn)
            await Project.filter(id=project.id).using_db(conn).update(round=survey.round + 1)
            project.round = survey.round + 1
        await audit.record('rating.round_closed', actor_id=actor_id, community_id=survey.community_id, target=survey,
                           data={'project': project.id, 'round': survey.round, 'verdict': verdict,
                                 'satisfied': counts.satisfied, 'fair': counts.fair,
                                 'unsatisfied': counts.unsatisfied, 'threshold': survey.threshold}, at=at,
                           using_db=conn)
    closed = await Survey.get(id=survey.id)
    await _publish('survey.closed', closed, verdict=verdict)
    await project_moves.publish_moved(project)
    if verdict == 'reopened':
        await events.publish('project.updated', community_id=project.community_id, project_id=project.id)
    return closed


def _milestone_title(given: str | None, project_title: str) -> str:
    title = (given or '').strip() or f'整改：{project_title}'[:rules.MAX_MILESTONE]
    if len(title) > rules.MAX_MILESTONE:
        raise DomainError('invalid_title', '整改节点的名称最多 {n} 字', n=rules.MAX_MILESTONE)
    return title


async def close_due(*, at: datetime | None = None) -> int:
    """The clock: close the rounds whose `closes_at` passed and that somebody rated. Returns how many closed."""
    at = at or audit.now()
    due = await Survey.filter(closed_at=None, project_id__not_isnull=True, closes_at__lte=db_time(at),
                              ratings__id__not_isnull=True).distinct().values_list('id', flat=True)
    closed = 0
    for survey_id in due:
        try:
            await close_round(None, survey_id, at=at)
            closed += 1
        except DomainError as e:
            log.info('rating round %s not closed by the clock: %s', survey_id, e.code)
    return closed


async def keep_up(*, every: float = TICK_SECONDS) -> None:
    """Run `close_due` forever (services.background); a failure is logged and waits a round."""
    while True:
        try:
            await close_due()
        except Exception:
            log.exception('closing rating rounds failed')
        await asyncio.sleep(every)


# ---- micro-wishes ----

async def record_wish_round(wish: Issue, *, value: str, comment: str, recorded_by: int | None, at: datetime,
                            conn) -> Survey:
    """The wisher's rating as a closed one-rating round of the wish (in the caller's transaction).

    The wisher is the one served; their rating alone decides (services.wishes.confirm moves the wish by it).
    A wisher off the roster (a caller on the 12345 line) leaves the counts without a Rating row.
    """
    threshold = await threshold_of(wish.community_id, conn=conn)
    counts = rules.count([value])
    last = await Survey.filter(issue_id=wish.id).using_db(conn).order_by('-round').values_list('round', flat=True)
    survey = await Survey.create(community_id=wish.community_id, issue_id=wish.id, round=(last[0] if last else 0) + 1,
                                 threshold=threshold, opened_at=at, closes_at=at, closed_at=at,
                                 opened_by_id=recorded_by, closed_by_id=recorded_by, satisfied=counts.satisfied,
                                 fair=counts.fair, unsatisfied=counts.unsatisfied,
                                 verdict=rules.verdict(counts, threshold), using_db=conn)
    if wish.author_id is not None:
        await SurveyInvitation.create(survey_id=survey.id, resident_id=wish.author_id, reason='served', created_at=at,
                                      using_db=conn)
        await Rating.create(survey_id=survey.id, resident_id=wish.author_id, value=value, comment=comment or '',
                            invited=True, channel='staff' if recorded_by else 'app', recorded_by_id=recorded_by,
                            created_at=at, using_db=conn)
    return survey


async def threshold_of(community_id: int, *, conn=None) -> int:
    value = await Community.filter(id=community_id).using_db(conn) \
        .first().values_list('satisfaction_threshold', flat=True)
    return value or rules.DEFAULT_THRESHOLD


# ---- the community threshold ----

async def set_threshold(actor: Principal, community_id: int, percent: object, *, at: datetime | None = None) -> int:
    """The community's 满意度门槛 for rounds opened from now on (a whole percent, 50–100).

    Errors: forbidden, not_found, invalid_threshold.
    """
    if not may_set_threshold(actor, community_id):
        raise DomainError('forbidden', '只有社区工作者和管理员可以修改满意度门槛')
    value = rules.check_threshold(percent)
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '没有找到这个社区')
    if value != community.satisfaction_threshold:
        async with in_transaction() as conn:
            await Community.filter(id=community_id).using_db(conn).update(satisfaction_threshold=value)
            await audit.record('rating.threshold_set', actor_id=actor.account_id, community_id=community_id,
                               target=community, data={'from': community.satisfaction_threshold, 'to': value},
                               at=at, using_db=conn)
        await events.publish('community.updated', community_id=community_id)
    return value


def may_set_threshold(actor: Principal, community_id: int) -> bool:
    """Community workers and admins set the threshold (the supervisory committee judges by it, it does not set it)."""
    return bool(actor.roles_in(community_id) & {'staff', 'admin'})


# ---- helpers ----

async def _open_survey(survey_id: int, actor: Principal) -> Survey:
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None or not actor.roles_in(survey.community_id):
        raise DomainError('not_found', '没有找到这一轮评价')
    if survey.closed_at is not None:
        raise _closed()
    if survey.project_id is not None:
        state = await Project.filter(id=survey.project_id).first().values_list('state', flat=True)
        if state != 'rating':
            raise _closed()
    return survey


def _closed() -> DomainError:
    return DomainError('not_open_for_rating', '现在不在评价期：项目还没完工，或这一轮评价已经结束')


async def _publish(name: str, survey: Survey, **extra: object) -> None:
    await events.publish(name, community_id=survey.community_id, survey_id=survey.id, project_id=survey.project_id,
                         issue_id=survey.issue_id, **extra)
