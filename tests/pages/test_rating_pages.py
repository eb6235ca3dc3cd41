"""民事民评 as people use it: a resident rates a finished project with one tap and then adds a comment; a visitor on
the public board is told to sign in; the supervisor reads every rating with names and comments; staff close a round
that falls short and name the 整改; the community's rounds at /ratings; the threshold on the admin screen."""
from __future__ import annotations

import pytest
from nicegui.testing import User

from models import Community, Milestone, Project, Rating, Survey
from services import project_moves, ratings
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_project,
    make_resident,
    principal_of,
    sign_in,
)


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    residents = {name: await make_resident(community, name=name, household=home)
                 for name in ('周美华', '何建国', '刘德明')}
    accounts = {name: await make_account(community, name=name, resident=r, password=None)
                for name, r in residents.items()}
    accounts['staff'] = await make_account(community, 'staff', name='李敏')
    accounts['supervisor'] = await make_account(community, 'supervisor', name='黄监督')
    project = await make_project(community)
    await project_moves.move(await principal_of(accounts['staff']), project.id, 'rating')
    survey = await Survey.get(project_id=project.id)
    return {'community': community, 'project': project, 'survey': survey, 'accounts': accounts,
            'residents': residents}


async def _rate(world, name: str, value: str, comment: str = '') -> None:
    await ratings.rate(await principal_of(world['accounts'][name]), world['survey'].id, value=value, comment=comment)


async def test_a_resident_rates_with_one_tap_on_the_project_page_then_adds_a_comment(user: User, world) -> None:
    await sign_in(user, world['accounts']['周美华'])
    await user.open(f'/projects/{world["project"].id}')
    await user.should_see(marker='rate-fair')
    user.find(marker='rate-fair').click()
    await user.should_see('已评价：基本满意', retries=30)
    rating = await Rating.get(survey_id=world['survey'].id, resident_id=world['residents']['周美华'].id)
    assert (rating.value, rating.channel, rating.comment) == ('fair', 'app', '')
    user.find(marker='rating-comment').type('灯亮了，开关再低一点就好')
    user.find(marker='rating-comment-send').click()
    await user.should_see(marker='rating-my-comment', retries=30)
    assert (await Rating.get(id=rating.id)).comment == '灯亮了，开关再低一点就好'
    await user.should_not_see(marker='rate-satisfied')


async def test_a_second_phone_that_still_shows_the_buttons_is_told_it_was_already_rated(user: User, world) -> None:
    await sign_in(user, world['accounts']['何建国'])
    await user.open(f'/projects/{world["project"].id}')
    await user.should_see(marker='rate-unsatisfied')
    await _rate(world, '何建国', 'satisfied')  # the other phone was first
    user.find(marker='rate-unsatisfied').click()
    await user.should_see('您已经评价过了（满意）', retries=30)
    assert [r.value for r in await Rating.filter(survey_id=world['survey'].id)] == ['satisfied']


async def test_a_visitor_on_the_public_board_is_sent_to_sign_in_and_back(user: User, world) -> None:
    await user.open(f'/board/project/{world["project"].id}')
    await user.should_see(marker='rating-sign-in')
    await user.should_see('登录后评价')
    await user.should_not_see(marker='rate-satisfied')
    link = user.find(marker='rating-sign-in').elements.pop()
    hrefs = [getattr(child, 'props', {}).get('href') for child in link.descendants()]
    assert f'/login?next=/board/project/{world["project"].id}' in hrefs


async def test_the_supervisor_reads_every_rating_with_names_and_comments(user: User, world) -> None:
    await _rate(world, '周美华', 'unsatisfied', '开关装得太高')
    await _rate(world, '何建国', 'satisfied')
    await sign_in(user, world['accounts']['supervisor'])
    await user.open(f'/projects/{world["project"].id}')
    await user.should_see(marker='rating-all')
    await user.open(f'/projects/{world["project"].id}/ratings')
    await user.should_see('周美华')
    await user.should_see('开关装得太高')
    await user.should_see('何建国')
    await user.should_see('满意 1 · 基本满意 0 · 不满意 1 · 门槛 80%')


async def test_a_resident_may_not_open_the_page_of_every_rating(user: User, world) -> None:
    await _rate(world, '周美华', 'unsatisfied', '开关装得太高')
    await sign_in(user, world['accounts']['何建国'])
    await user.open(f'/projects/{world["project"].id}/ratings')
    await user.should_see(marker='no-permission')
    await user.should_not_see('开关装得太高')


