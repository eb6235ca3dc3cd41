"""The poster files and the projector view: who may have them, what they hold, the count rising live."""
from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from nicegui.testing import User
from PIL import Image

from models import CheckIn
from services import checkins, events
from tests.support import make_account, make_community, make_meeting, make_resident, principal_of, sign_in


@pytest.fixture
async def world(user: User):
    community = await make_community()
    meeting = await make_meeting(community, title='加装电梯议事会', starts_at=datetime.now(UTC) + timedelta(minutes=10))
    neighbour = await make_resident(community, name='钱阿姨')
    return {'community': community, 'meeting': meeting, 'neighbour_row': neighbour, 'path': f'/meetings/{meeting.id}',
            'staff': await make_account(community, 'staff', name='李敏'),
            'volunteer': await make_account(community, 'volunteer', name='小林'),
            'neighbour': await make_account(community, name='钱阿姨', resident=neighbour, password=None)}


async def _count_shown(user: User, expected: str = '1') -> str:
    """The big number once it shows `expected` (live redraws take a moment), else what it shows after 2 s."""
    for _ in range(40):
        shown = user.find(marker='screen-count').elements.pop().text
        if shown == expected:
            break
        await asyncio.sleep(0.05)
    return shown


async def test_staff_download_the_poster_as_png_and_pdf_with_a_chinese_file_name(user: User, world) -> None:
    await sign_in(user, world['staff'])
    png = await user.http_client.get(f'{world["path"]}/poster.png')
    assert png.status_code == 200 and png.headers['content-type'] == 'image/png'
    assert Image.open(io.BytesIO(png.content)).size == (1240, 1754)
    disposition = png.headers['content-disposition']
    assert f'filename="meeting-{world["meeting"].id}-poster.png"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == '加装电梯议事会-签到海报.png'
    pdf = await user.http_client.get(f'{world["path"]}/poster.pdf')
    assert pdf.status_code == 200 and pdf.content.startswith(b'%PDF')


async def test_a_volunteer_or_resident_gets_no_poster_and_a_stranger_is_sent_to_login(user: User, world) -> None:
    anonymous = await user.http_client.get(f'{world["path"]}/poster.png', follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers['location'].startswith('/login')
    for who in ('volunteer', 'neighbour'):
        await sign_in(user, world[who])
        refused = await user.http_client.get(f'{world["path"]}/poster.pdf', follow_redirects=False)
        assert refused.status_code == 403 and '没有权限' in refused.text
    missing = await user.http_client.get('/meetings/999999/poster.png', follow_redirects=False)
    assert missing.status_code == 404


async def test_the_projector_shows_title_qr_and_a_count_that_rises_live(user: User, world) -> None:
    await sign_in(user, world['volunteer'])
    await user.open(f'{world["path"]}/screen')
    await user.should_see('加装电梯议事会')
    await user.should_see('用手机扫码签到')
    qr = user.find(marker='screen-qr').elements.pop()
    assert qr.source.startswith('data:image/png;base64,')
    assert user.find(marker='screen-count').elements.pop().text == '0'
    meeting = world['meeting']
    await CheckIn.create(meeting=meeting, resident=world['neighbour_row'], method='self',
                         scanned_at=datetime.now(UTC), created_at=datetime.now(UTC))
    await events.publish('meeting.checkin.created', community_id=meeting.community_id, meeting_id=meeting.id,
                         resident_id=world['neighbour_row'].id, count=1)
    assert await _count_shown(user) == '1'


async def test_a_resident_cannot_open_the_projector_view(user: User, world) -> None:
    await sign_in(user, world['neighbour'])
    await user.open(f'{world["path"]}/screen')
    await user.should_see('没有权限')
    await user.should_not_see(marker='screen-qr')


async def test_revoking_the_meeting_qr_redraws_the_projector_with_the_new_code(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'{world["path"]}/screen')
    before = user.find(marker='screen-qr').elements.pop().source
    await checkins.revoke_meeting_qr(await principal_of(world['staff']), world['meeting'].id)
    for _ in range(40):
        after = user.find(marker='screen-qr').elements.pop().source
        if after != before:
            break
        await asyncio.sleep(0.05)
    assert after != before


async def test_a_closed_meeting_shows_no_qr_on_the_projector(user: User, world) -> None:
    world['meeting'].state = 'closed'
    await world['meeting'].save()
    await sign_in(user, world['staff'])
    await user.open(f'{world["path"]}/screen')
    await user.should_see('已结束')
    await user.should_not_see(marker='screen-qr')
