"""/photos/{key}.jpg for the photos of 民事民办 and 民事民评: what the public board shows opens for anyone, a rating's
photo only for the rater and those who read every rating. (Issue photos: tests/pages/test_issue_pages.py.)"""
from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from nicegui.testing import User
from PIL import Image

from models import ProgressPhoto, ProgressUpdate, Rating, Spending, Survey
from services import photos
from tests.support import make_account, make_community, make_project, make_resident, sign_in

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _stored(colour: tuple[int, int, int]) -> str:
    out = io.BytesIO()
    Image.new('RGB', (800, 600), colour).save(out, format='JPEG')
    return photos.save(photos.process(out.getvalue(), filename='photo.jpg'))


async def _get(user: User, key: str) -> int:
    return (await user.http_client.get(f'/photos/{key}.jpg')).status_code


async def test_progress_photos_and_receipts_open_for_a_visitor_of_the_public_board(user: User) -> None:
    community = await make_community()
    project = await make_project(community)
    update = await ProgressUpdate.create(project=project, text='完工', created_at=NOW)
    after = _stored((30, 140, 60))
    await ProgressPhoto.create(update=update, phase='after', key=after, width=800, height=600)
    receipt = _stored((240, 240, 230))
    await Spending.create(project=project, source='huimin', amount=Decimal('80'), item='灯泡',
                          spent_on=date(2026, 11, 29), receipt_key=receipt, receipt_width=800, receipt_height=600,
                          created_at=NOW)
    assert await _get(user, after) == 200  # nobody signed in: what the board shows, the board's visitor sees
    assert await _get(user, receipt) == 200
    assert await _get(user, _stored((1, 2, 3))) == 404  # stored, but nothing public holds it


async def test_a_rating_photo_opens_for_the_rater_and_the_supervisors_only(user: User) -> None:
    community = await make_community()
    project = await make_project(community, state='rating')
    survey = await Survey.create(community=community, project=project, round=1, threshold=80, opened_at=NOW)
    rater = await make_resident(community, name='周美华')
    key = _stored((200, 30, 30))
    await Rating.create(survey=survey, resident=rater, value='unsatisfied', comment='灯还是暗', photo_key=key,
                        photo_width=800, photo_height=600, created_at=NOW)
    assert await _get(user, key) == 404  # a visitor
    await sign_in(user, await make_account(community, name='何建国', resident=await make_resident(community),
                                           password=None))
    assert await _get(user, key) == 404  # a neighbour
    await sign_in(user, await make_account(community, name='周美华', resident=rater, password=None))
    assert await _get(user, key) == 200
    await sign_in(user, await make_account(community, 'supervisor', name='郝忠义'))
    assert await _get(user, key) == 200
