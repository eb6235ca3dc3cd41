"""The site poster of a project (公开栏 · 扫码查看进度、评价): A4 at 150 dpi, PNG or one-page PDF.

Hung where the work is done: a passer-by scans it and lands on the project's public board; once the work is
reported done, the same QR leads straight to the three rating buttons. Drawn with the meeting poster's fonts and
text helpers (services.posters), so a missing glyph is handled and reported the same way.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from PIL import Image, ImageDraw

from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from models import Community
from services import posters
from services.posters import GREY, HEIGHT, INK, MARGIN, RED, WIDTH, qr_image
from services.project_moves import get_project

log = logging.getLogger(__name__)

HEADING = '公开栏 · 扫码查看进度、评价'


@dataclass(frozen=True)
class SiteInfo:
    community_name: str
    title: str
    site: str
    lead_org: str


def board_url(project_id: int, qr_version: int, base: str) -> str:
    """The absolute address a site poster's QR holds: the project's public board (v: which poster was scanned)."""
    return f'{base}/board/project/{int(project_id)}?v={int(qr_version)}'


def site_poster(info: SiteInfo, url: str, *, fmt: str = 'png') -> bytes:
    """The poster as PNG or PDF bytes (A4 portrait, 150 dpi, one page)."""
    return posters.encoded(render(info, url), fmt, title=info.title)


async def poster_for(actor: Principal, project_id: int, base: str, *, fmt: str = 'png') -> tuple[str, bytes]:
    """(Chinese file name, bytes) of a project's site poster pointing at its public board under `base`.

    Errors: not_found, forbidden.
    """
    project = await get_project(project_id)
    if not can(actor, 'project.manage', project):
        raise DomainError('forbidden', '没有权限')
    info = await site_info(project_id)
    missing = posters.missing_glyphs(' '.join((info.community_name, info.title, info.site, info.lead_org)))
    if missing:
        log.warning('project %s site poster: no glyph for %r', project.id, missing)
    return f'{project.title}-公开栏海报.{fmt}', site_poster(info, board_url(project.id, project.qr_version, base),
                                                          fmt=fmt)


async def site_info(project_id: int) -> SiteInfo:
    """What the poster prints about the project. Errors: not_found."""
    project = await get_project(project_id)
    community = await Community.get(id=project.community_id)
    return SiteInfo(community_name=community.name, title=project.title, site=project.site, lead_org=project.lead_org)


def render(info: SiteInfo, url: str) -> Image.Image:
    """The poster as a pillow image (RGB, WIDTH × HEIGHT)."""
    image = Image.new('RGB', (WIDTH, HEIGHT), 'white')
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 24), fill=RED)
    centred = posters.centred  # the meeting poster's text drawing: bundled font, system fallback per glyph
    y = 60
    y = centred(draw, info.community_name, 'Regular', 44, y, GREY) + 16
    y = centred(draw, t(HEADING, lang='zh'), 'Bold', 56, y, RED) + 24
    size, lines = posters.fit_title(info.title)
    for line in lines:
        y = centred(draw, line, 'Bold', size, y, INK, line_gap=int(size * 0.22))
    y += 16
    for text in (t('地点：{place}', place=info.site, lang='zh') if info.site else '',
                 t('牵头单位：{org}', org=info.lead_org, lang='zh') if info.lead_org else ''):
        if text:
            y = centred(draw, _fit(text, 40), 'Regular', 40, y, INK) + 8
    y += 16
    bottom = HEIGHT - MARGIN - 40 - 30  # above the footer
    instructions = 64 + 48 + 30  # two lines below the QR
    qr = qr_image(url, min(int(WIDTH * posters.QR_SHARE), bottom - instructions - y))
    image.paste(qr, ((WIDTH - qr.width) // 2, y))
    y += qr.height + 10
    y = centred(draw, t('扫码看进度、经费和投工投劳', lang='zh'), 'Bold', 56, y, INK) + 6
    centred(draw, t('完工后请扫码评价：满意 / 基本满意 / 不满意', lang='zh'), 'Regular', 38, y, INK)
    draw.line((MARGIN, HEIGHT - MARGIN - 20, WIDTH - MARGIN, HEIGHT - MARGIN - 20), fill=RED, width=3)
    centred(draw, t('共商 · 民事民办 · 民事民评', lang='zh'), 'Regular', 34, HEIGHT - MARGIN, GREY)
    return image


def _fit(text: str, size: int) -> str:
    """One line at `size`: a longer text is cut with an ellipsis (sites and organisations are short)."""
    lines = posters.wrap(text, 'Regular', size, WIDTH - 2 * MARGIN)
    return lines[0] if len(lines) == 1 else lines[0][:-1] + '…'
