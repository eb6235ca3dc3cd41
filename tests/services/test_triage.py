"""议题分流 on a real database: classifying into 大事/小事/微事 with the right lead, the street's reply and its due
date, and the 三事分送清单 on screen and in Excel."""
import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from domain.errors import DomainError
from domain.triage import LOCAL
from models import AuditEntry, Compound, Issue, IssueEvent, Notification
from services import councils, issues, triage
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of

MONDAY = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)  # 10:00 in Yichang


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    await make_household(community, compound='滨江苑', building='1栋', room='101')
    author = await make_resident(community, name='周美华', household=home)
    author_account = await make_account(community, name='周美华', resident=author, password=None)
    staff = await principal_of(await make_account(community, 'staff', name='李敏'))
    community_council = await councils.create_council(staff, community.id)
    jiaming = await Compound.get(name='嘉明花园')
    compound_council = await councils.create_council(staff, community.id, compound_id=jiaming.id)
    return {
        'community': community, 'staff': staff, 'me': await principal_of(author_account),
        'author_account': author_account, 'committee': await principal_of(
            await make_account(community, 'committee', name='陈书记')),
        'community_council': community_council, 'compound_council': compound_council, 'jiaming': jiaming,
    }


async def _accepted(world, *, category: str = 'drying', title: str = '3栋楼下想搭晾衣架', at: datetime | None = None,
                    urgent: bool = False) -> Issue:
    issue = await issues.raise_item(world['me'], Draft(kind='issue', title=title, body='', category=category,
                                                       urgent=urgent), at=at)
    return await issues.move(world['staff'], issue.id, 'accepted', at=at)


async def test_pending_lists_accepted_issues_urgent_first_then_oldest_with_the_suggestion_and_its_reason(world):
    older = await _accepted(world, title='晾衣架', at=MONDAY - timedelta(days=3))
    newer = await _accepted(world, title='路灯', category='lighting', at=MONDAY - timedelta(days=1))
    urgent = await _accepted(world, title='燃气管道漏气', category='municipal', at=MONDAY, urgent=True)
    await issues.raise_item(world['me'], Draft(kind='issue', title='还没受理', body='', category='drying'))
    waiting = await triage.pending(world['staff'], world['community'].id)
    assert [p.id for p in waiting] == [urgent.id, older.id, newer.id]
    first, second = waiting[0], waiting[1]
    assert (first.suggestion.scale, first.suggestion.lead) == ('big', 'street')
    assert (second.suggestion.scale, second.suggestion.rule) == ('micro', 'one_compound')
    assert second.suggestion.reason == '只涉及嘉明花园，属于小区内公共事务'
    assert second.compound_council == '嘉明花园议事会' and second.community_council == '船柴社区议事协商委员会'


async def test_a_small_matter_is_led_by_the_community_council_and_the_author_is_told(world):
    issue = await _accepted(world, category='elderly', title='社区想办老年食堂')
    done = await triage.classify(world['staff'], issue.id, scale='small', lead='community_council')
    assert (done.state, done.scale, done.lead, done.council_id) == \
        ('triaged', 'small', 'community_council', world['community_council'].id)
    assert done.street_due_at is None
    event = await IssueEvent.filter(issue_id=issue.id, to_state='triaged').get()
    assert event.reason == '分流为小事，由船柴社区议事协商委员会牵头'
    notice = await Notification.filter(account_id=world['author_account'].id).order_by('-id').first()
    assert '已分流' in notice.text and '船柴社区议事协商委员会' in notice.text
    assert await AuditEntry.filter(action='issue.triaged', target_id=issue.id).exists()


async def test_a_micro_matter_is_led_by_its_compounds_council_and_can_be_marked_urgent(world):
    issue = await _accepted(world)
    done = await triage.classify(world['committee'], issue.id, scale='micro', lead='compound_council', urgent=True,
                                 reason='雨季前要定下来')
    assert (done.state, done.scale, done.council_id, done.urgent) == \
        ('triaged', 'micro', world['compound_council'].id, True)
    event = await IssueEvent.filter(issue_id=issue.id, to_state='triaged').get()
    assert event.reason == '分流为微事，由嘉明花园议事会牵头（紧急）：雨季前要定下来'


async def test_a_big_matter_goes_to_the_street_due_ten_working_days_out_and_is_overdue_after_that(world):
    issue = await _accepted(world, category='municipal', title='小区燃气管道老化', at=MONDAY)
    done = await triage.classify(world['staff'], issue.id, scale='big', lead='street', at=MONDAY)
    assert (done.state, done.scale, done.lead, done.council_id) == ('referred', 'big', 'street', None)
    due = datetime(2026, 5, 18, 23, 59, 59, tzinfo=LOCAL)  # two weekends skipped
    assert done.street_due_at == due
    moves = await IssueEvent.filter(issue_id=issue.id).order_by('id').values_list('to_state', flat=True)
    assert list(moves)[-2:] == ['triaged', 'referred']
    on_time = await triage.dispatch_list(world['staff'], world['community'].id, at=due)
    late = await triage.dispatch_list(world['staff'], world['community'].id, at=due + timedelta(seconds=1))
    assert [i.overdue for i in on_time.groups[0].items] == [False]
    assert [i.overdue for i in late.groups[0].items] == [True]


