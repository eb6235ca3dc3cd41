"""Photos of issues, wishes and project progress: checked on the server, re-encoded, stored by content hash.

NiceGUI's upload limits are enforced by the browser only, so every rule is checked again here on the raw bytes.
Only the re-encoded JPEG is kept — no EXIF (so no GPS), no XMP, no ICC profile, no comment; the original
upload is never written anywhere. Browsers read a JPEG without a profile as sRGB, so colours are converted
to sRGB first.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import re
import struct
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from domain import photos as rules
from domain.errors import DomainError
from services import config

# what pillow's decoders raise on malformed input (its own fuzzing harness expects the same family)
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, ZeroDivisionError)
_SRGB = ImageCms.createProfile('sRGB')
_KEY = re.compile(r'[0-9a-f]{64}')
# a 40 MP PNG needs a few hundred MB while it is decoded: a burst of uploads must not run a small LAN box dry
_decoding = threading.BoundedSemaphore(2)

check_count = rules.check_count  # pages and services ask here; the rule itself is in domain.photos


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes without metadata, its size in pixels, and its SHA-256 (the key)."""
    jpeg: bytes
    width: int
    height: int
    sha256: str


def process(data: bytes, *, filename: str = '') -> ProcessedPhoto:
    """Check one uploaded photo and re-encode it. `filename` only travels on the error, to say which photo failed.

    Codes: photo_empty, photo_too_large, photo_not_image, photo_heic, photo_too_big_pixels, photo_corrupt.
    """
    rules.check_size(len(data), filename=filename)
    kind = rules.check_format(rules.sniff(data[:16]), filename=filename)
    with _decoding:
        image = _decoded(data, kind, filename)
        try:
            image = _upright(image)
            image = _flattened(_srgb(image))
            size = rules.fit(*image.size)
            if size != image.size:
                image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            jpeg = _encoded(image)
        finally:
            image.close()
    return ProcessedPhoto(jpeg=jpeg, width=size[0], height=size[1], sha256=hashlib.sha256(jpeg).hexdigest())


async def process_async(data: bytes, *, filename: str = '') -> ProcessedPhoto:
    """process() in a worker thread, so decoding never stalls the event loop. Same error codes."""
    return await asyncio.to_thread(process, data, filename=filename)


def save(photo: ProcessedPhoto) -> str:
    """Store the JPEG under data/photos/<2>/<sha256>.jpg, atomically and once per content; return its key."""
    if hashlib.sha256(photo.jpeg).hexdigest() != photo.sha256:
        raise ValueError('ProcessedPhoto.sha256 does not match its bytes')
    path = path_for(photo.sha256)
    if path.exists():  # same bytes, same name: the same photo attached twice is stored once
        return photo.sha256
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix='.', suffix='.part')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(photo.jpeg)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)  # a reader sees the whole photo or none: never half a file after a crash
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return photo.sha256


def path_for(key: str) -> Path:
    """Where the photo with this key lives. Code: photo_key_invalid (anything but 64 lowercase hex digits)."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):  # fullmatch: no '../', no trailing newline
        raise DomainError('photo_key_invalid', '找不到这张照片')
    return config.current().data_dir / 'photos' / key[:2] / f'{key}.jpg'


def load(key: str) -> bytes:
    """The stored JPEG. Codes: photo_key_invalid, photo_not_found."""
    try:
        return path_for(key).read_bytes()
    except FileNotFoundError:
        raise DomainError('photo_not_found', '找不到这张照片') from None


def _decoded(data: bytes, kind: str, filename: str) -> Image.Image:
    """The first frame, decoded only after its size has been checked from the header."""
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as probe:  # reads the header, not the pixels
            rules.check_pixels(*probe.size, filename=filename)
            probe.verify()  # what a format can check without decoding (PNG: chunk checksums); JPEG fails on load
        image = Image.open(io.BytesIO(data), formats=[kind])  # verify() leaves the image unusable
        if kind == 'JPEG':
            image.draft('RGB', (rules.MAX_SIDE, rules.MAX_SIDE))  # decode at 1/2–1/8 scale while still big enough
        image.load()
        return image
    except Image.DecompressionBombError:  # pillow's own, coarser guard saw it first
        raise rules.too_many_pixels(filename=filename) from None
    except _DECODE_ERRORS as e:
        raise DomainError('photo_corrupt', '照片文件已损坏或不完整，请重新选择', filename=filename) from e


def _upright(image: Image.Image) -> Image.Image:
    """Turned the way the camera was held (EXIF orientation); a broken EXIF block leaves the photo as it is."""
    with contextlib.suppress(*_DECODE_ERRORS):
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _srgb(image: Image.Image) -> Image.Image:
    """Colours moved from an embedded profile (an iPhone's Display P3, a CMYK scan) to sRGB."""
    icc = image.info.get('icc_profile')
    if not icc or image.mode not in ('RGB', 'RGBA', 'CMYK'):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode='RGBA' if image.mode == 'RGBA' else 'RGB')
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):  # a profile we cannot read: slightly off colours beat a refusal
        return image


def _flattened(image: Image.Image) -> Image.Image:
    """Plain RGB; transparent parts become white, as on the paper a resident would have printed it on."""
    if image.mode == 'RGB':
        return image
    if image.mode in ('RGBA', 'LA', 'PA', 'La', 'RGBa') or 'transparency' in image.info:
        rgba = image.convert('RGBA')
        flat = Image.new('RGB', rgba.size, 'white')
        flat.paste(rgba, mask=rgba.getchannel('A'))
        return flat
    return image.convert('RGB')


def _encoded(image: Image.Image) -> bytes:
    """JPEG without any metadata: pillow would otherwise carry some of `info` (the comment) into the file."""
    image.info.clear()
    out = io.BytesIO()
    image.save(out, 'JPEG', quality=rules.JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
