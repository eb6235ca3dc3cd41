"""Draw the app icons (assets/icons/*.png) with pillow: a red rounded square with 共 in white.

Run once when the design changes and commit the PNGs; the app itself never needs the font.
  python scripts/make_icons.py [--font /path/to/NotoSansCJK-Bold.ttc]

`icon-*` (purpose "any") fill the square with a rounded tile. `maskable-*` fill the whole square with the
background colour and keep the glyph inside the central 80 % circle (the maskable safe zone), because a
launcher may cut the icon to a circle, a squircle or a teardrop.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components import theme  # noqa: E402

OUT = ROOT / 'assets' / 'icons'
FONT = Path('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc')
GLYPH = '共'
SUPERSAMPLE = 4  # draw large, then downscale: smooth edges without relying on pillow's antialiasing


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The Simplified Chinese face of a Noto CJK collection (index 2), or the first face of any other font."""
    for index in range(10):
        try:
            font = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if 'SC' in font.getname()[0].split():
            return font
    return ImageFont.truetype(str(path), size)


def _glyph(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], font_path: Path) -> None:
    """Centre the glyph's ink (not its advance box) inside `box`."""
    left, top, right, bottom = box
    size = bottom - top
    font = _font(font_path, size)
    x0, y0, x1, y1 = draw.textbbox((0, 0), GLYPH, font=font)
    scale = min((right - left) / (x1 - x0), (bottom - top) / (y1 - y0))
    font = _font(font_path, int(size * scale))
    x0, y0, x1, y1 = draw.textbbox((0, 0), GLYPH, font=font)
    x = left + ((right - left) - (x1 - x0)) / 2 - x0
    y = top + ((bottom - top) - (y1 - y0)) / 2 - y0
    draw.text((x, y), GLYPH, font=font, fill='white')


def draw_icon(size: int, *, maskable: bool, font_path: Path) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new('RGBA', (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=theme.PRIMARY)
        # safe zone: a centred circle of radius 40 % of the size; the glyph's square fits inside it
        inner = int(big * 0.8 / 2 ** 0.5 * 0.92)
    else:
        margin = big // 32
        draw.rounded_rectangle((margin, margin, big - margin, big - margin), radius=big // 5, fill=theme.PRIMARY)
        inner = int(big * 0.62)
    offset = (big - inner) // 2
    _glyph(draw, (offset, offset, offset + inner, offset + inner), font_path)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--font', type=Path, default=FONT, help=f'a CJK bold font (default: {FONT})')
    args = parser.parse_args(argv)
    if not args.font.is_file():
        print(f'font not found: {args.font} (install fonts-noto-cjk or pass --font)', file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        for maskable, name in ((False, 'icon'), (True, 'maskable')):
            path = OUT / f'{name}-{size}.png'
            draw_icon(size, maskable=maskable, font_path=args.font).save(path, optimize=True)
            print(f'wrote {path.relative_to(ROOT)}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
