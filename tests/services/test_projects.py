"""民事民办 services on a real database: a decision becomes a project (from each origin, once), the issue follows it,
details, milestones and stages change under staff's hand only, and 报告完工 waits for the milestones."""
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import DomainError
from models import (
    AuditEntry,
    Issue,
    IssueEvent,
    Milestone,
    Outcome,
    Project,
    ProjectEvent,
    ProjectStatus,
    Spending,
    Vote,
)
from services import events, project_moves, project_views, projects
from services.projects import ProjectDraft
from tests.support import (
    make_account,
    make_agenda_item,
    make_community,
    make_household,
    make_meeting,
    make_resident,
    principal_of,
)

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DRAFT = ProjectDraft(title='1栋加装电梯', lead_org='船柴社区居委会', summary='按表决结果加装电梯', lead_person='李敏',
                     lead_phone='13912345678', site='嘉明花园1栋', due_on=date(2026, 9, 30))


async def make_issue(community, *, kind='issue', state='published', title='1栋没有电梯，老人上下楼难', compound_id=None,
                     claimed_by=None) -> Issue:
    return await Issue.create(community=community, kind=kind, title=title, body='详情', category='facilities',
                              compound_id=compound_id, author_name='周美华', state=state, claimed_by=claimed_by,
                              created_at=AT - timedelta(days=30), updated_at=AT - timedelta(days=1))


async def make_final_vote(community, *, issue=None, state='final', verdict='passed', title='加装电梯') -> Vote:
    options = [{'id': 1, 'label': '赞成', 'kind': 'yes', 'heads': 12, 'area': '0', 'adopted': True},
               {'id': 2, 'label': '反对', 'kind': 'no', 'heads': 3, 'area': '0', 'adopted': False},
               {'id': 3, 'label': '弃权', 'kind': 'abstain', 'heads': 1, 'area': '0', 'adopted': False}]
    return await Vote.create(community=community, issue=issue, title=title, description='1栋加装电梯',
                             ballot_type='yes_no', electorate='community', counting='person', rule='simple_majority',
                             opens_at=AT - timedelta(days=20), closes_at=AT - timedelta(days=13), state=state,
                             verdict=verdict, result={'options': options}, created_at=AT - timedelta(days=21),
                             updated_at=AT - timedelta(days=6), finalised_at=AT - timedelta(days=6))


async def make_outcome(community, *, issue=None, kind='decided', state='approved') -> Outcome:
    meeting = await make_meeting(community, title='嘉明花园议事会', state='closed', starts_at=AT - timedelta(days=5))
    item = await make_agenda_item(meeting, issue=issue, title='楼道照明')
    return await Outcome.create(item=item, kind=kind, text='更换3栋声控灯，物业出资', state=state,
                                written_at=AT - timedelta(days=5))


@pytest.fixture
async def world(db):
    community = await make_community()
    other = await make_community(name='十里铺村', kind='village')
    home = await make_household(community, compound='嘉明花园', building='1栋')
    resident = await make_resident(community, name='周美华', household=home)
    staff = await make_account(community, 'staff', name='李敏')
    accounts = {
        'staff': staff,
        'other_staff': await make_account(other, 'staff', name='赵强'),
        'supervisor': await make_account(community, 'supervisor', name='孙建华'),
        'committee': await make_account(community, 'committee', name='钱书记'),
        'resident': await make_account(community, name='周美华', resident=resident, password=None),
    }
    people = {key: await principal_of(account) for key, account in accounts.items()}
    compound_id = (await home.building).compound_id
    return {'community': community, 'other': other, 'compound_id': compound_id, 'staff_account': staff, **people}


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def test_a_final_passed_vote_becomes_a_project_and_its_issue_shows_in_progress(world) -> None:
    issue = await make_issue(world['community'], compound_id=world['compound_id'])
    vote = await make_final_vote(world['community'], issue=issue)
    heard = []
    events.subscribe('*', heard.append)
    project = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    project = await Project.get(id=project.id)
    assert (project.state, project.vote_id, project.issue_id, project.compound_id) == \
        ('preparing', vote.id, issue.id, world['compound_id'])
    assert (project.lead_phone, project.created_by_id) == ('13912345678', world['staff'].account_id)
    assert (await Issue.get(id=issue.id)).state == 'in_progress'
    assert await IssueEvent.filter(issue_id=issue.id, to_state='in_progress').exists()
    assert await ProjectEvent.filter(project_id=project.id, to_state='preparing').count() == 1
    assert await AuditEntry.filter(action='project.created', target_id=project.id).exists()
    assert {e.name for e in heard} >= {'project.created', 'issue.moved'}
    assert await ProjectStatus.filter(community_id=world['community'].id).count() == 6  # the defaults, made once


