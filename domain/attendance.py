"""Who came to a meeting: seats present or missing (4+N / 5+N), people by building, how a meeting's time reads.

A fixed seat counts as present when at least one person invited to it checked in; a seat nobody was invited to is
'empty' (the invitation list has a gap, which is the organiser's matter, not the invitee's). An invitee off the
roster (an outside representative with no resident record) cannot check in by code, so stays missing here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.meetings import LOCAL, WEEKDAYS
from domain.rooms import natural_key
from domain.seats import STAKEHOLDER, TEMPLATES, seat_kinds

METHODS = {  # CheckIn.method → how it reads in the list
    'self': '本人扫会议码',
    'scan': '扫个人码',
    'link': '个人码链接',
    'search': '按姓名签到',
    'walk_in': '现场登记',
}
UNREGISTERED = '未登记楼栋'  # checked in, but no household on the roster (a walk-in, a self-registration)


@dataclass(frozen=True)
class Invitee:
    name: str
    seat_kind: str
    resident_id: int | None = None
    organisation: str = ''
    place: str = ''
    checked_in_at: datetime | None = None

    @property
    def present(self) -> bool:
        return self.checked_in_at is not None


@dataclass(frozen=True)
class SeatLine:
    """One seat kind of the template with the people invited to it."""
    key: str
    label: str
    invitees: tuple[Invitee, ...]
    fixed: bool  # one of the 4 or 5; False for the +N stakeholders

    @property
    def present(self) -> list[Invitee]:
        return [i for i in self.invitees if i.present]

    @property
    def missing(self) -> list[Invitee]:
        return [i for i in self.invitees if not i.present]

    @property
    def state(self) -> str:
        """'present' (someone in this seat came), 'missing' (invited, nobody came), 'empty' (nobody invited)."""
        if not self.invitees:
            return 'empty'
        return 'present' if self.present else 'missing'


def seat_lines(level: str, invitees: Iterable[Invitee]) -> list[SeatLine]:
    """The template's seats in order, then the stakeholders (+N), then any seat kind the template does not know."""
    by_kind: dict[str, list[Invitee]] = {}
    for invitee in invitees:
        by_kind.setdefault(invitee.seat_kind, []).append(invitee)
    kinds = seat_kinds(level) if level in TEMPLATES else (STAKEHOLDER,)
    lines = [SeatLine(kind.key, kind.label, tuple(by_kind.pop(kind.key, ())), kind != STAKEHOLDER)
             for kind in kinds]
    lines += [SeatLine(key, key, tuple(people), False) for key, people in sorted(by_kind.items())]
    return lines


def template_label(level: str) -> str:
    """'社区议事协商委员会（4+N）' for the meeting's level."""
    return TEMPLATES[level][0] if level in TEMPLATES else level


def fixed_seats_present(lines: Iterable[SeatLine]) -> tuple[int, int]:
    """(fixed seats with someone present, fixed seats in the template): 3 of 4 seats are here."""
    fixed = [line for line in lines if line.fixed]
    return sum(1 for line in fixed if line.state == 'present'), len(fixed)


def building_label(compound: str | None, building: str | None) -> str:
    if not compound or not building:
        return UNREGISTERED
    return f'{compound} {building}'


def by_building(labels: Iterable[str]) -> list[tuple[str, int]]:
    """Count per '小区 楼栋', in natural order (2栋 before 10栋), 未登记楼栋 last."""
    counts = Counter(labels)
    known = sorted((label for label in counts if label != UNREGISTERED), key=natural_key)
    rows = [(label, counts[label]) for label in known]
    if UNREGISTERED in counts:
        rows.append((UNREGISTERED, counts[UNREGISTERED]))
    return rows


def when_parts(starts_at: datetime, ends_at: datetime) -> dict[str, str]:
    """The pieces of '12月2日 星期三 19:00–20:30' in local time (the caller joins them through t())."""
    start, end = starts_at.astimezone(LOCAL), ends_at.astimezone(LOCAL)
    end_text = f'{end:%H:%M}' if end.date() == start.date() else f'{end.month}月{end.day}日 {end:%H:%M}'
    return {'month': str(start.month), 'day': str(start.day), 'weekday': WEEKDAYS[start.weekday()],
            'start': f'{start:%H:%M}', 'end': end_text}
