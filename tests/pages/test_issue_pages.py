"""The issue screens as a resident and staff use them: raise, photos, the wall with 附议, live updates, rejection."""
from __future__ import annotations

import io

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from models import Issue, IssuePhoto
from services import issues
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

TITLE = '3栋门口路灯坏了'


def _jpeg(size=(2400, 1800)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, (120, 160, 90)).save(buffer, format='JPEG')
    return buffer.getvalue()


def _lamp(title: str = TITLE) -> Draft:
    return Draft(kind='issue', title=title, body='晚上很黑，老人出门不安全', category='lighting')


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    neighbour = await make_resident(community, name='何建国', household=home)
    return {
        'community': community,
        'author': await make_account(community, name='周美华', resident=author, password=None),
        'neighbour': await make_account(community, name='何建国', resident=neighbour, password=None),
        'staff': await make_account(community, 'staff', name='李敏'),
    }


async def _fill(user: User, title: str = TITLE) -> None:
    if title:
        user.find(marker='title').type(title)
    user.find(marker='body').type('晚上很黑，老人出门不安全')
    user.find(marker='category').elements.pop().value = 'lighting'


async def _upload(user: User, data: bytes, name: str) -> None:
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload(name=name, content_type='image/jpeg', _data=data)])


async def test_a_resident_raises_an_issue_and_lands_on_its_detail_with_the_first_timeline_entry(user, world) -> None:
    await sign_in(user, world['author'])
    await user.open('/issues/new')
    await user.should_see('嘉明花园')  # the place defaults to her own building
    await _fill(user)
    user.find(marker='submit').click()
    await user.should_see(marker='issue-title', retries=30)
    issue = await Issue.get(title=TITLE)
    assert (issue.kind, issue.state, issue.show_author) == ('issue', 'submitted', False)
    await user.should_see(marker='timeline-submitted')
    await user.should_see('手机提交')
    await user.should_see('提出人：居民')  # the name is public only when she chose to show it


async def test_an_empty_title_shows_the_reason_in_chinese_keeps_the_form_and_stores_nothing(user, world) -> None:
    await sign_in(user, world['author'])
    await user.open('/issues/new')
    await _fill(user, title='')
    user.find(marker='submit').click()
    await user.should_see('请用一句话写清楚是什么事（至少 2 个字）')
    await user.should_see(marker='submit')
    assert not await Issue.exists()


async def test_an_uploaded_jpeg_is_stored_re_encoded_at_most_1600_px(user, world) -> None:
    await sign_in(user, world['author'])
    await user.open('/issues/new')
    await _upload(user, _jpeg(), '路灯.jpg')
    await user.should_see('已选 1 张', retries=30)
    await _fill(user)
    user.find(marker='submit').click()
    await user.should_see(marker='issue-photo', retries=30)
    [photo] = await IssuePhoto.all()
    assert (photo.width, photo.height) == (1600, 1200)


