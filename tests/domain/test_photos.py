"""Photo rules without a decoder: the format from the first bytes, the pixel limit, the stored size."""
import pytest

from domain.errors import DomainError
from domain.photos import MAX_PIXELS, check_pixels, fit, sniff


@pytest.mark.parametrize(('head', 'kind'), [
    (b'\xff\xd8\xff\xe1\x00\x10Exif', 'JPEG'),
    (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'PNG'),
    (b'RIFF\x10\x00\x00\x00WEBPVP8 ', 'WEBP'),
    (b'\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'HEIC'),
    (b'\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00', 'HEIC'),
    (b'\x00\x00\x00\x1cftypavif\x00\x00\x00\x00', None),
    (b'RIFF\x10\x00\x00\x00WAVEfmt ', None),
    (b'%PDF-1.4\n%\xe2\xe3\xcf\xd3', None),
    (b'GIF89a\x01\x00\x01\x00', None),
    (b'\xff\xd8', None),
    (b'', None),
])
def test_the_format_is_read_from_the_signature_bytes(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


def test_forty_million_pixels_pass_and_one_more_row_is_refused() -> None:
    assert MAX_PIXELS == 8000 * 5000
    check_pixels(8000, 5000)
    with pytest.raises(DomainError) as refusal:
        check_pixels(8000, 5001)
    assert refusal.value.code == 'photo_too_big_pixels'


@pytest.mark.parametrize(('size', 'stored'), [
    ((4000, 3000), (1600, 1200)),
    ((3000, 4000), (1200, 1600)),
    ((4032, 3024), (1600, 1200)),
    ((1600, 900), (1600, 900)),
    ((1601, 1), (1600, 1)),
    ((20000, 3), (1600, 1)),  # a sliver keeps at least one pixel
    ((640, 480), (640, 480)),
])
def test_the_longest_side_is_brought_down_to_1600_and_never_up(size: tuple[int, int], stored: tuple[int, int]) -> None:
    assert fit(*size) == stored