async def test_the_issue_is_being_rated_when_the_project_is_reported_done(world) -> None:
    issue = await make_issue(world['community'])
    vote = await make_final_vote(world['community'], issue=issue)
    project = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    await project_moves.move(world['staff'], project.id, 'underway', at=AT + timedelta(days=1))
    await project_moves.move(world['staff'], project.id, 'rating', at=AT + timedelta(days=20))
    assert (await Issue.get(id=issue.id)).state == 'rating'
    assert (await Project.get(id=project.id)).done_at == AT + timedelta(days=20)


@pytest.mark.parametrize(('state', 'verdict', 'code'), [
    ('closed', 'passed', 'vote_not_final'), ('open', None, 'vote_not_final'), ('final', 'failed', 'vote_not_passed'),
    ('final', 'tie', 'vote_not_passed'), ('final', 'not_quorate', 'vote_not_passed'),
])
async def test_a_vote_not_final_or_not_passed_cannot_become_a_project(world, state, verdict, code) -> None:
    vote = await make_final_vote(world['community'], state=state, verdict=verdict)
    refused = await _refusal(projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT,
                                                     at=AT))
    assert refused.code == code
    assert not await Project.exists()


async def test_an_approved_decided_outcome_becomes_a_project_with_its_issue(world) -> None:
    issue = await make_issue(world['community'], state='published')
    outcome = await make_outcome(world['community'], issue=issue)
    project = await projects.create_project(world['staff'], origin='outcome', source_id=outcome.id, draft=DRAFT, at=AT)
    assert (project.outcome_id, project.issue_id, project.origin) == (outcome.id, issue.id, 'outcome')
    summary = await project_views.project_summary(project.id)
    assert summary.decision == '嘉明花园议事会：更换3栋声控灯，物业出资'
    assert summary.origin_label == '会议决定'


@pytest.mark.parametrize(('kind', 'state', 'code'), [
    ('decided', 'submitted', 'outcome_not_approved'), ('decided', 'returned', 'outcome_not_approved'),
    ('vote', 'approved', 'outcome_not_decided'), ('referred', 'approved', 'outcome_not_decided'),
])
async def test_an_outcome_not_approved_or_not_decided_cannot_become_a_project(world, kind, state, code) -> None:
    outcome = await make_outcome(world['community'], kind=kind, state=state)
    refused = await _refusal(projects.create_project(world['staff'], origin='outcome', source_id=outcome.id,
                                                     draft=DRAFT, at=AT))
    assert refused.code == code


async def test_a_claimed_wish_becomes_a_project_and_keeps_its_own_flow(world) -> None:
    wish = await make_issue(world['community'], kind='wish', state='claimed', title='想要一个助行器',
                            claimed_by=world['staff_account'])
    project = await projects.create_project(world['staff'], origin='wish', source_id=wish.id, draft=DRAFT, at=AT)
    assert (project.issue_id, project.origin) == (wish.id, 'wish')
    assert (await Issue.get(id=wish.id)).state == 'claimed'  # a wish is confirmed by its wisher, not by the project
    for state in ('open', 'fulfilled', 'submitted'):
        other = await make_issue(world['community'], kind='wish', state=state)
        refused = await _refusal(projects.create_project(world['staff'], origin='wish', source_id=other.id,
                                                         draft=DRAFT, at=AT))
        assert refused.code == 'wish_not_claimed'
    an_issue = await make_issue(world['community'])
    refused = await _refusal(projects.create_project(world['staff'], origin='wish', source_id=an_issue.id,
                                                     draft=DRAFT, at=AT))
    assert refused.code == 'not_found'


