"""民事民评 on a real database: a round opens when the project is reported done and invites those served and those
who took part; one rating per resident; a round below the threshold reopens the project for 整改 with a new
milestone and is rated again in round 2; a passing round closes the project and its issue; the supervisor reads all."""
import asyncio
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image

from domain.errors import DomainError
from models import (
    AuditEntry,
    CheckIn,
    Community,
    Issue,
    IssueSupport,
    Milestone,
    Notification,
    Pledge,
    Project,
    ProjectEvent,
    Rating,
    Survey,
    SurveyInvitation,
)
from services import events, issues, project_moves, rating_views, ratings, wishes
from services.issues import Draft
from tests.support import (
    make_account,
    make_agenda_item,
    make_community,
    make_household,
    make_meeting,
    make_project,
    make_resident,
    principal_of,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    next_door = await make_household(community, compound='嘉明花园', building='3栋', room='502')
    far = await make_household(community, compound='江景小区', building='8栋', room='101')
    people = {
        'author': await make_resident(community, name='周美华', household=home),
        'neighbour': await make_resident(community, name='何建国', household=next_door),
        'supporter': await make_resident(community, name='刘德明', household=far),
        'pledger': await make_resident(community, name='陈秀英', household=far),
        'attendee': await make_resident(community, name='赵大伟', household=far),
        'outsider': await make_resident(community, name='孙丽', household=far),
        'newcomer': await make_resident(community, name='吴新', household=far, status='pending'),
        'moved_out': await make_resident(community, name='钱多', household=next_door, status='left'),
    }
    accounts = {key: await make_account(community, name=r.name, resident=r, password=None)
                for key, r in people.items() if key != 'moved_out'}
    accounts['staff'] = await make_account(community, 'staff', name='李敏')
    accounts['supervisor'] = await make_account(community, 'supervisor', name='黄监督')
    issue = await Issue.create(community=community, kind='issue', title='3栋楼道太黑', body='晚上看不见台阶',
                               category='facility', compound_id=(await home.building).compound_id,
                               building_id=home.building_id, author=people['author'], author_name='周美华',
                               state='in_progress', created_at=T0 - timedelta(days=60),
                               updated_at=T0 - timedelta(days=5))
    await IssueSupport.create(issue=issue, resident=people['supporter'], created_at=T0 - timedelta(days=50))
    meeting = await make_meeting(community, starts_at=T0 - timedelta(days=40), state='closed')
    await make_agenda_item(meeting, issue=issue)
    await CheckIn.create(meeting=meeting, resident=people['attendee'], method='self', scanned_at=meeting.starts_at,
                         created_at=meeting.starts_at)
    project = await make_project(community, issue=issue)
    await Pledge.create(project=project, resident=people['pledger'], name='陈秀英', kind='labour', item='刷墙志愿者',
                        unit='小时', quantity=2, created_at=T0 - timedelta(days=3))
    who = {key: await principal_of(account) for key, account in accounts.items()}
    return {'community': community, 'issue': issue, 'project': project, 'people': people, 'accounts': accounts,
            **who}


async def _done(world, *, at=T0) -> Survey:
    await project_moves.move(world['staff'], world['project'].id, 'rating', at=at)
    return await Survey.get(project_id=world['project'].id, closed_at=None)


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def _rate_all(world, survey, values: dict[str, str]) -> None:
    for key, value in values.items():
        await ratings.rate(world[key], survey.id, value=value)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (64, 48), (200, 180, 40)).save(out, format='PNG')
    return out.getvalue()