async def test_staff_close_a_round_that_falls_short_and_name_the_rectification(user: User, world) -> None:
    await _rate(world, '周美华', 'unsatisfied')
    await _rate(world, '何建国', 'fair')
    await sign_in(user, world['accounts']['staff'])
    await user.open(f'/projects/{world["project"].id}/ratings')
    user.find(marker='round-close').click()
    await user.should_see('满意度 50.0%，低于门槛 80%', retries=20)
    user.find(marker='close-title').clear().type('开关降低到1.2米')
    user.find(marker='close-ok').click()
    await user.should_see('本轮评价已结束', retries=30)
    project = await Project.get(id=world['project'].id)
    assert (project.state, project.round) == ('rectifying', 2)
    milestone = await Milestone.get(project_id=project.id, rectification=True)
    assert (milestone.title, milestone.round) == ('开关降低到1.2米', 2)
    await user.should_see('第1轮：满意度 50.0%，未达标，整改', retries=30)


async def test_closing_is_not_offered_before_anyone_rated_and_says_why(user: User, world) -> None:
    await sign_in(user, world['accounts']['staff'])
    await user.open(f'/projects/{world["project"].id}/ratings')
    await user.should_see('还没有人评价，不能结束本轮')


async def test_the_ratings_list_shows_the_open_round_to_an_invited_resident(user: User, world) -> None:
    await sign_in(user, world['accounts']['刘德明'])
    await user.open('/ratings')
    await user.should_see('3栋楼道照明改造')
    await user.should_see('第1轮 · 评价中 · 已有 0 人评价')


async def test_staff_set_the_community_threshold_on_the_places_screen(user: User, world) -> None:
    await sign_in(user, world['accounts']['staff'])
    await user.open('/admin/places')
    await user.should_see('满意度门槛 80%')
    user.find(marker='threshold-edit').click()
    user.find(marker='threshold-input').clear().type('120')
    user.find(marker='threshold-save').click()
    await user.should_see('满意度门槛请填 50 到 100 之间的整数', retries=20)
    user.find(marker='threshold-input').clear().type('90')
    user.find(marker='threshold-save').click()
    await user.should_see('满意度门槛 90%', retries=30)
    assert (await Community.get(id=world['community'].id)).satisfaction_threshold == 90


async def test_a_resident_who_scanned_the_site_qr_rates_on_the_board_in_one_tap(user: User, world) -> None:
    await sign_in(user, world['accounts']['刘德明'])
    await user.open(f'/board/project/{world["project"].id}')
    user.find(marker='rate-satisfied').click()
    await user.should_see('已评价：满意', retries=30)
    rating = await Rating.get(survey_id=world['survey'].id, resident_id=world['residents']['刘德明'].id)
    assert (rating.value, rating.channel) == ('satisfied', 'site')


async def test_an_unsatisfied_wisher_sends_the_wish_back_and_the_supervisor_reads_the_round(user: User, world) -> None:
    from services import issues, wishes
    from services.issues import Draft
    wisher = await principal_of(world['accounts']['周美华'])
    staff = await principal_of(world['accounts']['staff'])
    draft = Draft(kind='wish', title='想要一个助行器', body='腿脚不便，出门需要助行器', category='elderly')
    wish = await issues.raise_item(wisher, draft)
    await wishes.publish(staff, wish.id)
    await wishes.claim(staff, wish.id)
    await wishes.mark_fulfilled(staff, wish.id)
    await sign_in(user, world['accounts']['周美华'])
    await user.open(f'/wishes/{wish.id}')
    user.find(marker='wish-confirm').click()
    await user.should_see(marker='rate-ok')
    user.find(marker='rating').elements.pop().value = 'unsatisfied'
    user.find(marker='rating-comment').type('尺寸不合适')
    user.find(marker='rate-ok').click()
    await user.should_see('评价：不满意', retries=30)
    await user.should_see('已认领')  # back with the helper for 整改
    await sign_in(user, world['accounts']['supervisor'])
    await user.open(f'/wishes/{wish.id}')
    user.find(marker='wish-round-1').click()
    await user.should_see('尺寸不合适', retries=30)
    await user.should_see('周美华')


async def test_the_buttons_appear_live_when_staff_report_the_work_done(user: User, world) -> None:
    other = await make_project(world['community'], title='健身器材更换')
    await sign_in(user, world['accounts']['周美华'])
    await user.open(f'/projects/{other.id}')
    await user.should_see('健身器材更换')
    await user.should_not_see(marker='rate-satisfied')
    await project_moves.move(await principal_of(world['accounts']['staff']), other.id, 'rating')
    await user.should_see(marker='rate-satisfied', retries=30)
