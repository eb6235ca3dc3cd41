"""The printed check-in poster: real A4 PNG and one-page PDF bytes, with the meeting's own QR in them, every
character of an ordinary title drawn from the bundled font."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from PIL import Image

from domain.errors import DomainError
from services import codes, posters
from services.posters import PosterInfo
from tests.support import make_account, make_community, make_meeting, make_resident, principal_of

START = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
URL = 'http://192.168.1.20:8080/m/' + 'x' * 80  # as long as a real signed token
TITLES = ('嘉明花园3栋加装电梯费用分摊方案议事会', '船柴社区月月议：垃圾分类投放点调整',
          '小区停车难，怎么办？（第二次协商）', '周周碰——楼道堆物清理', '桃花苑业委会换届筹备座谈会 2026年12月')
PRINTED = ('共商 · 民事民议', '用手机扫码签到', '没有手机？请找志愿者按姓名签到', '12月2日 星期三 19:00–20:30')


def _info(title: str = TITLES[0]) -> PosterInfo:
    return PosterInfo(community_name='船柴社区', title=title, place='社区党群服务中心二楼会议室', starts_at=START,
                      ends_at=START.replace(hour=12, minute=30))


def _find(poster: Image.Image, qr: Image.Image) -> tuple[int, int] | None:
    """Where `qr` sits in `poster` pixel for pixel (it is centred across; search down)."""
    left = (poster.width - qr.width) // 2
    marker_row = qr.crop((0, qr.height // 2, qr.width, qr.height // 2 + 1)).tobytes()
    for top in range(0, poster.height - qr.height + 1):
        y = top + qr.height // 2
        if poster.crop((left, y, left + qr.width, y + 1)).tobytes() == marker_row \
                and poster.crop((left, top, left + qr.width, top + qr.height)).tobytes() == qr.tobytes():
            return left, top
    return None


def _qr_in(poster: Image.Image, url: str) -> Image.Image | None:
    """The QR of `url`, at whichever module size the poster chose, if it is in the poster pixel for pixel."""
    modules = posters.qr_image(url, 1).width  # one pixel per module, quiet zone included
    for box in range(poster.width // modules, 0, -1):
        qr = posters.qr_image(url, box * modules)
        if _find(poster, qr):
            return qr
    return None


def test_the_png_poster_is_a4_at_150_dpi_and_holds_the_exact_qr_of_the_url() -> None:
    data = posters.meeting_poster(_info(), URL, fmt='png')
    image = Image.open(io.BytesIO(data))
    assert image.format == 'PNG' and image.size == (1240, 1754)
    image = image.convert('RGB')
    qr = _qr_in(image, URL)
    assert qr is not None, 'the QR of the URL is not in the poster'
    assert qr.width >= 1240 * 0.5  # large enough to scan from a few steps away
    assert _qr_in(image, URL.replace('x', 'y')) is None  # another URL's QR is not there: the search compares


def test_the_pdf_poster_is_one_a4_page() -> None:
    data = posters.meeting_poster(_info(), URL, fmt='pdf')
    assert data.startswith(b'%PDF')
    assert len(re.findall(rb'/Type\s*/Page\b', data)) == 1
    box = re.search(rb'/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]', data)
    assert box and round(float(box.group(1))) == 595 and round(float(box.group(2))) == 842  # A4 in points


def test_every_character_of_ordinary_titles_has_a_glyph_in_the_bundled_font() -> None:
    font = posters._font('Bold', 60)
    for title in (*TITLES, *PRINTED):
        for ch in title:
            if not ch.isspace():
                assert font.getmask(ch).getbbox() is not None, f'{ch!r} would print as an empty box'
    assert posters.missing_glyphs(''.join(TITLES)) == ''


def test_a_character_no_font_has_is_reported_not_printed_silently() -> None:
    assert posters.missing_glyphs('议事会\U000f0000') == '\U000f0000'  # a private-use code nobody draws


def test_a_long_title_shrinks_to_fit_three_lines_within_the_margins() -> None:
    size, lines = posters.fit_title('关于嘉明花园小区三期地下车库渗水维修资金使用及后续管理责任划分的专题议事协商会议')
    assert len(lines) <= 3 and size < 100
    assert all(posters._length(line, 'Bold', size) <= 1240 - 2 * posters.MARGIN for line in lines)
    assert ''.join(lines).startswith('关于嘉明花园')
    assert not any(line.startswith(('，', '）', '。')) for line in posters.fit_title(TITLES[2])[1])


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        posters.meeting_poster(_info(), URL, fmt='gif')


async def test_staff_get_the_poster_of_their_meeting_with_its_check_in_url_and_others_do_not(db) -> None:
    community = await make_community()
    meeting = await make_meeting(community, title='加装电梯议事会', starts_at=START)
    staff = await principal_of(await make_account(community, 'staff'))
    name, data = await posters.poster_for(staff, meeting.id, 'http://gs.local', fmt='png')
    assert name == '加装电梯议事会-签到海报.png'
    image = Image.open(io.BytesIO(data)).convert('RGB')
    assert _qr_in(image, codes.meeting_url(meeting, 'http://gs.local')) is not None
    volunteer = await principal_of(await make_account(community, 'volunteer', name='小林'))
    resident = await make_resident(community, name='钱阿姨')
    neighbour = await principal_of(await make_account(community, name='钱阿姨', resident=resident, password=None))
    for someone in (volunteer, neighbour):
        with pytest.raises(DomainError) as refused:
            await posters.poster_for(someone, meeting.id, 'http://gs.local')
        assert refused.value.code == 'forbidden'
