"""异议 during 公示: filed only in the period by residents, answered by the office; upheld annuls the vote."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import DomainError
from models import ChainEntry, Issue, IssueEvent, Objection, Vote
from services import ballots, events, objections, vote_chain, votes
from tests.services.test_ballots import DURING, T0, make_world, options
from tests.support import make_account, make_community, make_resident, make_vote, principal_of

pytestmark = pytest.mark.usefixtures('db')


@pytest.fixture
async def world():
    """A passed vote in its 公示 period, about a published issue; a committee member to answer."""
    world = await make_world()
    vote = await make_vote(world['community'], open_at=T0)
    issue = await Issue.create(community=world['community'], kind='issue', title='加装电梯', body='1栋加装电梯',
                               category='facilities', author_name='张桂兰', state='published', created_at=T0,
                               updated_at=T0)
    await Vote.filter(id=vote.id).update(issue_id=issue.id)
    await ballots.cast_ballot(world['gui'], vote.id, [(await options(vote))['yes']], nonce='phone-0001', at=DURING)
    world['vote'] = await votes.close_vote(None, vote.id, at=vote.closes_at)
    world['issue'] = issue
    world['committee'] = await principal_of(await make_account(world['community'], 'committee', name='两委小陈'))
    world['in_publicity'] = world['vote'].closes_at + timedelta(days=1)
    return world


async def file(world, who='jian', *, text='计票时我不在名单上', nonce='object-0001', **kw):
    kw.setdefault('at', world['in_publicity'])
    return await objections.file_objection(world[who], world['vote'].id, text, nonce=nonce, **kw)


async def test_a_resident_files_an_objection_during_publicity_and_it_goes_on_the_chain(world):
    heard = []
    events.subscribe('vote.objection', heard.append)
    objection = await file(world)
    assert (objection.text, objection.resident_id, objection.answered_at) == \
        ('计票时我不在名单上', world['jian'].resident_id, None)
    entry = await ChainEntry.filter(vote_id=world['vote'].id).order_by('-seq').first()
    assert (entry.kind, entry.data) == ('objection.filed', {'objection': objection.id, 'text': '计票时我不在名单上'})
    assert len(heard) == 1
    assert (await votes.why_cannot_finalise(world['vote'].id, at=world['vote'].publicity_ends_at)) == \
        ['还有 1 条异议没有答复']


async def test_a_double_tap_files_one_objection(world):
    first = await file(world)
    again = await file(world, text='改了的文字')
    assert again.id == first.id and await Objection.all().count() == 1


async def test_an_objection_after_publicity_or_while_voting_is_refused(world):
    with pytest.raises(DomainError) as e:
        await file(world, at=world['vote'].publicity_ends_at)
    assert e.value.code == 'not_in_publicity' and '公示已于' in e.value.message
    open_vote = await make_vote(world['community'], open_at=T0)
    with pytest.raises(DomainError) as e:
        await objections.file_objection(world['jian'], open_vote.id, '太早了', nonce='object-0002', at=DURING)
    assert e.value.code == 'not_in_publicity'
    assert await Objection.all().count() == 0


async def test_only_residents_of_the_community_object_and_with_some_text(world):
    elsewhere = await make_community('其他社区')
    stranger = await make_resident(elsewhere, name='外人')
    outsider = await principal_of(await make_account(elsewhere, name='外人', resident=stranger))
    with pytest.raises(DomainError) as e:
        await objections.file_objection(outsider, world['vote'].id, '我反对', nonce='object-0003',
                                        at=world['in_publicity'])
    assert e.value.code == 'forbidden'
    with pytest.raises(DomainError) as e:
        await file(world, text='   ')
    assert e.value.code == 'invalid_text'


async def test_a_dismissed_objection_is_recorded_and_the_result_stands(world):
    objection = await file(world)
    answered = await objections.answer_objection(world['committee'], objection.id, answer='名单按开始时核验的居民确定',
                                                 upheld=False, at=world['in_publicity'])
    assert (answered.upheld, answered.answer, answered.answered_by_id) == \
        (False, '名单按开始时核验的居民确定', world['committee'].account_id)
    assert (await Vote.get(id=world['vote'].id)).state == 'closed'
    assert (await ChainEntry.filter(vote_id=world['vote'].id).order_by('-seq').first()).kind == 'objection.answered'
    with pytest.raises(DomainError) as e:
        await objections.answer_objection(world['committee'], objection.id, answer='再答一次', upheld=True)
    assert e.value.code == 'already_answered'
    final = await votes.finalise_vote(None, world['vote'].id, at=world['vote'].publicity_ends_at)
    assert final.state == 'final'


async def test_an_upheld_objection_annuls_the_vote_and_sends_the_issue_back_to_deliberation(world):
    objection = await file(world)
    heard = []
    events.subscribe('vote.changed', heard.append)
    await objections.answer_objection(world['committee'], objection.id, answer='核实：3栋有两户漏登，重新表决',
                                      upheld=True, at=world['in_publicity'])
    vote = await Vote.get(id=world['vote'].id)
    assert (vote.state, vote.state_reason) == ('annulled', '核实：3栋有两户漏登，重新表决')
    kinds = [e.kind for e in await ChainEntry.filter(vote_id=vote.id).order_by('seq')]
    assert kinds[-3:] == ['objection.filed', 'objection.answered', 'vote.annulled']
    issue = await Issue.get(id=world['issue'].id)
    assert issue.state == 'deliberating'
    move = await IssueEvent.filter(issue_id=issue.id).order_by('-id').first()
    assert (move.from_state, move.to_state, move.reason) == \
        ('published', 'deliberating', '核实：3栋有两户漏登，重新表决')
    assert [e.payload['state'] for e in heard] == ['annulled']
    [report] = await vote_chain.verify(vote.id)
    assert report.broken is None


async def test_residents_answer_nothing_and_see_objections_without_names_while_the_office_sees_names(world):
    objection = await file(world)
    with pytest.raises(DomainError) as e:
        await objections.answer_objection(world['gui'], objection.id, answer='不行', upheld=True)
    assert e.value.code == 'forbidden'
    [seen] = await objections.objections(world['gui'], world['vote'].id)
    assert (seen.author_label, seen.mine, seen.text) == ('某居民', False, '计票时我不在名单上')
    [own] = await objections.objections(world['jian'], world['vote'].id)
    assert own.mine
    [office] = await objections.objections(world['committee'], world['vote'].id)
    assert office.author_label == '李建国'
