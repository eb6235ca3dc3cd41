"""The meeting's check-in poster: A4 at 150 dpi with the title, time, place and a large QR, as PNG or one-page PDF.

Drawn with pillow and the bundled Noto Sans SC subset (assets/fonts), so it looks the same on every machine and
needs no network. A character the subset lacks is drawn with the system's full Noto Sans CJK when installed;
`missing_glyphs` names any that neither has, so a page can warn instead of printing empty boxes silently.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from domain.i18n import t
from domain.permissions import Principal
from models import Community
from services import attendance, codes

log = logging.getLogger(__name__)

DPI = 150
WIDTH, HEIGHT = 1240, 1754  # A4 portrait at 150 dpi
MARGIN = 80
QR_SHARE = 0.6  # of the page width
QR_BORDER = 4  # quiet zone in modules, what scanners expect
TITLE_LINES = 3
TITLE_SIZES = range(100, 43, -4)  # tried largest first until the title fits
TITLE_HEIGHT = 270  # the title block's share of the page: lines × size stay under it, so the QR stays large
OPENING = set('（《「『“‘【〔([{')
CLOSING = set('，。、；：！？）》」』”’】〕…,.;:!?)]}')  # never at the start of a line
INK, RED, GREY = (20, 20, 20), (198, 40, 40), (90, 90, 90)
FONTS = Path(__file__).resolve().parent.parent / 'assets' / 'fonts'
BUNDLED = {'Bold': FONTS / 'NotoSansSC-gongshang-subset-Bold.otf',
           'Regular': FONTS / 'NotoSansSC-gongshang-subset-Regular.otf'}
SYSTEM = {'Bold': Path('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'),
          'Regular': Path('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')}
SYSTEM_SC_INDEX = 2  # 'Noto Sans CJK SC' in Debian's collection (JP, KR, SC, TC, HK, …)
FORMATS = ('png', 'pdf')  # the files a poster comes as; their media types are in components/downloads.py


class PosterMeeting(Protocol):
    """What the poster shows (PosterInfo, or anything else with these attributes)."""
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    community_name: str


@dataclass(frozen=True)
class PosterInfo:
    community_name: str
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime


def meeting_poster(meeting: PosterMeeting, url: str, *, fmt: str = 'png') -> bytes:
    """The poster as PNG or PDF bytes (A4 portrait, 150 dpi, one page)."""
    return encoded(render(meeting, url), fmt, title=meeting.title)


def encoded(image: Image.Image, fmt: str, *, title: str) -> bytes:
    """An A4 poster image as PNG or one-page PDF bytes at the posters' resolution."""
    if fmt not in FORMATS:
        raise ValueError(f'unknown poster format {fmt}')
    buffer = io.BytesIO()
    if fmt == 'pdf':
        image.save(buffer, format='PDF', resolution=DPI, title=title, author='共商')
    else:
        image.save(buffer, format='PNG', dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


async def poster_for(actor: Principal, meeting_id: int, base: str, *, fmt: str = 'png') -> tuple[str, bytes]:
    """(Chinese file name, bytes) of a meeting's poster pointing at `base`/m/{token}. Errors: not_found, forbidden."""
    meeting = await attendance.meeting_for(actor, meeting_id, 'meeting.manage')
    community = await Community.get(id=meeting.community_id)
    info = PosterInfo(community_name=community.name, title=meeting.title, place=meeting.place,
                      starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    missing = missing_glyphs(' '.join((info.community_name, info.title, info.place)))
    if missing:
        log.warning('meeting %s poster: no glyph for %r', meeting.id, missing)
    filename = f'{meeting.title}-签到海报.{fmt}'
    return filename, meeting_poster(info, codes.meeting_url(meeting, base), fmt=fmt)


def render(meeting: PosterMeeting, url: str) -> Image.Image:
    """The poster as a pillow image (RGB, WIDTH × HEIGHT)."""
    image = Image.new('RGB', (WIDTH, HEIGHT), 'white')
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 24), fill=RED)
    y = 70
    y = centred(draw, meeting.community_name, 'Regular', 46, y, GREY) + 28
    size, lines = fit_title(meeting.title)
    for line in lines:
        y = centred(draw, line, 'Bold', size, y, INK, line_gap=int(size * 0.22))
    y += 24
    when = attendance.when_text(meeting.starts_at, meeting.ends_at, lang='zh')
    y = centred(draw, when, 'Bold', 52, y, RED) + 10
    y = centred(draw, t('地点：{place}', place=meeting.place, lang='zh'), 'Regular', 44, y, INK) + 30
    bottom = HEIGHT - MARGIN - 40 - 30  # above the footer
    instructions = 70 + 56 + 30  # two lines below the QR
    qr = qr_image(url, min(int(WIDTH * QR_SHARE), bottom - instructions - y))
    image.paste(qr, ((WIDTH - qr.width) // 2, y))
    y += qr.height + 10
    y = centred(draw, t('用手机扫码签到', lang='zh'), 'Bold', 64, y, INK) + 6
    centred(draw, t('没有手机？请找志愿者按姓名签到', lang='zh'), 'Regular', 42, y, INK)
    draw.line((MARGIN, HEIGHT - MARGIN - 20, WIDTH - MARGIN, HEIGHT - MARGIN - 20), fill=RED, width=3)
    centred(draw, t('共商 · 民事民议', lang='zh'), 'Regular', 34, HEIGHT - MARGIN, GREY)
    return image


def qr_image(url: str, width: int) -> Image.Image:
    """The QR (error correction M, quiet zone 4) with the largest whole module size not wider than `width`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(url)
    code.make(fit=True)
    code.box_size = max(1, width // (code.modules_count + 2 * QR_BORDER))
    return code.make_image(fill_color='black', back_color='white').get_image().convert('RGB')


def missing_glyphs(text: str) -> str:
    """The characters of `text` that neither the bundled font nor the system's Noto Sans CJK can draw."""
    found = []
    for ch in dict.fromkeys(text):
        if not ch.isspace() and _font_for(ch, 'Bold', 40) is None and ch not in found:
            found.append(ch)
    return ''.join(found)


# ---- text ----

def fit_title(title: str) -> tuple[int, list[str]]:
    """The largest size at which the title wraps into at most three lines; at the smallest, the rest is cut."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        lines = wrap(title, 'Bold', size, width)
        if len(lines) <= TITLE_LINES and len(lines) * size <= TITLE_HEIGHT:
            return size, lines
    lines = wrap(title, 'Bold', TITLE_SIZES[-1], width)
    return TITLE_SIZES[-1], [*lines[:TITLE_LINES - 1], lines[TITLE_LINES - 1][:-1] + '…']


def wrap(text: str, weight: str, size: int, width: int) -> list[str]:
    """Greedy by pixel width, one character at a time (Chinese breaks anywhere; titles are short), keeping an
    opening bracket off a line's end and a closing mark off a line's start."""
    lines, line = [], ''
    for ch in ' '.join(text.split()):
        if line and _length(line + ch, weight, size) > width:
            carry = ''
            while len(line) > 1 and (line[-1] in OPENING or (ch in CLOSING and not carry)):
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = (carry + ch).lstrip()
        else:
            line += ch
    if line:
        lines.append(line)
    return lines or ['']


def centred(draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, y: int, colour, *,
             line_gap: int = 0) -> int:
    """Draw one line centred at height `y`; returns the y below it."""
    x = (WIDTH - _length(text, weight, size)) / 2
    for run, font in _runs(text, weight, size):
        draw.text((x, y), run, font=font, fill=colour)
        x += font.getlength(run)
    ascent, descent = _font(weight, size).getmetrics()
    return y + ascent + descent + line_gap


def _length(text: str, weight: str, size: int) -> float:
    return sum(font.getlength(run) for run, font in _runs(text, weight, size))


def _runs(text: str, weight: str, size: int) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """Split `text` into runs drawn with one font each (the bundled one unless a character needs the system's)."""
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for ch in text:
        font = _font_for(ch, weight, size) or _font(weight, size)  # nothing has it: the box shows, and is reported
        if runs and runs[-1][1] is font:
            runs[-1] = (runs[-1][0] + ch, font)
        else:
            runs.append((ch, font))
    return runs


def _font_for(ch: str, weight: str, size: int) -> ImageFont.FreeTypeFont | None:
    for font in (_font(weight, size), _system_font(weight, size)):
        if font is not None and (ch.isspace() or _has_glyph(font, ch)):
            return font
    return None


def _has_glyph(font: ImageFont.FreeTypeFont, ch: str) -> bool:
    return _glyph_signature(font, ch) != _glyph_signature(font, '\ue000')  # a private-use code: .notdef


@lru_cache(maxsize=16384)
def _glyph_signature(font: ImageFont.FreeTypeFont, ch: str) -> tuple:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


@lru_cache(maxsize=64)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BUNDLED[weight]), size)


@lru_cache(maxsize=64)
def _system_font(weight: str, size: int) -> ImageFont.FreeTypeFont | None:
    path = SYSTEM[weight]
    if not path.exists():
        return None
    try:
        return ImageFont.truetype(str(path), size, index=SYSTEM_SC_INDEX)
    except OSError:
        return None
