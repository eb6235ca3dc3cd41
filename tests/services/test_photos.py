"""Uploaded photos: only real, sane images get through; what is stored is a small JPEG that says nothing about where.

Every image here is made by pillow (or by hand, for the bomb) inside the test: no binary fixtures in the repository.
"""
from __future__ import annotations

import hashlib
import io
import os
import struct
import time
import tracemalloc
import zlib

import pytest
from PIL import Image, ImageCms

from domain.errors import DomainError
from domain.i18n import t
from domain.photos import MAX_BYTES
from services import config, photos

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _encode(image: Image.Image, fmt: str = 'JPEG', **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _photo(width: int, height: int) -> Image.Image:
    """Something like a photo: blotchy texture that JPEG cannot squeeze to nothing (4000×3000 is ~2–3 MB)."""
    texture = (max(1, width // 4), max(1, height // 4))
    return Image.merge('RGB', [Image.effect_noise(texture, sigma).resize((width, height)) for sigma in (30, 45, 60)])


def _refused(data: bytes, **options: object) -> DomainError:
    with pytest.raises(DomainError) as refusal:
        photos.process(data, **options)
    return refusal.value


def _opened(photo: photos.ProcessedPhoto) -> Image.Image:
    image = Image.open(io.BytesIO(photo.jpeg))
    assert image.format == 'JPEG' and image.mode == 'RGB'
    assert image.size == (photo.width, photo.height)
    return image


def _zeros_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG, all black, built by hand.

    Rows are fed to zlib one at a time, so a 20000×20000 image (50 MB of rows, 400 MB once pillow decodes it to
    one byte a pixel) costs ~0.2 s to make and comes out at ~50 KB — a decompression bomb, made without ever
    holding its pixels. The small version is checked to decode normally, so a refusal of the big one is about size.
    """
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))

    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then the bits
    packer = zlib.compressobj(9)
    idat = b''.join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack('>IIBBBBB', width, height, 1, 0, 0, 0, 0)  # bit depth 1, greyscale, no interlace
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', idat) + chunk(b'IEND', b'')


@pytest.fixture(scope='module')
def bomb() -> bytes:
    return _zeros_png(20_000, 20_000)


# ---- what is stored ----

@pytest.mark.parametrize('with_profile', [True, False], ids=['colour-profile', 'no-profile'])
def test_gps_exif_xmp_comment_and_icc_profile_are_all_stripped_from_the_stored_jpeg(with_profile: bool) -> None:
    exif = Image.Exif()
    exif[0x010F] = 'HUAWEI'
    exif[ORIENTATION] = 1
    exif.get_ifd(GPS_IFD).update({1: 'N', 2: (31.0, 14.0, 5.5), 3: 'E', 4: (121.0, 28.0, 0.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>31,14.09N</exif:GPSLatitude></x:xmpmeta>'
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes() if with_profile else None
    upload = _encode(_photo(800, 600), exif=exif, xmp=xmp, comment=b'Room 302', icc_profile=srgb)
    original = Image.open(io.BytesIO(upload))
    assert dict(original.getexif().get_ifd(GPS_IFD))[2] == (31.0, 14.0, 5.5)  # the upload really carries all of it
    assert {'exif', 'xmp', 'comment'} <= original.info.keys()
    assert ('icc_profile' in original.info) == with_profile

    photo = photos.process(upload, filename='IMG_0001.jpg')

    stored = _opened(photo)
    assert not stored.getexif() and not stored.getexif().get_ifd(GPS_IFD)
    assert not {'exif', 'xmp', 'comment', 'icc_profile'} & stored.info.keys()
    for trace in (b'Exif\x00\x00', b'GPS', b'xmpmeta', b'Room 302', b'ICC_PROFILE', b'HUAWEI'):
        assert trace not in photo.jpeg


def test_a_4000_by_3000_photo_is_stored_at_1600_by_1200() -> None:
    upload = _encode(_photo(4000, 3000), quality=90)
    assert 1_000_000 < len(upload) < MAX_BYTES
    photo = photos.process(upload)
    assert (photo.width, photo.height) == (1600, 1200)
    _opened(photo)


def test_a_small_photo_is_never_enlarged() -> None:
    photo = photos.process(_encode(_photo(640, 480)))
    assert (photo.width, photo.height) == (640, 480)


def test_a_photo_taken_with_the_phone_upright_is_stored_upright() -> None:
    """Phones store the sensor's landscape pixels and say "turn 90° clockwise" in EXIF orientation 6."""
    sensor = Image.new('RGB', (1200, 900), 'white')
    sensor.paste((255, 0, 0), (0, 0, 200, 200))  # the sensor's top-left corner …
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    stored = _opened(photos.process(_encode(sensor, exif=exif, quality=95)))
    assert stored.size == (900, 1200)
    red, green, blue = stored.getpixel((stored.width - 50, 50))  # … is the top-right corner once turned clockwise
    assert red > 200 and green < 60 and blue < 60
    assert stored.getpixel((50, 50)) > (200, 200, 200)


def test_transparent_parts_of_a_png_become_white_in_the_jpeg() -> None:
    image = Image.new('RGBA', (400, 300), (0, 0, 0, 0))  # fully transparent black …
    image.paste((0, 0, 255, 255), (200, 0, 400, 300))  # … beside opaque blue
    stored = _opened(photos.process(_encode(image, 'PNG'), filename='截图.png'))
    assert min(stored.getpixel((50, 150))) >= 250
    red, green, blue = stored.getpixel((350, 150))
    assert blue > 230 and red < 30 and green < 30


def test_webp_and_palette_png_are_accepted_and_stored_as_jpeg() -> None:
    for upload in (_encode(_photo(300, 200), 'WEBP'), _encode(_photo(300, 200).convert('P'), 'PNG')):
        assert _opened(photos.process(upload)).size == (300, 200)


def test_the_format_comes_from_the_bytes_not_from_the_file_name() -> None:
    png_named_jpg = photos.process(_encode(_photo(120, 90), 'PNG'), filename='photo.jpg')
    jpeg_named_pdf = photos.process(_encode(_photo(120, 90)), filename='scan.pdf')
    assert _opened(png_named_jpg).size == _opened(jpeg_named_pdf).size == (120, 90)


def _srgb_with_red_and_green_swapped() -> bytes:
    """A colour profile that says "the first channel is sRGB's green": the sRGB profile with two tag offsets swapped."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes())
    entries = {bytes(icc[at:at + 4]): at for at in range(132, 132 + 12 * struct.unpack('>I', icc[128:132])[0], 12)}
    red, green = entries[b'rXYZ'] + 4, entries[b'gXYZ'] + 4
    icc[red:red + 8], icc[green:green + 8] = icc[green:green + 8], icc[red:red + 8]
    return bytes(icc)


def test_colours_are_converted_from_the_photos_own_profile_to_srgb_before_the_profile_is_dropped() -> None:
    upload = _encode(Image.new('RGB', (64, 64), (255, 0, 0)), icc_profile=_srgb_with_red_and_green_swapped())
    stored = _opened(photos.process(upload))
    red, green, blue = stored.getpixel((32, 32))
    assert green > 230 and red < 30 and blue < 30 and 'icc_profile' not in stored.info


def test_an_unreadable_colour_profile_does_not_cost_the_photo() -> None:
    stored = _opened(photos.process(_encode(_photo(200, 100), icc_profile=b'not a colour profile')))
    assert stored.size == (200, 100) and 'icc_profile' not in stored.info


def test_the_same_photo_gives_the_same_key_and_the_key_is_the_sha256_of_the_jpeg() -> None:
    upload = _encode(_photo(300, 300))
    first, second = photos.process(upload), photos.process(upload)
    assert first.sha256 == second.sha256 == hashlib.sha256(first.jpeg).hexdigest()
    assert len(first.jpeg) < len(upload)


async def test_the_async_wrapper_gives_the_same_photo_and_the_same_refusals() -> None:
    upload = _encode(_photo(300, 200))
    assert await photos.process_async(upload) == photos.process(upload)
    with pytest.raises(DomainError) as refusal:
        await photos.process_async(b'%PDF-1.4\n', filename='a.jpg')
    assert refusal.value.code == 'photo_not_image'


# ---- what is refused ----

@pytest.mark.parametrize(('upload', 'code'), [
    pytest.param(b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'photo_not_image', id='pdf'),
    pytest.param('小区门口的路灯坏了三天了'.encode(), 'photo_not_image', id='text'),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"/>', 'photo_not_image', id='svg'),
    pytest.param(_encode(Image.new('RGB', (10, 10)), 'GIF'), 'photo_not_image', id='gif'),
    pytest.param(b'', 'photo_empty', id='empty'),
    pytest.param(b'\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic' + bytes(64), 'photo_heic', id='heic'),
])
def test_anything_but_a_jpeg_png_or_webp_photo_is_refused_whatever_its_name(upload: bytes, code: str) -> None:
    refusal = _refused(upload, filename='IMG_0001.jpg')
    assert refusal.code == code
    assert refusal.params['filename'] == 'IMG_0001.jpg'  # so the page can say which of the three failed


def test_a_pdf_renamed_jpg_is_told_to_choose_a_jpg_or_png() -> None:
    refusal = _refused(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', filename='照片.jpg')
    assert refusal.message == '这不是照片文件，请选择 JPG 或 PNG 照片'


def test_a_heic_photo_is_told_how_to_switch_the_camera_to_jpg() -> None:
    refusal = _refused(b'\x00\x00\x00\x18ftypheic' + bytes(64))
    assert '兼容性最佳' in refusal.message
    assert 'Most Compatible' in t(refusal.template, lang='en', **refusal.params)


def test_a_file_over_8_mb_is_refused_before_anything_decodes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    upload = b'\xff\xd8\xff\xe0' + os.urandom(9 * 1024 * 1024)

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError('the image was opened')

    monkeypatch.setattr(Image, 'open', no_decoding)
    refusal = _refused(upload)
    assert refusal.code == 'photo_too_large' and refusal.message == '照片太大了，每张不能超过 8 MB'


def test_a_file_of_exactly_8_mb_is_not_refused_for_its_size() -> None:
    refusal = _refused(b'\xff\xd8\xff\xe0' + bytes(8 * 1024 * 1024 - 4))
    assert refusal.code == 'photo_corrupt'  # got past the size check to the decoder, which found no picture


@pytest.mark.parametrize('pillow_guard', ['on', 'off'])
def test_a_20000_by_20000_png_bomb_is_refused_from_its_header_fast_and_small(
        bomb: bytes, pillow_guard: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pillow's own guard (a warning, then an error past ~179 MP) is global and may be switched off for other
    work; ours must hold alone. tracemalloc cannot see pillow's pixel buffers (they come from C malloc), so
    pillow's own allocation counter is what shows that no picture was ever allocated."""
    if pillow_guard == 'off':
        monkeypatch.setattr(Image, 'MAX_IMAGE_PIXELS', None)
    assert len(bomb) < 300_000
    images_before = Image.core.get_stats()['new_count']
    tracemalloc.start()
    started = time.perf_counter()
    try:
        refusal = _refused(bomb, filename='bomb.png')
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refusal.code == 'photo_too_big_pixels'
    assert refusal.message == '照片像素太多（超过 40 百万像素），请换一张普通照片'
    assert elapsed < 0.5, f'{elapsed:.2f} s: the pixels were decoded'
    assert peak < 50 * 1024 * 1024
    assert Image.core.get_stats()['new_count'] == images_before


def test_a_48_megapixel_png_is_refused_by_our_limit_although_pillow_would_open_it() -> None:
    started = time.perf_counter()
    refusal = _refused(_zeros_png(8000, 6000))
    assert refusal.code == 'photo_too_big_pixels'
    assert time.perf_counter() - started < 0.5


def test_the_hand_built_png_is_a_real_image_that_decodes_when_small() -> None:
    stored = _opened(photos.process(_zeros_png(300, 200)))
    assert stored.size == (300, 200) and max(stored.getpixel((150, 100))) < 10


@pytest.mark.parametrize('fmt', ['JPEG', 'PNG'])
def test_a_truncated_photo_is_refused_as_corrupt(fmt: str) -> None:
    whole = _encode(_photo(800, 600), fmt)
    assert _refused(whole[: len(whole) // 2]).code == 'photo_corrupt'


def test_a_png_with_a_wrong_checksum_is_refused_although_its_pixels_would_decode() -> None:
    data = bytearray(_encode(_photo(100, 100), 'PNG'))
    at = data.index(b'IDAT')
    length = struct.unpack('>I', data[at - 4:at])[0]
    data[at + 4 + length] ^= 0xFF  # the CRC after the IDAT body: only verify() notices
    assert _refused(bytes(data)).code == 'photo_corrupt'


def test_garbage_behind_a_jpeg_signature_is_refused_as_corrupt() -> None:
    assert _refused(b'\xff\xd8\xff\xe0' + os.urandom(5000)).code == 'photo_corrupt'


# ---- storing ----

def test_a_saved_photo_is_stored_under_its_hash_and_loads_back_byte_for_byte() -> None:
    settings = config.use(config.load())
    photo = photos.process(_encode(_photo(500, 400)))
    key = photos.save(photo)
    assert key == photo.sha256
    path = settings.data_dir / 'photos' / key[:2] / f'{key}.jpg'
    assert photos.path_for(key) == path and path.read_bytes() == photo.jpeg
    assert photos.load(key) == photo.jpeg
    inode = path.stat().st_ino
    assert photos.save(photo) == key  # the same photo twice: the file stays as it was, no temporary left behind
    assert path.stat().st_ino == inode
    assert [p.name for p in path.parent.iterdir()] == [f'{key}.jpg']


def test_a_photo_whose_hash_does_not_match_its_bytes_is_not_saved() -> None:
    config.use(config.load())
    photo = photos.process(_encode(_photo(50, 50)))
    with pytest.raises(ValueError):
        photos.save(photos.ProcessedPhoto(b'other bytes', photo.width, photo.height, photo.sha256))
    assert not (config.current().data_dir / 'photos').exists()


@pytest.mark.parametrize('key', [
    '../../etc/passwd', '../' + 'a' * 61, 'a' * 63, 'a' * 65, 'A' * 64, 'a' * 64 + '\n', '/' + 'a' * 63, '', None])
def test_a_key_that_is_not_64_lowercase_hex_digits_is_refused_before_touching_the_disk(key: object) -> None:
    config.use(config.load())
    for use in (photos.path_for, photos.load):
        with pytest.raises(DomainError) as refusal:
            use(key)
        assert refusal.value.code == 'photo_key_invalid'


def test_loading_a_photo_that_was_never_saved_says_not_found() -> None:
    config.use(config.load())
    with pytest.raises(DomainError) as refusal:
        photos.load('0' * 64)
    assert refusal.value.code == 'photo_not_found' and refusal.value.message == '找不到这张照片'


# ---- how many ----

@pytest.mark.parametrize(('existing', 'adding'), [(0, 4), (3, 1), (2, 2), (0, 20)])
def test_more_than_three_photos_on_one_item_are_refused(existing: int, adding: int) -> None:
    with pytest.raises(DomainError) as refusal:
        photos.check_count(existing, adding)
    assert refusal.value.code == 'too_many_photos' and refusal.value.message == '最多 3 张照片'


@pytest.mark.parametrize(('existing', 'adding'), [(0, 3), (2, 1), (0, 1), (3, 0)])
def test_up_to_three_photos_are_allowed(existing: int, adding: int) -> None:
    photos.check_count(existing, adding)