async def test_reporting_done_opens_round_one_inviting_those_served_and_those_who_took_part(world) -> None:
    await Community.filter(id=world['community'].id).update(satisfaction_threshold=90)
    heard = []
    events.subscribe('survey.*', heard.append)
    survey = await _done(world)
    assert (survey.round, survey.threshold, survey.closes_at) == (1, 90, T0 + timedelta(days=7))
    invited = {i.resident_id: i.reason for i in await SurveyInvitation.filter(survey_id=survey.id)}
    p = world['people']
    assert invited == {p['author'].id: 'served', p['supporter'].id: 'served', p['neighbour'].id: 'served',
                       p['pledger'].id: 'took_part', p['attendee'].id: 'took_part'}
    notices = await Notification.filter(project_id=world['project'].id)
    assert len(notices) == 5 and {n.text for n in notices} == {'《3栋楼道照明改造》已完工，请评价'}
    assert world['accounts']['outsider'].id not in {n.account_id for n in notices}
    assert (await Issue.get(id=world['issue'].id)).state == 'rating'
    assert [e.name for e in heard] == ['survey.opened']


async def test_a_project_from_a_vote_invites_everyone_on_the_votes_roll(world) -> None:
    from tests.support import make_vote
    vote = await make_vote(world['community'], actor=world['staff'], opened=True)
    project = await make_project(world['community'], title='加装电梯', origin='vote', vote=vote)
    await project_moves.move(world['staff'], project.id, 'rating', at=T0)
    survey = await Survey.get(project_id=project.id)
    invited = set(await SurveyInvitation.filter(survey_id=survey.id).values_list('resident_id', flat=True))
    p = world['people']
    assert {p['author'].id, p['outsider'].id, p['neighbour'].id} <= invited  # verified adults on the roll
    assert p['newcomer'].id not in invited and p['moved_out'].id not in invited


async def test_rating_before_the_project_is_done_is_refused(world) -> None:
    refused = await _refusal(ratings.rate_project(world['author'], world['project'].id, value='satisfied'))
    assert refused.code == 'not_open_for_rating'
    assert await Rating.all().count() == 0
    panel = await rating_views.panel(world['author'], world['project'].id)
    assert panel.open is None and not panel.can_rate


async def test_one_rating_per_resident_a_different_second_one_is_refused_and_changes_nothing(world) -> None:
    survey = await _done(world)
    first = await ratings.rate(world['author'], survey.id, value='satisfied')
    assert first.invited and first.channel == 'app'
    again = await ratings.rate(world['author'], survey.id, value='satisfied')  # a double tap
    assert again.id == first.id
    refused = await _refusal(ratings.rate(world['author'], survey.id, value='unsatisfied', comment='其实不好'))
    assert refused.code == 'already_rated' and '满意' in refused.message
    rows = await Rating.filter(survey_id=survey.id)
    assert [(r.value, r.comment) for r in rows] == [('satisfied', '')]
    assert await AuditEntry.filter(action='rating.created').count() == 1


