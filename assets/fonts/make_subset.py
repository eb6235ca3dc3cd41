"""Make the bundled poster font: Noto Sans CJK SC cut down to ASCII, punctuation and GB2312 (dev time only).

Needs fontTools (`pip install fonttools`, not a dependency of the app) and Debian's fonts-noto-cjk:
    python assets/fonts/make_subset.py
"""
from __future__ import annotations

import contextlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = '/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc'
HERE = Path(__file__).parent


def characters() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)}  # ASCII
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    chars |= {chr(c) for c in range(0x2010, 0x2028)}  # dashes, quotes, ellipsis
    chars |= set('·×÷°±≤≥→←↑↓●○■□▲△★☆✓✔✗✘※€¥')
    for high in range(0xA1, 0xF8):  # every two-byte GB2312 code: symbols (rows 1–9) and the 6,763 hanzi
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned codes
                chars.add(bytes((high, low)).decode('gb2312'))
    return ''.join(sorted(chars))


def make(weight: str) -> Path:
    collection = TTCollection(SOURCE.format(weight=weight))
    font = next(f for f in collection.fonts if f['name'].getDebugName(1) == 'Noto Sans CJK SC')
    options = subset.Options()
    options.layout_features = ['kern', 'palt', 'vert', 'locl']  # no variant forms: the poster needs none
    options.name_IDs = ['*']
    options.hinting = False  # pillow renders at poster sizes; hints only cost bytes
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    target = HERE / f'NotoSansSC-gongshang-subset-{weight}.otf'
    font.save(target)
    return target


if __name__ == '__main__':
    for weight in ('Bold', 'Regular'):
        path = make(weight)
        print(path.name, path.stat().st_size)
