"""A list of result bars (label, count, share), drawn once and then updated in place.

Each bar is ONE label whose background is a CSS gradient cut at the share: a phone page holding it stays light
(hundreds of phones are connected during a vote), and a live update sends only changed texts and widths. The
width is a number we computed, never text someone typed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from nicegui import ui

from domain.i18n import current_language, t
from domain.tally_words import number

if TYPE_CHECKING:
    from domain.tally import Result

FILL = '#ffcdd2'  # the share of an option
ADOPTED = '#a5d6a7'  # an option the rule adopted
REST = '#f3f0eb'


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: Fraction  # of those who voted, 0..1
    detail: str = ''  # a second line, e.g. the floor area
    adopted: bool = False


def percent(share: Fraction) -> str:
    """'66.7%': for reading only; every decision is taken on the exact fractions."""
    tenths = round(Fraction(share) * 1000)
    return f'{tenths // 10}.{tenths % 10}%'


def area_text(area: Fraction) -> str:
    """Square metres as the tally's reasons write them (exact to the cent, else 约)."""
    return t('{area} 平方米', area=number(Fraction(area), lang=current_language()))


def bars_of(result: Result, *, show_area: bool | None = None, final: bool = True) -> list[Bar]:
    """The options of a tally as bars: heads (and area when the rule counts it) against those who voted.
    `final` False (a live count while voting goes on): no option is marked adopted yet."""
    with_area = result.by_area if show_area is None else show_area
    bars = []
    for line in result.options:
        share = Fraction(line.heads, result.voted_heads) if result.voted_heads else Fraction(0)
        detail = ''
        if with_area:
            area_share = Fraction(line.area) / Fraction(result.voted_area) if result.voted_area else Fraction(0)
            detail = t('面积 {area}（{share}）', area=area_text(line.area), share=percent(area_share))
        label = line.label if line.kind == 'choice' else t(line.label)  # 赞成/反对/弃权 in the reader's language
        bars.append(Bar(label, line.heads, share, detail, line.adopted and final))
    return bars


class BarList:
    """One label per bar; `update(bars)` with the same options in the same order changes texts and widths only."""

    def __init__(self, bars: Sequence[Bar], *, marker: str = 'bar', size: str = 'text-lg',
                 parent: ui.element | None = None) -> None:
        """`parent`: draw the bars straight into this container (one element fewer on a light page)."""
        self._labels: list[ui.label] = []
        self._styles: list[str] = []
        with parent if parent is not None else ui.column().classes('w-full gap-2'):
            for index in range(len(bars)):
                self._labels.append(ui.label().classes(f'w-full rounded px-3 py-2 {size} whitespace-pre-line '
                                                       'break-all').mark(f'{marker}-{index}'))
                self._styles.append('')
        self.update(bars)

    def update(self, bars: Sequence[Bar]) -> None:
        for index, (label, bar) in enumerate(zip(self._labels, bars, strict=False)):
            text = t('{label}：{count} 票（{share}）', label=bar.label, count=bar.count, share=percent(bar.share))
            if bar.adopted:
                text = '✓ ' + text
            if bar.detail:
                text += '\n' + bar.detail
            if label.text != text:
                label.text = text
            tenths = round(Fraction(bar.share) * 1000)
            width = f'{tenths // 10}.{tenths % 10}%'
            colour = ADOPTED if bar.adopted else FILL
            style = f'background: linear-gradient(90deg, {colour} {width}, {REST} {width})'
            if self._styles[index] != style:  # only changed bars go out to the browser
                self._styles[index] = style
                label.style(replace=style)
