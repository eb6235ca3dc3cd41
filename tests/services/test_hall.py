"""线上议事厅 on a real database: posts, one level of replies, proposals first, nonces, hiding with a reason."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError
from models import AuditEntry, HallPost, Notification, ResidentTag
from services import events, hall, issues
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of

T0 = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)


def _lamp(title: str = '3栋门口路灯坏了') -> Draft:
    return Draft(kind='issue', title=title, body='晚上很黑', category='lighting')


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    backbone = await make_resident(community, name='刘德明', household=home)
    await ResidentTag.create(resident=backbone, tag='居民骨干')
    pending = await make_resident(community, name='孙小梅', household=home, status='pending')
    other = await make_community(name='桃花岭社区')
    outsider = await make_resident(other, name='赵强')
    accounts = {
        'author': await make_account(community, name='周美华', resident=author, password=None),
        'backbone': await make_account(community, name='刘德明', resident=backbone, password=None),
        'pending': await make_account(community, name='孙小梅', resident=pending, password=None),
        'outsider': await make_account(other, name='赵强', resident=outsider, password=None),
        'staff': await make_account(community, 'staff', name='王丽'),
        'volunteer': await make_account(community, 'volunteer', name='小刘'),
    }
    people = {key: await principal_of(account) for key, account in accounts.items()}
    issue = await issues.raise_item(people['author'], _lamp())
    return {'community': community, 'issue': issue, 'accounts': accounts, **people}


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def test_residents_post_reply_and_propose_and_proposals_come_first_newest_first(world) -> None:
    heard = []
    events.subscribe('hall.post.*', heard.append)
    issue_id = world['issue'].id
    first = await hall.post(world['author'], issue_id, '晚上太黑，老人不敢下楼', at=T0)
    plan_a = await hall.post(world['backbone'], issue_id, '换成太阳能路灯，不用走电', proposal=True,
                             at=T0 + timedelta(minutes=1))
    reply = await hall.post(world['staff'], issue_id, '已联系物业核实', parent_id=first.id,
                            at=T0 + timedelta(minutes=2))
    deeper = await hall.post(world['author'], issue_id, '谢谢', parent_id=reply.id, at=T0 + timedelta(minutes=3))
    plan_b = await hall.post(world['author'], issue_id, '请物业修好原来的路灯', proposal=True,
                             at=T0 + timedelta(minutes=4))
    assert deeper.parent_id == first.id  # one level of replies
    thread = await hall.thread(world['author'], issue_id)
    assert [p.id for p in thread.proposals] == [plan_b.id, plan_a.id]
    assert [p.id for p in thread.posts] == [first.id]
    assert [r.id for r in thread.posts[0].replies] == [reply.id, deeper.id]
    assert thread.count == 5 == await hall.post_count(issue_id)
    assert thread.posts[0].replies[0].author_name == '社区工作者 王丽'
    assert (thread.proposals[1].author_name, thread.proposals[1].backbone) == ('刘德明', True)
    assert (thread.proposals[0].backbone, thread.proposals[0].own) == (False, True)
    assert (heard[0].name, heard[0].payload['post_id']) == ('hall.post.created', first.id)
    assert {e.payload['community_id'] for e in heard} == {world['community'].id}


async def test_a_pending_resident_reads_but_may_not_post(world) -> None:
    await hall.post(world['author'], world['issue'].id, '晚上太黑')
    thread = await hall.thread(world['pending'], world['issue'].id)
    assert (thread.count, thread.may_post, thread.why_not.code) == (1, False, 'not_verified')
    refused = await _refusal(hall.post(world['pending'], world['issue'].id, '我也觉得'))
    assert (refused.code, refused.message) == ('not_verified', '实名核验后才能在议事厅发言，请联系社区工作人员')
    assert (await _refusal(hall.post(world['volunteer'], world['issue'].id, '我也觉得'))).code == 'forbidden'
    assert await HallPost.all().count() == 1


async def test_another_community_and_wishes_have_no_hall_here(world) -> None:
    assert (await _refusal(hall.thread(world['outsider'], world['issue'].id))).code == 'not_found'
    assert (await _refusal(hall.post(world['outsider'], world['issue'].id, '路过看看'))).code == 'not_found'
    wish = await issues.raise_item(world['author'], Draft(kind='wish', title='想要助行器', body='', category='elderly'))
    assert (await _refusal(hall.post(world['author'], wish.id, '帮帮我'))).code == 'not_found'


async def test_a_closed_issue_closes_its_hall_and_a_merged_one_names_the_survivor(world) -> None:
    survivor = await issues.raise_item(world['backbone'], _lamp('嘉明花园路灯不亮'))
    await issues.move(world['staff'], world['issue'].id, 'accepted')
    await issues.merge(world['staff'], world['issue'].id, survivor.id)
    refused = await _refusal(hall.post(world['author'], world['issue'].id, '还是很黑'))
    assert refused.code == 'hall_merged' and '《嘉明花园路灯不亮》' in refused.message
    assert (await hall.thread(world['author'], world['issue'].id)).merged_into == survivor.id
    await issues.move(world['staff'], survivor.id, 'rejected', reason='已由供电公司修复')
    refused = await _refusal(hall.post(world['author'], survivor.id, '还是很黑'))
    assert (refused.code, refused.message) == ('hall_closed', '这条议题已结束（未受理），议事厅已关闭')
    assert await HallPost.all().count() == 0


async def test_bodies_are_two_to_a_thousand_characters_and_replies_stay_in_their_issue(world) -> None:
    assert (await _refusal(hall.post(world['author'], world['issue'].id, ' 好 '))).code == 'invalid_body'
    assert (await _refusal(hall.post(world['author'], world['issue'].id, '长' * 1001))).code == 'invalid_body'
    assert (await _refusal(hall.post(world['author'], world['issue'].id, '坏\x00字'))).code == 'invalid_body'
    other = await issues.raise_item(world['backbone'], _lamp('河边护栏松动'))
    elsewhere = await hall.post(world['backbone'], other.id, '护栏要加固')
    refused = await _refusal(hall.post(world['author'], world['issue'].id, '同意', parent_id=elsewhere.id))
    assert refused.code == 'invalid_parent'
    refused = await _refusal(hall.post(world['author'], other.id, '我的方案', parent_id=elsewhere.id, proposal=True))
    assert refused.code == 'reply_not_proposal'
    assert await HallPost.all().count() == 1


async def test_the_same_nonce_posts_once_even_when_sent_twice_at_the_same_moment(world) -> None:
    issue_id = world['issue'].id
    first = await hall.post(world['author'], issue_id, '晚上太黑', nonce='tap-0001')
    again = await hall.post(world['author'], issue_id, '晚上太黑', nonce='tap-0001')
    assert again.id == first.id
    results = await asyncio.gather(*(hall.post(world['backbone'], issue_id, '换太阳能灯', nonce='tap-0002')
                                     for _ in range(5)))
    assert len({r.id for r in results}) == 1
    assert await HallPost.filter(issue_id=issue_id).count() == 2
    assert (await _refusal(hall.post(world['author'], issue_id, '晚上太黑', nonce='bad nonce!'))).code == 'bad_nonce'


async def test_a_hidden_post_shows_its_reason_to_all_and_its_text_to_staff_only(world) -> None:
    heard = []
    events.subscribe('hall.post.hidden', heard.append)
    rude = await hall.post(world['backbone'], world['issue'].id, '物业都是骗子，电话 13912345678')
    assert (await _refusal(hall.hide(world['author'], rude.id, '人身攻击'))).code == 'forbidden'
    assert (await _refusal(hall.hide(world['staff'], rude.id, '  '))).code == 'reason_required'
    await hall.hide(world['staff'], rude.id, '含有他人电话号码')
    (seen,) = (await hall.thread(world['author'], world['issue'].id)).posts
    assert (seen.hidden, seen.body, seen.hidden_reason, seen.may_reply) == (True, '', '含有他人电话号码', False)
    (staff_seen,) = (await hall.thread(world['staff'], world['issue'].id)).posts
    assert staff_seen.body == '物业都是骗子，电话 13912345678' and not staff_seen.may_hide
    notice = await Notification.get(account_id=world['accounts']['backbone'].id)
    assert notice.text.endswith('已被隐藏：含有他人电话号码')
    entry = await AuditEntry.get(action='hall.post.hidden')
    assert (entry.target_id, entry.data['reason']) == (rude.id, '含有他人电话号码')
    assert [e.payload['post_id'] for e in heard] == [rude.id]
    assert await hall.post_count(world['issue'].id) == 0
    refused = await _refusal(hall.post(world['author'], world['issue'].id, '同意', parent_id=rude.id))
    assert refused.code == 'invalid_parent'


async def test_authors_mark_their_own_posts_as_proposals_and_staff_may_mark_any(world) -> None:
    mine = await hall.post(world['backbone'], world['issue'].id, '换太阳能灯')
    theirs = await hall.post(world['author'], world['issue'].id, '修原来的灯')
    assert (await hall.mark_proposal(world['backbone'], mine.id, True)).proposal
    assert (await _refusal(hall.mark_proposal(world['backbone'], theirs.id, True))).code == 'forbidden'
    assert (await hall.mark_proposal(world['staff'], theirs.id, True)).proposal
    thread = await hall.thread(world['author'], world['issue'].id)
    assert [p.id for p in thread.proposals] == [theirs.id, mine.id]
    assert [p.may_mark for p in thread.proposals] == [True, False]
    assert not (await hall.mark_proposal(world['backbone'], mine.id, False)).proposal
