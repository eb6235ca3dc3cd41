"""民事民提 services on a real database: raising, photos, support races, lifecycle moves, merging, the API push."""
import asyncio
import io

import pytest
from PIL import Image

from domain.errors import DomainError
from models import Account, AuditEntry, Issue, IssueEvent, IssuePhoto, IssueSupport, Notification
from services import apikeys, events, issues
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of


def _jpeg(size=(2400, 1800)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, (120, 160, 90)).save(buffer, format='JPEG')
    return buffer.getvalue()


def _lamp(**changes) -> Draft:
    return Draft(**{'kind': 'issue', 'title': '3栋门口路灯坏了', 'body': '晚上很黑，老人出门不安全',
                    'category': 'lighting', **changes})


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    neighbour = await make_resident(community, name='何建国', household=home)
    author_account = await make_account(community, name='周美华', resident=author, password=None)
    neighbour_account = await make_account(community, name='何建国', resident=neighbour, password=None)
    staff = await make_account(community, 'staff', name='李敏')
    return {
        'community': community, 'home': home, 'author': author, 'neighbour': neighbour,
        'author_account': author_account, 'me': await principal_of(author_account),
        'neighbour_me': await principal_of(neighbour_account), 'staff': await principal_of(staff),
    }


async def test_a_resident_raises_an_issue_placed_at_their_own_building_with_a_first_timeline_entry(world) -> None:
    heard = []
    events.subscribe('issue.*', heard.append)
    issue = await issues.raise_item(world['me'], _lamp())
    await issue.fetch_related('building')
    assert (issue.state, issue.channel, issue.author_id) == ('submitted', 'app', world['author'].id)
    assert issue.building.name == '3栋' and issue.compound_id == issue.building.compound_id
    timeline = await IssueEvent.filter(issue_id=issue.id)
    assert [(e.from_state, e.to_state, e.reason) for e in timeline] == [(None, 'submitted', '手机提交')]
    assert await AuditEntry.filter(action='issue.created', target_id=issue.id).exists()
    assert [e.name for e in heard] == ['issue.created']


@pytest.mark.parametrize(('draft', 'code'), [
    (_lamp(title=''), 'invalid_title'),
    (_lamp(title='灯'), 'invalid_title'),
    (_lamp(title='路灯' * 40), 'invalid_title'),
    (_lamp(body='很黑' * 1500), 'invalid_body'),
    (_lamp(category='unknown'), 'invalid_category'),
    (_lamp(kind='petition'), 'invalid_kind'),
])
async def test_bad_text_is_refused_with_a_reason_and_nothing_is_stored(world, draft, code) -> None:
    with pytest.raises(DomainError) as refused:
        await issues.raise_item(world['me'], draft)
    assert refused.value.code == code
    assert await Issue.all().count() == 0


async def test_photos_are_re_encoded_and_stored_and_a_fourth_photo_is_refused(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp(), photo_data=[_jpeg(), _jpeg((800, 600))])
    stored = await IssuePhoto.filter(issue_id=issue.id).order_by('position')
    assert [(p.width, p.height) for p in stored] == [(1600, 1200), (800, 600)]
    with pytest.raises(DomainError) as refused:
        await issues.raise_item(world['me'], _lamp(), photo_data=[_jpeg((400, 300))] * 4)
    assert refused.value.code == 'too_many_photos'
    assert await Issue.all().count() == 1


async def test_a_pdf_renamed_as_a_photo_refuses_the_whole_issue(world) -> None:
    with pytest.raises(DomainError) as refused:
        await issues.raise_item(world['me'], _lamp(), photo_data=[_jpeg((400, 300)), b'%PDF-1.4\n%fake\n'])
    assert refused.value.code == 'photo_not_image'
    assert await Issue.all().count() == 0 and await IssuePhoto.all().count() == 0