async def test_a_source_with_a_project_is_refused_until_that_project_is_cancelled(world) -> None:
    vote = await make_final_vote(world['community'])
    first = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    refused = await _refusal(projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT,
                                                     at=AT))
    assert refused.code == 'already_a_project'
    assert [c.id for c in await projects.candidates(world['staff'], world['community'].id)] == []
    await project_moves.move(world['staff'], first.id, 'cancelled', reason='资金没有落实', at=AT)
    assert [(c.origin, c.id) for c in await projects.candidates(world['staff'], world['community'].id)] == \
        [('vote', vote.id)]
    second = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    assert second.id != first.id


async def test_staff_of_another_community_and_residents_cannot_set_up_a_project(world) -> None:
    vote = await make_final_vote(world['community'])
    refused = await _refusal(projects.create_project(world['other_staff'], origin='vote', source_id=vote.id,
                                                     draft=DRAFT, at=AT))
    assert refused.code == 'other_community'
    for who in ('resident', 'supervisor', 'committee'):
        refused = await _refusal(projects.create_project(world[who], origin='vote', source_id=vote.id, draft=DRAFT,
                                                         at=AT))
        assert refused.code == 'forbidden'
    assert await projects.candidates(world['resident'], world['community'].id) == []
    assert not await Project.exists()


async def test_candidates_list_every_ready_source_with_a_label(world) -> None:
    vote = await make_final_vote(world['community'])
    await make_final_vote(world['community'], verdict='failed', title='拆除花坛')
    outcome = await make_outcome(world['community'])
    wish = await make_issue(world['community'], kind='wish', state='claimed', title='想要一个助行器')
    await make_final_vote(world['other'], title='别村的表决')
    found = await projects.candidates(world['staff'], world['community'].id)
    assert [(c.origin, c.id, c.label) for c in found] == [
        ('vote', vote.id, '表决通过：加装电梯'), ('outcome', outcome.id, '会议决定：楼道照明'),
        ('wish', wish.id, '认领的微心愿：想要一个助行器')]


@pytest.mark.parametrize(('change', 'code'), [
    ({'title': '电'}, 'invalid_title'), ({'title': '长' * 61}, 'invalid_title'),
    ({'lead_org': '  '}, 'invalid_lead_org'),
    ({'lead_phone': '1391234'}, 'invalid_phone'), ({'due_on': date(2026, 5, 1)}, 'invalid_due'),
    ({'compound_id': 99999}, 'invalid_place'), ({'site': '地' * 81}, 'invalid_site'),
])
async def test_bad_details_are_refused_in_words_and_nothing_is_made(world, change, code) -> None:
    vote = await make_final_vote(world['community'])
    draft = ProjectDraft(**{**DRAFT.__dict__, **change})
    refused = await _refusal(projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=draft,
                                                     at=AT))
    assert refused.code == code and refused.message
    assert not await Project.exists()


async def test_the_lead_phone_is_masked_for_anyone_without_resident_phone(world) -> None:
    vote = await make_final_vote(world['community'])
    project = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    assert (await project_views.project_summary(project.id)).lead_phone == '139****5678'
    assert (await project_views.project_summary(project.id, viewer=world['resident'])).lead_phone == '139****5678'
    assert (await project_views.project_summary(project.id, viewer=world['staff'])).lead_phone == '13912345678'
    summary = await project_views.project_summary(project.id)
    assert summary.decision == '加装电梯：通过（赞成 12 票、反对 3 票、弃权 1 票）'
    assert (summary.state_label, summary.community_name) == ('筹备中', '船柴社区')


