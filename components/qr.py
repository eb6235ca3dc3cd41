"""QR codes drawn on the server (qrcode + pillow) as PNG: no JavaScript library, no network, prints sharply."""
from __future__ import annotations

import base64
import io

import qrcode
from nicegui import ui
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage

from domain.i18n import t


def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG; `border` is the quiet zone in modules (4 is what scanners expect)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border,
                         image_factory=PilImage)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color='black', back_color='white').save(buffer, format='PNG')
    return buffer.getvalue()


def qr_data_url(data: str, *, box_size: int = 10, border: int = 4) -> str:
    """The PNG as a data: URL for an <img> (nothing to fetch, works offline and in print)."""
    return 'data:image/png;base64,' + base64.b64encode(qr_png(data, box_size=box_size, border=border)).decode()


def qr_image(data: str, *, size: str = 'w-72', box_size: int = 10) -> ui.image:
    """A square QR as a plain <img> (no lazy loading, so it is there when printing); `size` is a width class."""
    return ui.image(qr_data_url(data, box_size=box_size)).classes(f'gs-qr {size} aspect-square') \
        .props(f'tag=img alt="{t("二维码")}"').style('image-rendering: pixelated')