async def test_a_hundred_taps_on_support_count_once_and_undo_takes_it_back(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    await asyncio.gather(*(issues.support(world['neighbour_me'], issue.id) for _ in range(100)))
    assert await IssueSupport.filter(issue_id=issue.id).count() == 1
    assert (await Issue.get(id=issue.id)).support_count == 1
    assert await issues.withdraw_support(world['neighbour_me'], issue.id) == 0
    assert await issues.withdraw_support(world['neighbour_me'], issue.id) == 0
    assert (await Issue.get(id=issue.id)).support_count == 0


async def test_an_author_cannot_support_their_own_issue_and_an_unverified_resident_cannot_support(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    with pytest.raises(DomainError) as own:
        await issues.support(world['me'], issue.id)
    assert own.value.code == 'own_issue'
    pending = await make_resident(world['community'], name='新住户', status='pending')
    newcomer = await principal_of(await make_account(world['community'], name='新住户', resident=pending))
    with pytest.raises(DomainError) as unverified:
        await issues.support(newcomer, issue.id)
    assert unverified.value.code == 'not_verified'
    assert (await Issue.get(id=issue.id)).support_count == 0


async def test_staff_accepting_an_issue_puts_it_on_the_timeline_and_tells_the_author(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    await issues.move(world['staff'], issue.id, 'accepted')
    assert (await Issue.get(id=issue.id)).state == 'accepted'
    notices = await Notification.filter(account_id=world['author_account'].id)
    assert len(notices) == 1 and '3栋门口路灯坏了' in notices[0].text
    assert [e.to_state for e in await IssueEvent.filter(issue_id=issue.id).order_by('id')] == ['submitted', 'accepted']


async def test_a_rejection_without_a_reason_and_an_illegal_jump_are_refused_and_change_nothing(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    with pytest.raises(DomainError) as no_reason:
        await issues.move(world['staff'], issue.id, 'rejected')
    assert no_reason.value.code == 'reason_required'
    with pytest.raises(DomainError) as jump:
        await issues.move(world['staff'], issue.id, 'closed', reason='已修好')
    assert jump.value.code == 'illegal_transition'
    assert (await Issue.get(id=issue.id)).state == 'submitted'
    assert await IssueEvent.filter(issue_id=issue.id).count() == 1
    await issues.move(world['staff'], issue.id, 'rejected', reason='属于物业维修范围，已转物业')
    notice = await Notification.get(account_id=world['author_account'].id)
    assert '属于物业维修范围，已转物业' in notice.text


async def test_a_resident_cannot_accept_their_own_issue(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    with pytest.raises(DomainError) as refused:
        await issues.move(world['me'], issue.id, 'accepted')
    assert refused.value.code == 'forbidden'


async def test_two_staff_accepting_at_the_same_moment_make_one_move(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    other = await principal_of(await make_account(world['community'], 'staff', name='陈晓燕'))
    results = await asyncio.gather(issues.move(world['staff'], issue.id, 'accepted'),
                                   issues.move(other, issue.id, 'accepted'), return_exceptions=True)
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(refusals) == 1 and refusals[0].code in {'changed_meanwhile', 'illegal_transition'}
    assert await IssueEvent.filter(issue_id=issue.id, to_state='accepted').count() == 1


async def test_merging_moves_supports_once_per_person_and_tells_the_duplicates_author(world) -> None:
    survivor = await issues.raise_item(world['neighbour_me'], _lamp(title='嘉明花园3栋路灯不亮'))
    duplicate = await issues.raise_item(world['me'], _lamp())
    third = await make_resident(world['community'], name='王秀英')
    third_me = await principal_of(await make_account(world['community'], name='王秀英', resident=third))
    await issues.support(third_me, duplicate.id)
    await issues.support(third_me, survivor.id)
    await issues.support(world['neighbour_me'], duplicate.id)  # the survivor's own author
    merged = await issues.merge(world['staff'], duplicate.id, survivor.id)
    gone = await Issue.get(id=duplicate.id)
    assert (gone.state, gone.merged_into_id, gone.support_count) == ('merged', survivor.id, 0)
    supporters = set(await IssueSupport.filter(issue_id=survivor.id).values_list('resident_id', flat=True))
    assert supporters == {third.id, world['author'].id}
    assert merged.support_count == 2
    notice = await Notification.get(account_id=world['author_account'].id)
    assert '嘉明花园3栋路灯不亮' in notice.text
    survivor_author = await Account.get(resident_id=world['neighbour'].id)
    told = await Notification.get(account_id=survivor_author.id)
    assert '3栋门口路灯坏了' in told.text and told.issue_id == survivor.id


async def test_staff_record_a_hotline_call_for_someone_not_on_the_roster_and_residents_cannot(world) -> None:
    issue = await issues.record_for_resident(world['staff'], world['community'].id, _lamp(), channel='12345',
                                             author_name='来电市民')
    assert (issue.channel, issue.author_name, issue.author_id) == ('12345', '来电市民', None)
    with pytest.raises(DomainError) as refused:
        await issues.record_for_resident(world['me'], world['community'].id, _lamp(), channel='phone',
                                         author_name='x')
    assert refused.value.code == 'forbidden'


async def test_an_integration_pushing_the_same_reference_twice_creates_one_issue(world) -> None:
    admin = await principal_of(await make_account(world['community'], 'admin'))
    key_row, _ = await apikeys.create(admin, world['community'].id, '12345 热线对接')
    first, created = await issues.push_from_api(key_row, _lamp(), reference='12345-2026-0001', author_name='来电市民')
    again, created_again = await issues.push_from_api(key_row, _lamp(title='改了标题'),
                                                      reference='12345-2026-0001', author_name='来电市民')
    assert (created, created_again, again.id) == (True, False, first.id)
    assert await Issue.filter(community_id=world['community'].id).count() == 1
    with pytest.raises(DomainError) as refused:
        await issues.push_from_api(key_row, _lamp(), reference='  ', author_name='x')
    assert refused.value.code == 'invalid_reference'


async def test_merged_is_never_a_plain_move_because_it_needs_the_surviving_issue(world) -> None:
    issue = await issues.raise_item(world['me'], _lamp())
    with pytest.raises(DomainError) as refused:
        await issues.move(world['staff'], issue.id, 'merged', reason='重复')
    assert refused.value.code == 'merge_needs_target'
    assert (await Issue.get(id=issue.id)).state == 'submitted'