async def test_details_change_and_a_closed_project_cannot_be_edited(world) -> None:
    vote = await make_final_vote(world['community'])
    project = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    changed = await projects.update_details(world['staff'], project.id,
                                            ProjectDraft(**{**DRAFT.__dict__, 'lead_phone': '0717-6221234',
                                                            'title': '1栋加装电梯（一期）'}), at=AT)
    assert (changed.title, changed.lead_phone) == ('1栋加装电梯（一期）', '0717-6221234')
    refused = await _refusal(projects.update_details(world['resident'], project.id, DRAFT, at=AT))
    assert refused.code == 'forbidden'
    await project_moves.move(world['staff'], project.id, 'cancelled', reason='资金没有落实', at=AT)
    refused = await _refusal(projects.update_details(world['staff'], project.id, DRAFT, at=AT))
    assert refused.code == 'project_closed'
    refused = await _refusal(projects.add_milestone(world['staff'], project.id, title='开工', at=AT))
    assert refused.code == 'project_closed'


async def test_milestones_block_report_done_until_each_is_done_and_done_twice_is_done_once(world) -> None:
    vote = await make_final_vote(world['community'])
    project = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    first = await projects.add_milestone(world['staff'], project.id, title='方案公示', due_on=date(2026, 6, 15), at=AT)
    second = await projects.add_milestone(world['staff'], project.id, title='施工', at=AT)
    assert (first.position, second.position, first.round, first.rectification) == (1, 2, 1, False)
    assert await projects.why_cannot_finish(await Project.get(id=project.id)) == []  # preparing: not asked yet
    await project_moves.move(world['staff'], project.id, 'underway', at=AT)
    assert await projects.why_cannot_finish(await Project.get(id=project.id)) == \
        ['还有 2 个计划节点没完成：方案公示、施工']
    refused = await _refusal(project_moves.move(world['staff'], project.id, 'rating', at=AT))
    assert refused.code == 'milestones_open'
    done = await projects.complete_milestone(world['staff'], first.id, at=AT + timedelta(days=1))
    again = await projects.complete_milestone(world['staff'], first.id, at=AT + timedelta(days=2))
    assert done.done_at == again.done_at == AT + timedelta(days=1)
    assert await AuditEntry.filter(action='project.milestone.done').count() == 1
    assert (await _refusal(projects.complete_milestone(world['resident'], second.id))).code == 'forbidden'
    await projects.complete_milestone(world['staff'], second.id, at=AT + timedelta(days=3))
    assert await projects.why_cannot_finish(await Project.get(id=project.id)) == []
    await project_moves.move(world['staff'], project.id, 'rating', at=AT + timedelta(days=4))
    assert (await Project.get(id=project.id)).state == 'rating'


async def test_a_milestone_added_while_rectifying_is_a_rectification_of_the_round(world) -> None:
    from tests.support import make_project
    project = await make_project(world['community'], state='rectifying', round=2)
    milestone = await projects.add_milestone(world['staff'], project.id, title='重新铺设防水层', at=AT)
    assert (milestone.round, milestone.rectification) == (2, True)
    assert await Milestone.filter(project_id=project.id).count() == 1


async def test_a_stage_sets_its_progress_unless_a_progress_is_given(world) -> None:
    vote = await make_final_vote(world['community'])
    project = await projects.create_project(world['staff'], origin='vote', source_id=vote.id, draft=DRAFT, at=AT)
    rows = {s.key: s for s in await projects.statuses(world['community'].id)}
    assert [s.label for s in await projects.statuses(world['community'].id)] == \
        ['方案设计', '采购招标', '施工中', '收尾', '验收', '已完工']
    changed = await projects.set_status(world['staff'], project.id, rows['building'].id, at=AT)
    assert (changed.status_id, changed.progress) == (rows['building'].id, 50)
    changed = await projects.set_status(world['staff'], project.id, rows['building'].id, progress=65, at=AT)
    assert changed.progress == 65
    for bad in (101, -5, 33.3):
        assert (await _refusal(projects.set_status(world['staff'], project.id, rows['building'].id,
                                                   progress=bad))).code == 'invalid_progress'
    other_rows = await projects.statuses(world['other'].id)
    assert (await _refusal(projects.set_status(world['staff'], project.id, other_rows[0].id))).code == \
        'invalid_status'
    own = await projects.add_status(world['staff'], world['community'].id, label='方案公示', progress=15, at=AT)
    assert [s.label for s in await projects.statuses(world['community'].id)][-1] == '方案公示'
    assert (await projects.set_status(world['staff'], project.id, own.id, at=AT)).progress == 15
    assert (await _refusal(projects.add_status(world['staff'], world['community'].id, label='方案公示',
                                               progress=20))).code == 'status_exists'
    assert (await _refusal(projects.add_status(world['resident'], world['community'].id, label='审计',
                                               progress=20))).code == 'forbidden'
    summary = await project_views.project_summary(project.id)
    assert (summary.status_label, summary.progress) == ('方案公示', 15)