async def test_two_phones_of_one_resident_racing_store_one_rating(world) -> None:
    survey = await _done(world)
    results = await asyncio.gather(ratings.rate(world['author'], survey.id, value='satisfied'),
                                   ratings.rate(world['author'], survey.id, value='unsatisfied'),
                                   return_exceptions=True)
    stored = await Rating.filter(survey_id=survey.id)
    assert len(stored) == 1
    won = [r for r in results if isinstance(r, Rating)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and won[0].value == stored[0].value
    assert [e.code for e in lost] == ['already_rated']


async def test_anyone_living_here_may_rate_uninvited_but_a_newcomer_must_be_verified_or_invited(world) -> None:
    survey = await _done(world)
    outsider = await ratings.rate(world['outsider'], survey.id, value='fair')
    assert not outsider.invited
    refused = await _refusal(ratings.rate(world['newcomer'], survey.id, value='unsatisfied'))
    assert refused.code == 'not_verified'
    staff = await _refusal(ratings.rate(world['staff'], survey.id, value='satisfied'))
    assert staff.code == 'forbidden'
    await SurveyInvitation.create(survey_id=survey.id, resident_id=world['people']['newcomer'].id, reason='took_part',
                                  created_at=T0)
    assert (await ratings.rate(world['newcomer'], survey.id, value='unsatisfied')).invited


async def test_bad_input_is_refused_in_words_and_stores_nothing(world) -> None:
    survey = await _done(world)
    assert (await _refusal(ratings.rate(world['author'], survey.id, value='great'))).code == 'invalid_rating'
    assert (await _refusal(ratings.rate(world['author'], survey.id, value='fair', comment='好' * 501))).code == \
        'invalid_comment'
    assert (await _refusal(ratings.rate(world['author'], survey.id, value='fair',
                                        photo=(b'not a photo at all', 'x.jpg')))).code == 'photo_not_image'
    assert await Rating.all().count() == 0


async def test_after_the_tap_the_resident_adds_a_comment_and_a_photo(world) -> None:
    survey = await _done(world)
    rating = await ratings.rate(world['author'], survey.id, value='fair')
    annotated = await ratings.annotate(world['author'], rating.id, comment='灯亮了，但开关太高',
                                       photo=(_png(), 'a.png'))
    assert (annotated.value, annotated.comment, annotated.photo_width) == ('fair', '灯亮了，但开关太高', 64)
    assert len(annotated.photo_key) == 64
    other = await _refusal(ratings.annotate(world['neighbour'], rating.id, comment='改别人的'))
    assert other.code == 'not_found'


async def test_staff_record_a_rating_for_a_resident_without_a_phone(world) -> None:
    survey = await _done(world)
    rating = await ratings.record_for(world['staff'], survey.id, world['people']['neighbour'].id, value='satisfied',
                                      comment='电话里说很满意')
    assert (rating.channel, rating.recorded_by_id, rating.invited) == \
        ('staff', world['accounts']['staff'].id, True)
    refused = await _refusal(ratings.record_for(world['author'], survey.id, world['people']['pledger'].id,
                                                value='satisfied'))
    assert refused.code == 'forbidden'


async def test_closing_below_the_threshold_reopens_for_rectification_with_a_new_milestone_and_round_two(world) -> None:
    survey = await _done(world)
    await _rate_all(world, survey, {'author': 'satisfied', 'neighbour': 'fair', 'supporter': 'unsatisfied',
                                    'pledger': 'unsatisfied', 'attendee': 'unsatisfied'})
    closed = await ratings.close_round(world['supervisor'], survey.id, rectification_title='加装楼道扶手',
                                       due_on=date(2026, 12, 20), at=T0 + timedelta(days=7))
    assert (closed.verdict, closed.satisfied, closed.fair, closed.unsatisfied) == ('reopened', 1, 1, 3)
    assert closed.closed_by_id == world['accounts']['supervisor'].id
    project = await Project.get(id=world['project'].id)
    assert (project.state, project.round) == ('rectifying', 2)
    (milestone,) = await Milestone.filter(project_id=project.id)
    assert (milestone.title, milestone.round, milestone.rectification, milestone.due_on) == \
        ('加装楼道扶手', 2, True, date(2026, 12, 20))
    event = await ProjectEvent.filter(project_id=project.id).order_by('-id').first()
    assert (event.to_state, event.reason) == ('rectifying', '满意率 40.0% 低于 80%，进入整改')
    assert (await Issue.get(id=world['issue'].id)).state == 'in_progress'
    late = await _refusal(ratings.rate(world['outsider'], survey.id, value='satisfied'))
    assert late.code == 'not_open_for_rating'

    # 整改 done and reported again: round 2 opens and invites the same people again
    await Milestone.filter(id=milestone.id).update(done_at=T0 + timedelta(days=12))
    await project_moves.move(world['staff'], project.id, 'rating', at=T0 + timedelta(days=12))
    second = await Survey.get(project_id=project.id, round=2)
    first_invited = set(await SurveyInvitation.filter(survey_id=survey.id).values_list('resident_id', flat=True))
    assert set(await SurveyInvitation.filter(survey_id=second.id).values_list('resident_id', flat=True)) == \
        first_invited
    assert await Notification.filter(project_id=project.id, text='《3栋楼道照明改造》整改完成，请再次评价').count() == 5
    await ratings.rate(world['author'], second.id, value='satisfied')  # rated again in the new round
    results = await ratings.round_results(project.id)
    assert [(r.round, r.verdict, r.counts.total) for r in results] == [(1, 'reopened', 5), (2, None, 1)]
    assert results[0].percent == '40.0%'


async def test_a_passing_round_closes_the_project_and_the_issue_follows(world) -> None:
    survey = await _done(world)
    await _rate_all(world, survey, {'author': 'satisfied', 'neighbour': 'fair', 'supporter': 'satisfied',
                                    'pledger': 'fair', 'attendee': 'unsatisfied'})  # 4 of 5: exactly 80 %
    closed = await ratings.close_round(world['staff'], survey.id, at=T0 + timedelta(days=7))
    assert closed.verdict == 'passed'
    project = await Project.get(id=world['project'].id)
    assert (project.state, project.round, project.closed_at) == ('closed', 1, T0 + timedelta(days=7))
    assert await Milestone.filter(project_id=project.id).count() == 0
    assert (await Issue.get(id=world['issue'].id)).state == 'closed'


async def test_a_round_nobody_rated_cannot_be_closed_and_nothing_changes(world) -> None:
    survey = await _done(world)
    refused = await _refusal(ratings.close_round(world['staff'], survey.id))
    assert refused.code == 'no_ratings'
    assert (await Survey.get(id=survey.id)).closed_at is None
    assert (await Project.get(id=world['project'].id)).state == 'rating'


async def test_only_rating_managers_close_a_round_and_two_closes_at_once_close_it_once(world) -> None:
    survey = await _done(world)
    await ratings.rate(world['author'], survey.id, value='satisfied')
    assert (await _refusal(ratings.close_round(world['author'], survey.id))).code == 'forbidden'
    results = await asyncio.gather(ratings.close_round(world['staff'], survey.id),
                                   ratings.close_round(world['supervisor'], survey.id), return_exceptions=True)
    assert sum(isinstance(r, Survey) for r in results) == 1
    (lost,) = [r for r in results if isinstance(r, DomainError)]
    assert lost.code in ('not_open_for_rating', 'changed_meanwhile')
    assert await ProjectEvent.filter(project_id=world['project'].id, to_state='closed').count() == 1


async def test_the_supervisor_reads_every_rating_with_names_and_comments_and_a_resident_may_not(world) -> None:
    survey = await _done(world)
    await ratings.rate(world['author'], survey.id, value='unsatisfied', comment='开关装得太高')
    await ratings.rate(world['outsider'], survey.id, value='satisfied')
    await ratings.record_for(world['staff'], survey.id, world['people']['neighbour'].id, value='fair')
    seen = await rating_views.all_ratings(world['supervisor'], survey.id)
    assert [(r.name, r.label, r.comment, r.invited, r.channel_label, r.recorded_by) for r in seen.rows] == [
        ('周美华', '不满意', '开关装得太高', True, '手机', ''),
        ('孙丽', '满意', '', False, '手机', ''),
        ('何建国', '基本满意', '', True, '工作人员代录', '李敏'),
    ]
    assert (seen.invited, seen.invited_rated, seen.result.percent) == (5, 2, '66.7%')
    assert (await _refusal(rating_views.all_ratings(world['author'], survey.id))).code == 'forbidden'


async def test_the_clock_closes_due_rounds_that_were_rated_and_leaves_the_rest_open(world) -> None:
    survey = await _done(world)
    other = await make_project(world['community'], title='健身器材更换')
    await project_moves.move(world['staff'], other.id, 'rating', at=T0)
    await ratings.rate(world['author'], survey.id, value='satisfied')
    assert await ratings.close_due(at=T0 + timedelta(days=6)) == 0  # not due yet
    assert await ratings.close_due(at=T0 + timedelta(days=7, minutes=1)) == 1
    assert (await Survey.get(id=survey.id)).verdict == 'passed'
    assert (await Project.get(id=world['project'].id)).state == 'closed'
    idle = await Survey.get(project_id=other.id)
    assert idle.closed_at is None  # nobody rated: it stays open and still takes ratings
    assert (await ratings.rate(world['outsider'], idle.id, value='fair')).value == 'fair'


async def test_the_community_threshold_is_set_by_staff_within_fifty_to_a_hundred_and_used_by_new_rounds(world) -> None:
    community_id = world['community'].id
    assert (await _refusal(ratings.set_threshold(world['author'], community_id, 60))).code == 'forbidden'
    assert (await _refusal(ratings.set_threshold(world['staff'], community_id, 45))).code == 'invalid_threshold'
    assert (await _refusal(ratings.set_threshold(world['staff'], community_id, '85.5'))).code == 'invalid_threshold'
    assert await ratings.set_threshold(world['staff'], community_id, 60) == 60
    survey = await _done(world)
    assert survey.threshold == 60
    await _rate_all(world, survey, {'author': 'satisfied', 'neighbour': 'fair', 'supporter': 'unsatisfied',
                                    'pledger': 'unsatisfied'})  # 50 %: below 60
    assert (await ratings.close_round(world['staff'], survey.id)).verdict == 'reopened'


# ---- micro-wishes ----

@pytest.fixture
async def wish_world(world):
    volunteer = await principal_of(await make_account(world['community'], 'volunteer', name='王丽'))
    draft = Draft(kind='wish', title='想要一个助行器', body='腿脚不便，出门需要助行器', category='elderly')
    wish = await issues.raise_item(world['author'], draft)
    await wishes.publish(world['staff'], wish.id)
    await wishes.claim(volunteer, wish.id)
    await wishes.mark_fulfilled(volunteer, wish.id)
    return {**world, 'wish': wish, 'volunteer': volunteer}


async def test_the_wishers_confirmation_is_a_closed_one_rating_round_of_the_wish(wish_world) -> None:
    w = wish_world
    await wishes.confirm(w['author'], w['wish'].id, rating='fair', comment='很及时')
    (survey,) = await Survey.filter(issue_id=w['wish'].id)
    assert (survey.round, survey.verdict, survey.fair, survey.closed_at is not None) == (1, 'passed', 1, True)
    (rating,) = await Rating.filter(survey_id=survey.id)
    assert (rating.resident_id, rating.value, rating.comment, rating.invited) == \
        (w['people']['author'].id, 'fair', '很及时', True)
    assert (await Issue.get(id=w['wish'].id)).state == 'confirmed'
    cards = await rating_views.rounds(w['supervisor'], w['community'].id, at=survey.closed_at)
    assert [(c.kind, c.title, c.result.verdict) for c in cards] == [('wish', '想要一个助行器', 'passed')]


async def test_an_unsatisfied_wisher_sends_the_wish_back_for_rectification_and_rates_again(wish_world) -> None:
    w = wish_world
    await wishes.confirm(w['author'], w['wish'].id, rating='unsatisfied', comment='尺寸不合适')
    wish = await Issue.get(id=w['wish'].id)
    assert (wish.state, wish.claimed_by_id) == ('claimed', w['volunteer'].account_id)
    survey = await Survey.get(issue_id=wish.id)
    assert (survey.verdict, survey.unsatisfied) == ('reopened', 1)
    notice = await Notification.filter(account_id=w['volunteer'].account_id).order_by('-id').first()
    assert '请整改' in notice.text
    await wishes.mark_fulfilled(w['volunteer'], wish.id, note='换了一个小号的')
    await wishes.confirm(w['author'], wish.id, rating='satisfied')
    assert (await Issue.get(id=wish.id)).state == 'confirmed'
    assert [(r.round, r.verdict) for r in await rating_views.wish_results(wish.id)] == \
        [(1, 'reopened'), (2, 'passed')]
