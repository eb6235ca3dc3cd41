"""The 五民 funnel: how many items reached each of the five steps, and how long they spent in each.

An item's timeline is plain data (when it was raised, its moves, the moves of the project carrying it out). When it
entered each step:

- 民事民提 (raised): when it was raised.
- 民事民议 (deliberated): its first move into a step-2 state (triaged, deliberating, referred — domain.lifecycle).
- 民事民决 (decided): its first move into a step-3 state (reviewed, voting, decided, published).
- 民事民办 (done): the work reported done — the first move of its project to 'rating', or its own first move to
  'rating' (an issue), or to 'fulfilled' (a micro-wish); the earliest of these.
- 民事民评 (rated): closed after a passed rating — its project's move rating → closed (a project only closes from
  'rating' when the round reached the threshold), its own move rating → closed, or a micro-wish 'confirmed' (the
  wisher confirmed and rated). An issue closed from 'referred' (the street's reply) or a project cancelled is NOT rated.

Skipped steps are explicit: an item that reached a step counts as having passed every step before it (so the funnel
never widens), and `skipped` says how many of those passed a step without ever entering it — a micro-wish skips
议 and 决 (it is published and claimed), an issue carried out by a project it never moved along with skips 决.
An urgent issue goes accepted → deliberating: it skips the state 'triaged' but not the step 民事民议.

Time in a step runs from entering it to entering the next step the item entered (so a micro-wish's time from being
raised to being fulfilled counts to 民事民提); items that went no further are left out of that step's average, and so
is a skipped step. Out-of-order records (a later step entered before an earlier one) count as zero days.
Averages are exact fractions of days. Micro-wishes are a separate series from public issues (the service keeps them
apart): their path is not the issue's, and mixing them would hide how issues move through 议 and 决.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from domain.lifecycle import STEPS, IssueState, Step
from domain.meetings import LOCAL

DAY = timedelta(days=1)
_STEP_OF = {state.value: state.step for state in IssueState}


@dataclass(frozen=True)
class Move:
    """One move on a timeline (an IssueEvent or a ProjectEvent): when, from where, to where."""
    at: datetime
    from_state: str | None
    to_state: str


@dataclass(frozen=True)
class Timeline:
    """What the funnel needs of one item: its kind, place, when raised, its moves and its projects' moves."""
    id: int
    kind: str  # issue | wish
    compound_id: int | None
    created_at: datetime
    moves: tuple[Move, ...] = ()
    project_moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class StepFigures:
    step: Step
    reached: int  # items that got to this step or further
    skipped: int  # of those, items that went past it without entering it
    went_on: int  # items the average is taken over: entered this step and a later one
    days: Fraction | None  # average days spent in this step; None when no item went on


@dataclass(frozen=True)
class Series:
    items: int
    steps: tuple[StepFigures, ...]

    @property
    def counts(self) -> list[int]:
        return [figures.reached for figures in self.steps]


@dataclass(frozen=True)
class Funnel:
    total: Series
    by_compound: dict[int | None, Series]  # None: 未分小区
    by_month: dict[str, Series]  # 'YYYY-MM' of raising (local time), in order


def entries(item: Timeline) -> dict[int, datetime]:
    """Step number → when the item entered it (steps it never entered are absent)."""
    found: dict[int, datetime] = {1: item.created_at}
    moves = sorted(item.moves, key=lambda m: m.at)
    project_moves = sorted(item.project_moves, key=lambda m: m.at)
    if item.kind == 'issue':
        for step in (2, 3):
            first = next((m.at for m in moves if _STEP_OF.get(m.to_state) == step), None)
            if first is not None:
                found[step] = first
        done_into, rated_into = 'rating', 'closed'
    else:
        done_into, rated_into = 'fulfilled', 'confirmed'
    done = [m.at for m in moves if m.to_state == done_into] + [m.at for m in project_moves if m.to_state == 'rating']
    if done:
        found[4] = min(done)
    rated = [m.at for m in moves if _rated(item.kind, m, rated_into)] + \
            [m.at for m in project_moves if m.from_state == 'rating' and m.to_state == 'closed']
    if rated:
        found[5] = min(rated)
    return found


def series(items: Iterable[Timeline]) -> Series:
    """Counts reaching each step, skipped steps and average days per step, over these items."""
    timelines = list(items)
    reached = [0] * len(STEPS)
    skipped = [0] * len(STEPS)
    spent: list[list[timedelta]] = [[] for _ in STEPS]
    for item in timelines:
        entered = entries(item)
        furthest = max(entered)
        for number in range(1, furthest + 1):
            reached[number - 1] += 1
            if number not in entered:
                skipped[number - 1] += 1
                continue
            following = [entered[later] for later in range(number + 1, furthest + 1) if later in entered]
            if following:
                spent[number - 1].append(max(following[0] - entered[number], timedelta(0)))
    steps = tuple(StepFigures(step, reached[i], skipped[i], len(spent[i]), average_days(spent[i]))
                  for i, step in enumerate(STEPS))
    return Series(len(timelines), steps)


def funnel(items: Iterable[Timeline]) -> Funnel:
    """The whole series, and the same figures by compound and by month of raising."""
    timelines = list(items)
    by_compound: dict[int | None, list[Timeline]] = defaultdict(list)
    by_month: dict[str, list[Timeline]] = defaultdict(list)
    for item in timelines:
        by_compound[item.compound_id].append(item)
        by_month[month_of(item.created_at)].append(item)
    return Funnel(series(timelines),
                  {key: series(group) for key, group in by_compound.items()},
                  {key: series(by_month[key]) for key in sorted(by_month)})


def average_days(spans: list[timedelta]) -> Fraction | None:
    """The exact mean of the spans in days (to the microsecond), or None for none."""
    if not spans:
        return None
    micros = sum(span // timedelta(microseconds=1) for span in spans)
    return Fraction(micros, len(spans) * (DAY // timedelta(microseconds=1)))


def days_text(value: Fraction | None, *, digits: int = 1) -> str:
    """'2.5' (half up), or '—'."""
    if value is None:
        return '—'
    scaled = value * 10 ** digits
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    whole, part = divmod(rounded, 10 ** digits)
    return f'{whole}.{part:0{digits}d}' if digits else str(whole)


def month_of(at: datetime) -> str:
    """'2026-11': the local month an item was raised in."""
    return (at.replace(tzinfo=UTC) if at.tzinfo is None else at).astimezone(LOCAL).strftime('%Y-%m')


def _rated(kind: str, move: Move, into: str) -> bool:
    if kind == 'issue':  # closed after the rating round: not from 'referred' (the street's reply)
        return move.from_state == 'rating' and move.to_state == into
    return move.to_state == into