async def test_list_projects_filters_by_state_newest_first(world) -> None:
    from tests.support import make_project
    older = await make_project(world['community'], title='楼道照明', state='underway',
                               created_at=AT - timedelta(days=3))
    newer = await make_project(world['community'], title='充电棚', state='closed', created_at=AT - timedelta(days=1))
    await make_project(world['other'], title='别村的项目')
    everything = await project_views.list_projects(world['community'].id)
    assert [p.id for p in everything] == [newer.id, older.id]
    assert [p.id for p in await project_views.list_projects(world['community'].id, states={'underway'})] == [older.id]
    assert all(p.lead_phone == '139****5678' for p in everything)
    refused = await _refusal(project_views.project_summary(99999))
    assert refused.code == 'not_found'


async def test_the_demo_has_a_meeting_decision_under_way_and_a_claimed_wish_being_prepared(db) -> None:
    from services import demo
    report = await demo.load(at=AT)
    assert report.added['projects'] == 2
    rows = {p.title: p for p in await Project.filter(community_id=report.community_id)}
    lamp, bulb = rows['嘉明花园夜间临时车位和消防通道划线'], rows['船柴小区独居老人厨房灯更换']
    assert (lamp.origin, lamp.state, lamp.progress, lamp.lead_phone) == ('outcome', 'underway', 40, '0717-6221234')
    assert [m.done_at is not None for m in await Milestone.filter(project_id=lamp.id).order_by('position')] == \
        [True, False]
    view = await project_views.progress_view(await _demo_staff(report.community_id), lamp.id)
    assert len(view.updates) == 1 and view.summary.status_label == '采购招标'
    assert view.finish_blocks == ('还有 1 个计划节点没完成：夜间施工划线、立牌',)
    assert view.summary.decision.startswith('小板凳、大民生：嘉明花园停车难：在3栋东侧空地划出12个夜间临时车位')
    assert (bulb.origin, bulb.state) == ('wish', 'preparing')
    assert (await Issue.get(id=bulb.issue_id)).state == 'claimed'
    again = await demo.load(at=AT + timedelta(hours=1))
    assert again.added['projects'] == 0 and await Project.all().count() == 2


async def test_the_demo_project_under_way_shows_money_with_a_receipt_and_pledges_on_its_board(db) -> None:
    from decimal import Decimal

    from services import board, demo, pledges
    report = await demo.load(at=AT)
    lamp = await Project.get(community_id=report.community_id, title='嘉明花园夜间临时车位和消防通道划线')
    shown = (await board.community_board(report.community_id)).projects
    line = next(p for p in shown if p.id == lamp.id)
    assert (line.money.budget, line.money.spent) == (Decimal('4800'), Decimal('1480'))
    assert (await Spending.get(project_id=lamp.id)).receipt_key is not None
    ledger = await pledges.ledger(lamp.id)
    assert [(line.item, line.pledged, line.received) for line in ledger.lines] == \
        [('夜间划线志愿者', Decimal('6'), Decimal('3')), ('反光锥', Decimal('0'), Decimal('0'))]
    assert len(await pledges.thanks(lamp.id)) == 1  # two pledged, one agreed to be thanked (and it arrived)


async def _demo_staff(community_id: int):
    from models import Account
    account = await Account.filter(roles__community_id=community_id, roles__role='staff').order_by('id').first()
    return await principal_of(account)

