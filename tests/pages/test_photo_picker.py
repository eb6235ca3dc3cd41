"""The photo picker where the other page tests do not reach it: the photo added to a rating, a receipt that is
replaced and removed, one of two issue photos removed, and a photo too large for the limit, whether the browser or
the server notices."""
from __future__ import annotations

import asyncio
import io

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from domain import photos as photo_rules
from models import Rating, Spending, Survey
from services import budget, project_moves, ratings
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_project,
    make_resident,
    principal_of,
    sign_in,
)

TOO_LARGE = f'照片太大了，每张不能超过 {photo_rules.MAX_BYTES // 2**20} MB'


def _jpeg(size=(2400, 1800), colour=(90, 130, 170)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, colour).save(buffer, format='JPEG')
    return buffer.getvalue()


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    resident = await make_resident(community, name='周美华', household=home)
    staff = await make_account(community, 'staff', name='李敏')
    project = await make_project(community)
    await budget.add_budget_line(await principal_of(staff), project.id, source='huimin', amount='20000')
    return {'project': project, 'staff': staff,
            'resident': await make_account(community, name='周美华', resident=resident, password=None)}


async def _pick(user: User, marker: str, data: bytes, name: str = '照片.jpg') -> None:
    upload = user.find(marker=marker).elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload(name=name, content_type='image/jpeg', _data=data)])


def _thumbnails(user: User, marker: str) -> list[ui.image]:
    [row] = user.find(marker=marker).elements
    return [e for e in row.descendants() if isinstance(e, ui.image)]


async def _rated(user: User, world) -> Rating:
    project = world['project']
    await project_moves.move(await principal_of(world['staff']), project.id, 'rating')
    survey = await Survey.get(project_id=project.id)
    rating = await ratings.rate(await principal_of(world['resident']), survey.id, value='satisfied')
    await sign_in(user, world['resident'])
    await user.open(f'/projects/{project.id}')
    await user.should_see(marker='rating-comment')
    return rating


async def test_a_photo_added_to_a_rating_is_stored_re_encoded_with_the_comment(user: User, world) -> None:
    rating = await _rated(user, world)
    await _pick(user, 'rating-photo', _jpeg(), '新路灯.jpg')
    await user.should_see(marker='rating-photo-ready', retries=30)
    user.find(marker='rating-comment').type('灯很亮')
    user.find(marker='rating-comment-send').click()
    await user.should_see(marker='rating-my-comment', retries=30)
    stored = await Rating.get(id=rating.id)
    assert (stored.comment, stored.photo_key is not None, stored.photo_width, stored.photo_height) == \
        ('灯很亮', True, 1600, 1200)


async def test_a_photo_over_the_limit_is_refused_by_the_server_before_the_browser_limit_is_trusted(user: User,
                                                                                                   world) -> None:
    await _rated(user, world)
    await _pick(user, 'rating-photo', b'\xff' * (photo_rules.MAX_BYTES + 1))
    await user.should_see(TOO_LARGE, retries=30)
    await user.should_not_see(marker='rating-photo-ready')


async def test_a_photo_the_browser_turned_away_as_too_large_is_explained(user: User, world) -> None:
    await _rated(user, world)
    user.find(marker='rating-photo').trigger('rejected')
    await user.should_see(TOO_LARGE)


async def test_a_second_receipt_replaces_the_first_and_delete_leaves_the_spending_without_one(user: User,
                                                                                             world) -> None:
    project = world['project']
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{project.id}/money')
    await _pick(user, 'receipt', _jpeg((900, 1200)), '发票1.jpg')
    await user.should_see(marker='receipt-ready', retries=30)
    first = _thumbnails(user, 'receipt-ready')[0].source
    await _pick(user, 'receipt', _jpeg((900, 1200), (250, 250, 240)), '发票2.jpg')
    for _ in range(100):  # re-encoding runs in a worker thread
        if [i.source for i in _thumbnails(user, 'receipt-ready')] != [first]:
            break
        await asyncio.sleep(0.05)
    assert len(_thumbnails(user, 'receipt-ready')) == 1 and _thumbnails(user, 'receipt-ready')[0].source != first
    user.find(kind=ui.button, content='删除').click()
    await user.should_not_see(marker='receipt-ready')
    user.find(marker='spend-amount').type('300')
    user.find(marker='spend-item').type('油漆')
    user.find(marker='spend-submit').click()
    await user.should_see('已记账', retries=30)
    assert (await Spending.get(project_id=project.id)).receipt_key is None


async def test_one_of_two_issue_photos_is_removed_and_the_count_follows(user: User, world) -> None:
    await sign_in(user, world['resident'])
    await user.open('/issues/new')
    await _pick(user, 'photos', _jpeg((400, 300)), '1.jpg')
    await user.should_see('已选 1 张', retries=30)
    await _pick(user, 'photos', _jpeg((400, 300), (200, 40, 40)), '2.jpg')
    await user.should_see('已选 2 张', retries=30)
    second = _thumbnails(user, 'photos-ready')[1].source
    user.find(kind=ui.button, content='删除').click()  # the first photo's
    await user.should_see('已选 1 张')
    assert [i.source for i in _thumbnails(user, 'photos-ready')] == [second]
