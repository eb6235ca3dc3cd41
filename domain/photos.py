"""Photo rules: how big, how many, which formats, and the size a stored photo is scaled to.

The decoding itself lives in services.photos (pillow); here are only the numbers and the checks that need
no decoder, so they are the same for the phone page, the API and the import script.
"""
from __future__ import annotations

from domain.errors import DomainError

MAX_BYTES = 8 * 1024 * 1024  # per photo, checked before any decoding
MAX_PHOTOS = 3  # per issue, wish or progress report
MAX_PIXELS = 40_000_000  # a 48 MP phone camera is shrunk by the phone; more than this is a decompression bomb
MAX_SIDE = 1600  # longest side of the stored JPEG: sharp on a phone and a projector, ~300 KB
JPEG_QUALITY = 82
ACCEPTED = ('JPEG', 'PNG', 'WEBP')  # pillow format names; each one more is one more decoder facing the internet

_HEIF_BRANDS = {b'heic', b'heix', b'heim', b'heis', b'hevc', b'hevm', b'hevs', b'hevx', b'mif1', b'msf1'}


def sniff(head: bytes) -> str | None:
    """The real format from the first bytes ('JPEG', 'PNG', 'WEBP', 'HEIC'), or None; the file name is never trusted."""
    if head.startswith(b'\xff\xd8\xff'):
        return 'JPEG'
    if head.startswith(b'\x89PNG\r\n\x1a\n'):
        return 'PNG'
    if head[:4] == b'RIFF' and head[8:12] == b'WEBP':
        return 'WEBP'
    if head[4:8] == b'ftyp' and head[8:12] in _HEIF_BRANDS:  # AVIF says 'avif' here: refused as not a photo
        return 'HEIC'
    return None


def check_size(size: int, *, filename: str = '') -> None:
    """Refuse an empty file or one over MAX_BYTES. Codes: photo_empty, photo_too_large."""
    if size <= 0:
        raise DomainError('photo_empty', '照片文件是空的，请重新选择', filename=filename)
    if size > MAX_BYTES:
        raise too_large(filename=filename)


def too_large(*, filename: str = '') -> DomainError:
    """The refusal for a photo over MAX_BYTES (also when the browser's own limit turned it away)."""
    return DomainError('photo_too_large', '照片太大了，每张不能超过 {mb} MB', mb=MAX_BYTES // 2**20, filename=filename)


def check_format(kind: str | None, *, filename: str = '') -> str:
    """The accepted format, or a refusal that tells the person what to do. Codes: photo_heic, photo_not_image."""
    if kind == 'HEIC':
        raise DomainError('photo_heic',
                          '这是 HEIC 格式的照片，暂时用不了。请在相机设置里把格式改成“兼容性最佳”后重拍，或换一张照片',
                          filename=filename)
    if kind not in ACCEPTED:
        raise DomainError('photo_not_image', '这不是照片文件，请选择 JPG 或 PNG 照片', filename=filename)
    return kind


def check_pixels(width: int, height: int, *, filename: str = '') -> None:
    """Refuse a picture whose pixels would not fit in memory, before they are decoded. Code: photo_too_big_pixels."""
    if width * height > MAX_PIXELS:
        raise too_many_pixels(filename=filename)


def too_many_pixels(*, filename: str = '') -> DomainError:
    """The refusal for a decompression bomb (also when pillow's own guard saw it first)."""
    return DomainError('photo_too_big_pixels', '照片像素太多（超过 {megapixels} 百万像素），请换一张普通照片',
                       megapixels=MAX_PIXELS // 1_000_000, filename=filename)


def check_count(existing: int, adding: int) -> None:
    """Refuse a fourth photo on one item. Code: too_many_photos."""
    if existing + adding > MAX_PHOTOS:
        raise DomainError('too_many_photos', '最多 {n} 张照片', n=MAX_PHOTOS)


def fit(width: int, height: int, *, longest: int = MAX_SIDE) -> tuple[int, int]:
    """The size that fits `longest` on the longer side, keeping the shape; never larger than the original."""
    side = max(width, height)
    if side <= longest:
        return width, height
    # integer rounding: 4000×3000 → exactly 1600×1200, no float drift to 1599
    return max(1, (width * longest + side // 2) // side), max(1, (height * longest + side // 2) // side)
