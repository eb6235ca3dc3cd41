"""Every file download: a visitor is sent to sign in and comes back to the screen the file belongs to; a file
carries its Chinese name with an ASCII fallback, opens in place or downloads, and is never cached."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from nicegui.testing import User

from components.downloads import MEDIA_TYPES, file_response
from tests.support import make_account, make_community, make_meeting, sign_in

COMES_BACK_TO = {
    '/ledger.xlsx': '/ledger',
    '/dashboard/assessment.xlsx': '/dashboard',
    '/triage/dispatch.xlsx': '/triage',
    '/pledges.xlsx': '/projects',
    '/projects/7/pledges.xlsx': '/projects/7/pledges',
    '/projects/7/poster.png': '/projects/7/poster',
    '/projects/7/poster.pdf': '/projects/7/poster',
    '/meetings/7/poster.png': '/meetings/7',
    '/meetings/7/poster.pdf': '/meetings/7',
    '/meetings/7/attendance.xlsx': '/meetings/7/attendance',
    '/admin/roster/template.xlsx': '/admin/roster',
    '/admin/roster/template.csv': '/admin/roster',
}


async def test_a_visitor_asking_for_any_file_is_sent_to_sign_in_and_back_to_its_screen(user: User) -> None:
    for url, back in COMES_BACK_TO.items():
        response = await user.http_client.get(url, follow_redirects=False)
        assert (response.status_code, response.headers['location']) == (303, f'/login?next={back}'), url


async def test_staff_get_files_named_in_chinese_with_an_ascii_fallback_and_never_cached(user: User) -> None:
    community = await make_community()
    meeting = await make_meeting(community, title='加装电梯议事会', starts_at=datetime.now(UTC) + timedelta(minutes=10))
    await sign_in(user, await make_account(community, 'staff', name='李敏'))
    template = await user.http_client.get('/admin/roster/template.csv')
    assert template.headers['content-type'] == 'text/csv; charset=utf-8'
    assert template.headers['content-disposition'] == \
        f"attachment; filename=\"roster-template.csv\"; filename*=UTF-8''{quote('居民花名册模板.csv')}"
    assert template.headers['cache-control'] == 'no-store'
    poster = await user.http_client.get(f'/meetings/{meeting.id}/poster.pdf')
    assert poster.headers['content-type'] == 'application/pdf'
    assert poster.headers['content-disposition'] == \
        f"inline; filename=\"meeting-{meeting.id}-poster.pdf\"; filename*=UTF-8''{quote('加装电梯议事会-签到海报.pdf')}"
    assert poster.headers['cache-control'] == 'no-store'


def test_the_media_type_follows_the_fallback_name_and_odd_characters_are_escaped() -> None:
    response = file_response(b'x', name='台账 #1/2.xlsx', fallback='ledger.xlsx')
    assert response.media_type == MEDIA_TYPES['xlsx']
    assert response.headers['content-disposition'] == \
        "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6%20%231/2.xlsx"
    assert file_response(b'x', name='海报.png', fallback='p.png', inline=True) \
        .headers['content-disposition'].startswith('inline; filename="p.png"')
