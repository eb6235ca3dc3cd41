"""/votes/{id}/screen: the vote on the meeting room's projector — dark, huge type, readable from the back row.

Title and time left; a bar per option (赞成/反对/弃权 in green, red and grey) with counts, shares and the line
the rule requires; turnout against the quorum line by head and by area; a big QR to vote on a phone. With results
hidden until the close it shows turnout only; after the close, the verdict and why. Public and read-only (no
name ever appears), except that a draft is not found. It is drawn once and then updated in place by
components.vote_live within a second of each ballot; the clock counts down in the browser (no server work per
second).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction

from fastapi.responses import RedirectResponse
from nicegui import ui
from starlette.requests import Request

from components import session, vote_live
from components.admin import not_found
from components.frame import frame
from components.qr import qr_data_url
from components.signin import login_redirect
from domain.errors import DomainError
from domain.i18n import t
from domain.tally import Result
from domain.votes import VERDICTS, VoteState
from services import codes, tallies, vote_views
from services.tallies import TallyView
from services.vote_views import VoteView

NOT_FOUND = '找不到这次表决'
COLOURS = {'yes': '#43a047', 'no': '#e53935', 'abstain': '#9e9e9e', 'choice': '#fbc02d'}
VERDICT_COLOURS = {'passed': '#66bb6a', 'failed': '#ef5350', 'not_quorate': '#ffa726', 'tie': '#ffa726'}

SCREEN_CSS = '''<style>
body.gs-vs-body { background: #0d0d0d !important; color: #fff; overflow: hidden; }
.gs-vs { height: 100vh; width: 100vw; padding: 2.5vh 3vw; display: flex; gap: 3vw; }
.gs-vs-main { flex: 1 1 auto; min-width: 0; display: flex; flex-direction: column; gap: 1.6vh; }
.gs-vs-side { flex: 0 0 auto; display: flex; flex-direction: column; align-items: center; justify-content: center;
  gap: 2vh; }
.gs-vs-title { font-size: 4vw; line-height: 1.15; font-weight: 800; word-break: break-all; }
.gs-vs-state { font-size: 2.2vw; font-weight: 700; color: #ef9a9a; }
.gs-vs-clock { font-size: 2.6vw; font-weight: 800; color: #ffeb3b; font-variant-numeric: tabular-nums; }
.gs-vs-rule { font-size: 1.8vw; color: #bdbdbd; }
.gs-vs-option { font-size: 2.5vw; font-weight: 700; }
.gs-vs-count { font-size: 2.5vw; font-weight: 800; font-variant-numeric: tabular-nums; white-space: nowrap; }
.gs-vs-small { font-size: 1.7vw; color: #e0e0e0; font-variant-numeric: tabular-nums; }
.gs-vs-track { position: relative; width: 100%; height: 3.4vh; background: #333; border-radius: .6vh; }
.gs-vs-track.gs-thin { height: 1.6vh; }
.gs-vs-fill { height: 100%; border-radius: .6vh; transition: width .4s ease; }
.gs-vs-line { position: absolute; top: -.8vh; bottom: -.8vh; width: .3vw; background: #fff; }
.gs-vs-turnout { font-size: 2.3vw; font-weight: 700; font-variant-numeric: tabular-nums; }
.gs-vs-note { font-size: 3vw; font-weight: 700; color: #e0e0e0; padding: 3vh 0; }
.gs-vs-verdict { font-size: 5.5vw; font-weight: 900; line-height: 1.1; }
.gs-vs-reason { font-size: 1.9vw; color: #e0e0e0; }
.gs-vs-qr { width: min(28vw, 62vh); height: min(28vw, 62vh); background: #fff; border-radius: 1vw;
  image-rendering: pixelated; }
.gs-vs-hint { font-size: 2.4vw; font-weight: 700; text-align: center; }
.gs-vs.gs-many .gs-vs-option, .gs-vs.gs-many .gs-vs-count { font-size: 1.9vw; }
.gs-vs.gs-many .gs-vs-track { height: 2.2vh; }
.gs-vs.gs-many .gs-vs-main { gap: .8vh; }
@media (orientation: portrait) {
  .gs-vs { flex-direction: column; height: auto; min-height: 100vh; }
  body.gs-vs-body { overflow: auto; }
  .gs-vs-title { font-size: 7vw; } .gs-vs-option, .gs-vs-count, .gs-vs-turnout { font-size: 5vw; }
  .gs-vs-state, .gs-vs-clock { font-size: 5vw; } .gs-vs-small, .gs-vs-rule, .gs-vs-reason { font-size: 3.6vw; }
  .gs-vs-qr { width: 70vw; height: 70vw; } .gs-vs-hint { font-size: 5vw; } .gs-vs-verdict { font-size: 10vw; }
}
</style>'''

# The clock runs in the browser: every element with data-gs-closes shows the time to the opening or the close,
# corrected by the difference between the server's clock and the projector's when it first saw the element.
CLOCK_JS = '''<script>
(function () {
  if (window.gsVoteClock) return;
  const two = (n) => String(n).padStart(2, '0');
  function tick() {
    document.querySelectorAll('[data-gs-closes]').forEach(function (el) {
      if (el.gsSkew === undefined) el.gsSkew = Number(el.dataset.gsNow) - Date.now();
      const now = Date.now() + el.gsSkew, opens = Number(el.dataset.gsOpens), closes = Number(el.dataset.gsCloses);
      const before = now < opens, target = before ? opens : closes;
      let left = Math.floor((target - now) / 1000), text;
      if (left <= 0) {
        text = el.dataset.gsDone;
      } else {
        const days = Math.floor(left / 86400); left %= 86400;
        const clock = two(Math.floor(left / 3600)) + ':' + two(Math.floor(left / 60) % 60) + ':' + two(left % 60);
        text = (before ? el.dataset.gsBefore : el.dataset.gsLeft) + ' ' + (days ? days + el.dataset.gsDay + ' ' : '')
          + clock;
      }
      if (el.textContent !== text) el.textContent = text;
    });
  }
  window.gsVoteClock = setInterval(tick, 250);
})();
</script>'''


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _width(part: Fraction | int, whole: Fraction | int) -> str:
    """A CSS width from exact numbers (0–100 %, one decimal): for drawing only, decisions use the fractions."""
    share = Fraction(part) / Fraction(whole) if whole else Fraction(0)
    tenths = round(min(Fraction(1), max(Fraction(0), share)) * 1000)
    return f'{tenths // 10}.{tenths % 10}%'


def _m2(area: Fraction) -> str:
    hundredths = (Fraction(area) * 100 + Fraction(1, 2)).__floor__()
    return f'{hundredths // 100}.{hundredths % 100:02d}'


@dataclass
class _Parts:
    """The elements a live update changes, and what they show now (only changes go out to the projector)."""
    texts: dict[str, ui.label] = field(default_factory=dict)
    styles: dict[str, ui.element] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)

    def text(self, key: str, value: str) -> None:
        if self.shown.get(key) != value:
            self.shown[key] = value
            self.texts[key].set_text(value)

    def style(self, key: str, value: str) -> None:
        if self.shown.get('style:' + key) != value:
            self.shown['style:' + key] = value
            self.styles[key].style(replace=value)


class Board:
    """The whole projector picture of one vote: drawn from a TallyView, then updated in place."""

    def __init__(self, view: VoteView, join_url: str) -> None:
        self.view = view
        self.join_url = join_url
        self.unit = t('户') if view.counting == 'household' else t('人')
        self.box = ui.element('div').classes('gs-vs')
        self.parts = _Parts()
        self.layout: tuple | None = None

    def show(self, tally: TallyView) -> None:
        """What vote_live calls: redraw when the picture's layout changed (opened, closed, hidden), else update."""
        layout = (tally.state, tally.hidden, tuple(line.id for line in tally.result.options))
        if layout != self.layout:
            self.draw(tally)
            self.layout = layout
        self.update(tally)

    def draw(self, tally: TallyView) -> None:
        self.box.clear()
        self.parts = _Parts()
        result = tally.result
        live = tally.state == 'open'
        lines = len(result.options) * (2 if result.by_area else 1)
        self.box.classes(add='gs-many') if lines > 4 else self.box.classes(remove='gs-many')
        with self.box:
            with ui.element('div').classes('gs-vs-main'):
                ui.label(tally.title).classes('gs-vs-title').mark('screen-title')
                with ui.row().classes('items-baseline gap-6'):
                    ui.label(t(VoteState(tally.state).label)).classes('gs-vs-state').mark('screen-state')
                    if live:
                        ui.label().classes('gs-vs-clock').mark('screen-clock').props(
                            f'data-gs-now={_ms(datetime.now(UTC))} data-gs-opens={_ms(self.view.opens_at)} '
                            f'data-gs-closes={_ms(tally.closes_at)} data-gs-left="{t("还剩")}" '
                            f'data-gs-before="{t("距开始")}" data-gs-day="{t("天")}" '
                            f'data-gs-done="{t("时间到，正在结束")}"')
                if tally.state in ('closed', 'final'):
                    self._verdict(result)
                self._turnout(result)
                if tally.hidden:
                    ui.label(t('各选项票数在表决结束后公布')).classes('gs-vs-note').mark('screen-hidden')
                elif tally.state in ('open', 'closed', 'final'):
                    self._options(result)
                ui.label(t('规则：{rule}', rule=t(self.view.rule_label))).classes('gs-vs-rule')
            if live:
                with ui.element('div').classes('gs-vs-side'):
                    ui.image(qr_data_url(self.join_url, box_size=12)).classes('gs-vs-qr') \
                        .props(f'tag=img alt="{t("投票二维码")}"').mark('screen-qr')
                    ui.label(t('用手机扫码投票')).classes('gs-vs-hint')

    def _verdict(self, result: Result) -> None:
        colour = VERDICT_COLOURS.get(result.verdict, '#fff')
        ui.label(t(VERDICTS.get(result.verdict, result.verdict))).classes('gs-vs-verdict') \
            .style(f'color: {colour}').mark('screen-verdict')
        for reason in result.reasons:
            ui.label(reason).classes('gs-vs-reason')

    def _turnout(self, result: Result) -> None:
        """By head (and by area): a bar of those who voted against everyone on the roll, a line at the quorum."""
        self._bar('heads', 'turnout-heads', line=result.turnout.fraction if result.turnout else None)
        if result.by_area:
            self._bar('area', 'turnout-area', line=result.turnout.fraction if result.turnout else None, thin=True)

    def _options(self, result: Result) -> None:
        need = t(result.approval.label)
        yes_no = any(line.kind == 'yes' for line in result.options)
        ui.label(t('赞成票需占参与表决的{need}', need=need) if yes_no
                 else t('得票需占参与表决的{need}', need=need)).classes('gs-vs-rule')
        for line in result.options:
            self._bar(f'option-{line.id}', f'option-{line.id}', line=result.approval.fraction,
                      colour=COLOURS.get(line.kind, COLOURS['choice']), label=line.label)
            if result.by_area:
                self._bar(f'area-{line.id}', f'option-area-{line.id}', line=result.approval.fraction,
                          colour=COLOURS.get(line.kind, COLOURS['choice']), thin=True)

    def _bar(self, key: str, marker: str, *, line: Fraction | None, colour: str = '#ffeb3b', label: str = '',
             thin: bool = False) -> None:
        with ui.column().classes('w-full gap-1'):
            with ui.row().classes('w-full items-baseline justify-between no-wrap gap-4'):
                if label:
                    ui.label(label).classes('gs-vs-option min-w-0 break-all')
                self.parts.texts[key] = ui.label().classes(
                    'gs-vs-small' if thin else 'gs-vs-count' if label else 'gs-vs-turnout').mark(marker)
            with ui.element('div').classes('gs-vs-track' + (' gs-thin' if thin else '')):
                self.parts.styles[key] = ui.element('div').classes('gs-vs-fill').style(f'background: {colour}')
                self.parts.shown['colour:' + key] = colour
                if line is not None:
                    ui.element('div').classes('gs-vs-line').style(f'left: {_width(line, 1)}')

    def update(self, tally: TallyView) -> None:
        result = tally.result
        parts = self.parts
        if 'heads' in parts.texts:
            text = t('已投 {voted}/{total} {unit}', voted=result.voted_heads, total=result.total_heads,
                     unit=self.unit)
            if result.turnout is not None:
                text += t('，需{need}', need=t(result.turnout.label))
            parts.text('heads', text)
            self._fill('heads', result.voted_heads, result.total_heads, '#66bb6a' if result.heads_quorate
                       else '#ffeb3b')
        if 'area' in parts.texts:
            text = t('已投面积 {voted}/{total} 平方米', voted=_m2(result.voted_area), total=_m2(result.total_area))
            if result.turnout is not None:
                text += t('，需{need}', need=t(result.turnout.label))
            parts.text('area', text)
            self._fill('area', result.voted_area, result.total_area, '#66bb6a' if result.area_quorate
                       else '#ffeb3b')
        for line in result.options:
            key = f'option-{line.id}'
            if key not in parts.texts:
                continue
            mark = '✓ ' if line.adopted and tally.state != 'open' else ''
            parts.text(key, t('{mark}{count} 票 {share}', mark=mark, count=line.heads,
                              share=_width(line.heads, result.voted_heads)))
            self._fill(key, line.heads, result.voted_heads, None)
            if f'area-{line.id}' in parts.texts:
                parts.text(f'area-{line.id}', t('面积 {area} 平方米 {share}', area=_m2(line.area),
                                                share=_width(line.area, result.voted_area)))
                self._fill(f'area-{line.id}', line.area, result.voted_area, None)

    def _fill(self, key: str, part, whole, colour: str | None) -> None:
        colour = colour or self.parts.shown['colour:' + key]
        self.parts.style(key, f'width: {_width(part, whole)}; background: {colour}')


async def screen_page(request: Request, vote_id: str) -> RedirectResponse | None:
    """Full screen for the projector: the vote's live tally and the QR to vote (for people of the community)."""
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/votes/{vote_id}/screen' if vote_id.isdecimal() else '/votes')
    number = int(vote_id) if vote_id.isdecimal() and len(vote_id) < 10 else None
    try:
        if number is None:
            raise DomainError('not_found', NOT_FOUND)
        view = await vote_views.vote_view(user, number)
        tally = await tallies.current_tally(number)
    except DomainError:
        with frame(t('表决大屏'), user=user, back='/votes'):
            not_found(t(NOT_FOUND))
        return None
    ui.add_head_html(SCREEN_CSS + CLOCK_JS)
    ui.query('body').classes('gs-vs-body')
    board = Board(view, f'{codes.public_base(str(request.base_url))}/votes/{number}')
    board.show(tally)
    vote_live.watch(number, board.show, first=True)  # the room looks here: pushed before the phones
    return None


def register() -> None:
    ui.page('/votes/{vote_id}/screen', title='共商')(screen_page)

