"""吹哨报到 assessment: how each project and each responsible organisation (牵头单位) did, with exact maths.

Per project: the satisfaction rate of its last closed rating round, the rounds it took (整改 = rounds − 1), whether it
was done on time (the latest report of done, local date, ≤ the planned date), days from creation to done, budget
and spent. A closed project gets a score out of 100 from the WEIGHTS below; a part that cannot be judged (no planned
date, nobody rated) is left out and the other parts are scaled up to 100, so a missing date neither helps nor hurts.
Projects still under way or cancelled get no score. An organisation's figures are plain means over its projects that
have the figure.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from domain import satisfaction
from domain.meetings import LOCAL

# the score's parts and their weights (points out of 100); the sheet's note (services.assessment) says them in words
WEIGHTS = {'satisfaction': 60, 'on_time': 20, 'first_time': 20}
_DAY_MICROS = timedelta(days=1) // timedelta(microseconds=1)


@dataclass(frozen=True)
class Round:
    """One rating round as recorded: its number, the counts frozen at close, when it closed (None: still open)."""
    number: int
    counts: satisfaction.Counts
    closed_at: datetime | None
    verdict: str | None = None  # passed | reopened | no_ratings


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    title: str
    lead_org: str
    state: str
    created_at: datetime
    done_at: datetime | None
    due_on: date | None
    rounds: tuple[Round, ...] = ()
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)


@dataclass(frozen=True)
class ProjectScore:
    facts: ProjectFacts
    rate: Fraction | None  # of the last closed round
    rounds: int  # rounds opened so far
    rectifications: int
    on_time: bool | None  # None: not done yet, or no planned date
    days_to_done: Fraction | None
    passed_first_time: bool | None  # None: not closed
    score: Fraction | None  # out of 100; closed projects only


@dataclass(frozen=True)
class OrgScore:
    lead_org: str
    projects: int
    closed: int
    rate: Fraction | None  # mean of its projects' rates
    on_time: int  # projects done on time
    judged_on_time: int  # projects whose timeliness can be judged
    days_to_done: Fraction | None
    rectifications: int
    budget: Decimal
    spent: Decimal
    score: Fraction | None  # mean of its projects' scores

    @property
    def on_time_share(self) -> Fraction | None:
        return Fraction(self.on_time, self.judged_on_time) if self.judged_on_time else None


def assess(facts: ProjectFacts) -> ProjectScore:
    """The figures and the score of one project."""
    closed_rounds = sorted((r for r in facts.rounds if r.closed_at is not None), key=lambda r: r.number)
    last = closed_rounds[-1] if closed_rounds else None
    rate = satisfaction.rate(last.counts) if last is not None else None
    rounds = max((r.number for r in facts.rounds), default=0)
    on_time = (local_day(facts.done_at) <= facts.due_on
               if facts.done_at is not None and facts.due_on is not None else None)
    days = (Fraction((facts.done_at - facts.created_at) // timedelta(microseconds=1), _DAY_MICROS)
            if facts.done_at is not None else None)
    closed = facts.state == 'closed'
    first_time = (rounds <= 1) if closed else None
    score = _score({'satisfaction': rate, 'on_time': on_time, 'first_time': first_time}) if closed else None
    return ProjectScore(facts, rate, rounds, max(rounds - 1, 0), on_time, days, first_time, score)


def by_org(scores: Iterable[ProjectScore]) -> list[OrgScore]:
    """One row per lead organisation (by name), in name order."""
    groups: dict[str, list[ProjectScore]] = defaultdict(list)
    for score in scores:
        groups[score.facts.lead_org.strip()].append(score)
    rows = []
    for org in sorted(groups):
        group = groups[org]
        judged = [s.on_time for s in group if s.on_time is not None]
        rows.append(OrgScore(
            lead_org=org, projects=len(group), closed=sum(s.facts.state == 'closed' for s in group),
            rate=mean(s.rate for s in group), on_time=sum(judged), judged_on_time=len(judged),
            days_to_done=mean(s.days_to_done for s in group), rectifications=sum(s.rectifications for s in group),
            budget=sum((s.facts.budget for s in group), Decimal(0)),
            spent=sum((s.facts.spent for s in group), Decimal(0)), score=mean(s.score for s in group)))
    return rows


def mean(values: Iterable[Fraction | None]) -> Fraction | None:
    """The exact mean of the values that are there; None when none is."""
    present = [Fraction(v) for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


def rounded(value: Fraction | None, digits: int = 1) -> Decimal | None:
    """A Fraction as a Decimal rounded half up (for a spreadsheet cell); None stays None."""
    if value is None:
        return None
    scaled = value * 10 ** digits
    sign = -1 if scaled < 0 else 1
    scaled = abs(scaled)
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(sign * whole).scaleb(-digits)


def local_day(at: datetime) -> date:
    return (at.replace(tzinfo=UTC) if at.tzinfo is None else at).astimezone(LOCAL).date()


def _score(parts: dict[str, Fraction | bool | None]) -> Fraction | None:
    known = {name: value for name, value in parts.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in known)
    if not weight:
        return None
    points = sum((WEIGHTS[name] * Fraction(value) for name, value in known.items()), Fraction(0))
    return points * 100 / weight