async def test_a_pdf_renamed_jpg_is_refused_with_the_reason_and_never_attached(user, world) -> None:
    await sign_in(user, world['author'])
    await user.open('/issues/new')
    await _upload(user, b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF', '照片.jpg')
    await user.should_see('这不是照片文件，请选择 JPG 或 PNG 照片', retries=30)
    await user.should_not_see(marker='photo-count')


async def test_a_fourth_photo_is_refused_with_the_services_message(user, world) -> None:
    await sign_in(user, world['author'])
    await user.open('/issues/new')
    for n in range(4):
        await _upload(user, _jpeg((400, 300)), f'{n}.jpg')
    await user.should_see('最多 3 张照片', retries=30)
    await user.should_see('已选 3 张')


async def test_the_wall_shows_the_issue_and_a_neighbours_support_raises_the_count(user, world) -> None:
    issue = await issues.raise_item(await principal_of(world['author']), _lamp())
    await sign_in(user, world['neighbour'])
    await user.open('/issues')
    await user.should_see(TITLE)
    await user.should_see('0 人附议')
    user.find(marker=f'support-{issue.id}').click()
    await user.should_see('1 人附议', retries=30)
    await user.should_see('已附议')
    assert (await Issue.get(id=issue.id)).support_count == 1


async def test_the_wall_shows_a_neighbours_new_issue_without_reload(user, world) -> None:
    await sign_in(user, world['neighbour'])
    await user.open('/issues')
    await user.should_see('还没有议题')
    await issues.raise_item(await principal_of(world['author']), _lamp('小区东门积水严重'))
    await user.should_see('小区东门积水严重', retries=30)  # the same page object, never reopened


async def test_a_rejection_reason_reaches_the_authors_notices_and_the_public_timeline(user, world) -> None:
    issue = await issues.raise_item(await principal_of(world['author']), _lamp())
    await sign_in(user, world['staff'])
    await user.open(f'/issues/{issue.id}')
    user.find(marker='move-rejected').click()
    await user.should_see(marker='move-reason')
    user.find(marker='move-reason').type('路灯属于供电公司，已转 12345')
    user.find(marker='move-ok').click()
    await user.should_see('原因：路灯属于供电公司，已转 12345', retries=30)
    assert (await Issue.get(id=issue.id)).state == 'rejected'

    await sign_in(user, world['author'])
    await user.open('/me/notices')
    await user.should_see(f'《{TITLE}》已提交 → 未受理：路灯属于供电公司，已转 12345')
    await user.open(f'/issues/{issue.id}')
    await user.should_see('未受理')
    await user.should_see('原因：路灯属于供电公司，已转 12345')


async def test_a_rejection_without_a_reason_is_refused_in_the_dialog(user, world) -> None:
    issue = await issues.raise_item(await principal_of(world['author']), _lamp())
    await sign_in(user, world['staff'])
    await user.open(f'/issues/{issue.id}')
    user.find(marker='move-rejected').click()
    await user.should_see(marker='move-ok')
    user.find(marker='move-ok').click()
    await user.should_see('改为“未受理”需要写明原因')
    assert (await Issue.get(id=issue.id)).state == 'submitted'


async def test_a_resident_of_another_community_cannot_open_the_issue(user, world) -> None:
    issue = await issues.raise_item(await principal_of(world['author']), _lamp())
    other = await make_community('桃花岭社区')
    stranger = await make_resident(other, name='刘淑芬')
    await sign_in(user, await make_account(other, name='刘淑芬', resident=stranger, password=None))
    await user.open(f'/issues/{issue.id}')
    await user.should_see('找不到这条议题')
    await user.should_not_see(TITLE)


async def test_a_visitor_is_sent_to_sign_in_and_back_to_the_wall(user) -> None:
    response = await user.http_client.get('/issues', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == '/login?next=/issues'


async def test_the_photo_route_refuses_a_key_that_is_not_a_content_hash(user) -> None:
    for key in ('..%2F..%2Fsecret', 'A' * 64, '0' * 64):
        assert (await user.http_client.get(f'/photos/{key}.jpg')).status_code == 404


async def test_a_stored_photo_is_served_to_its_community_and_to_nobody_else(user, world) -> None:
    author = await principal_of(world['author'])
    issue = await issues.raise_item(author, _lamp(), photo_data=[_jpeg()])
    key = (await IssuePhoto.get(issue_id=issue.id)).key
    assert (await user.http_client.get(f'/photos/{key}.jpg')).status_code == 404  # nobody signed in
    await sign_in(user, world['neighbour'])
    response = await user.http_client.get(f'/photos/{key}.jpg')
    assert response.status_code == 200 and response.headers['content-type'] == 'image/jpeg'
    assert Image.open(io.BytesIO(response.content)).size == (1600, 1200)
    other = await make_community('桃花岭社区')
    stranger = await make_resident(other, name='外社区居民')
    await sign_in(user, await make_account(other, name='外社区居民', resident=stranger, password=None))
    assert (await user.http_client.get(f'/photos/{key}.jpg')).status_code == 404


async def test_staff_merge_a_duplicate_from_its_page_and_its_supports_move_over(user, world) -> None:
    survivor = await issues.raise_item(await principal_of(world['neighbour']), _lamp('嘉明花园3栋路灯不亮'))
    duplicate = await issues.raise_item(await principal_of(world['author']), _lamp())
    await sign_in(user, world['staff'])
    await user.open(f'/issues/{duplicate.id}')
    await user.should_not_see(marker='move-merged')  # merging is never a plain state change
    user.find(marker='merge').click()
    await user.should_see(marker='merge-into')
    user.find(marker='merge-into').elements.pop().value = survivor.id
    user.find(marker='merge-ok').click()
    await user.should_see('已合并')
    merged = await Issue.get(id=duplicate.id)
    assert (merged.state, merged.merged_into_id) == ('merged', survivor.id)
    assert (await Issue.get(id=survivor.id)).support_count == 1  # the duplicate's author now supports it