@pytest.mark.parametrize(('scale', 'lead', 'council', 'code'), [
    ('huge', 'street', None, 'invalid_scale'),
    ('small', 'mayor', None, 'invalid_lead'),
    ('small', 'street', None, 'lead_mismatch'),
    ('big', 'community_council', None, 'lead_mismatch'),
    ('small', 'community_council', 'compound_council', 'invalid_council'),
    ('micro', 'compound_council', 'community_council', 'invalid_council'),
    ('big', 'street', 'community_council', 'invalid_council'),
])
async def test_an_inconsistent_class_lead_or_council_is_refused_and_nothing_moves(world, scale, lead, council, code):
    issue = await _accepted(world)
    with pytest.raises(DomainError) as refused:
        await triage.classify(world['staff'], issue.id, scale=scale, lead=lead,
                              council_id=world[council].id if council else None)
    assert refused.value.code == code
    assert (await Issue.get(id=issue.id)).state == 'accepted'


async def test_only_accepted_issues_can_be_triaged(world):
    raised = await issues.raise_item(world['me'], Draft(kind='issue', title='还没受理', body='', category='drying'))
    with pytest.raises(DomainError) as refused:
        await triage.classify(world['staff'], raised.id, scale='micro', lead='compound_council')
    assert refused.value.code == 'not_pending'
    issue = await _accepted(world)
    await triage.classify(world['staff'], issue.id, scale='micro', lead='compound_council')
    with pytest.raises(DomainError) as twice:
        await triage.classify(world['staff'], issue.id, scale='small', lead='community_council')
    assert twice.value.code == 'not_pending'
    assert (await Issue.get(id=issue.id)).scale == 'micro'


async def test_a_resident_may_neither_see_the_pending_list_nor_triage(world):
    issue = await _accepted(world)
    with pytest.raises(DomainError) as refused:
        await triage.classify(world['me'], issue.id, scale='micro', lead='compound_council')
    assert refused.value.code == 'forbidden'
    for call in (triage.pending(world['me'], world['community'].id),
                 triage.dispatch_list(world['me'], world['community'].id)):
        with pytest.raises(DomainError) as hidden:
            await call
        assert hidden.value.code == 'forbidden'
    assert (await Issue.get(id=issue.id)).state == 'accepted'


async def test_the_streets_reply_closes_a_handled_referral_with_the_reply_on_the_timeline(world):
    issue = await _accepted(world, category='municipal', title='燃气管道老化')
    await triage.classify(world['staff'], issue.id, scale='big', lead='street')
    done = await triage.record_street_reply(world['staff'], issue.id, reply='燃气公司已更换管道', handled=True)
    assert (done.state, done.street_reply) == ('closed', '燃气公司已更换管道')
    assert done.street_replied_at is not None
    last = await IssueEvent.filter(issue_id=issue.id).order_by('-id').first()
    assert (last.to_state, last.reason) == ('closed', '燃气公司已更换管道')


async def test_a_referral_sent_back_goes_to_deliberation_and_needs_the_reply(world):
    issue = await _accepted(world, category='municipal', title='燃气管道老化')
    await triage.classify(world['staff'], issue.id, scale='big', lead='street')
    with pytest.raises(DomainError) as empty:
        await triage.record_street_reply(world['staff'], issue.id, reply='  ', handled=False)
    assert empty.value.code == 'invalid_reply'
    done = await triage.record_street_reply(world['staff'], issue.id, reply='属于小区内部事务，请社区协商',
                                            handled=False)
    assert done.state == 'deliberating'
    with pytest.raises(DomainError) as again:
        await triage.record_street_reply(world['staff'], issue.id, reply='再答复一次', handled=True)
    assert again.value.code == 'not_referred'


async def test_the_dispatch_list_groups_by_class_and_the_excel_has_the_headers_and_rows(world):
    big = await _accepted(world, category='municipal', title='燃气管道老化', at=MONDAY)
    await triage.classify(world['staff'], big.id, scale='big', lead='street', at=MONDAY)
    small = await _accepted(world, category='elderly', title='老年食堂')
    await triage.classify(world['staff'], small.id, scale='small', lead='community_council')
    micro = await _accepted(world, title='晾衣架')
    await triage.classify(world['staff'], micro.id, scale='micro', lead='compound_council', urgent=True)
    await _accepted(world, title='还在等分流')
    lst = await triage.dispatch_list(world['staff'], world['community'].id, at=MONDAY + timedelta(days=30))
    assert [(g.label, [i.title for i in g.items]) for g in lst.groups] == \
        [('大事', ['燃气管道老化']), ('小事', ['老年食堂']), ('微事', ['晾衣架'])]
    assert lst.groups[0].items[0].overdue and lst.groups[0].items[0].lead_body == '街道（乡镇）'
    assert lst.groups[2].items[0].urgent and lst.groups[2].items[0].lead_body == '嘉明花园议事会'
    since = await triage.dispatch_list(world['staff'], world['community'].id, since=MONDAY + timedelta(days=1))
    assert [i.title for g in since.groups for i in g.items] == ['老年食堂', '晾衣架']

    sheet = openpyxl.load_workbook(io.BytesIO(triage.dispatch_xlsx(lst))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert '船柴社区三事分送清单' in rows[0][0]
    assert rows[2] == ['序号', '议题', '类别', '地点', '分类', '牵头单位', '紧急', '提出时间', '街道答复期限', '状态']
    assert rows[3][0] == '大事（1 项）'
    assert rows[4][:7] == [1, '燃气管道老化', '市政设施（供水、供电、燃气、排水）', '嘉明花园 3栋', '大事',
                           '街道（乡镇）', None]
    assert rows[4][8] == '2026-05-18（已超期）' and rows[4][9] == '已转街道'
    assert rows[5][0] == '小事（1 项）' and rows[6][1:6] == ['老年食堂', '养老/助老', '嘉明花园 3栋', '小事',
                                                           '船柴社区议事协商委员会']
    assert rows[7][0] == '微事（1 项）' and rows[8][1] == '晾衣架' and rows[8][6] == '是'
    assert sheet.page_setup.orientation == 'landscape' and sheet.page_setup.fitToWidth == 1
