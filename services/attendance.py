"""Who came to a meeting (read side of check-in): the count, seats present or missing, people by building, the list.

Phone numbers appear masked (138****5678) unless the viewer may see them ('resident.phone'): volunteers at the
door see who came, not how to call them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from domain import attendance as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.people import mask_phone
from domain.permissions import Principal, can
from domain.seats import TEMPLATES, seat_label
from models import Account, CheckIn, Community, Invitation, Meeting, Resident
from services import accounts


@dataclass(frozen=True)
class Entry:
    """One check-in as the list shows it."""
    resident_id: int
    name: str
    place: str  # '嘉明花园 3栋 502', the room a walk-in typed, or ''
    building: str  # '嘉明花园 3栋' or 未登记楼栋
    phone: str  # masked unless the viewer holds resident.phone
    method: str
    method_label: str  # Chinese, as every label here: pages pass them through t()
    by: str  # the volunteer or staff member who checked them in ('' when they did it themselves)
    at: datetime  # when it happened (the phone's scan time)
    seat: str  # the seat label they were invited to, '' if not invited
    pending: bool  # not verified by staff yet


@dataclass(frozen=True)
class Attendance:
    meeting_id: int
    community_id: int
    community: str
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    state: str
    level: str
    template: str  # '社区议事协商委员会（4+N）'
    total: int
    invited: int  # of the total, people on the invitation list
    walk_ins: int  # registered at the door (method walk_in)
    pending: int  # residents not yet verified by staff
    seats: list[rules.SeatLine]
    seats_present: int  # fixed seats with someone present
    seats_total: int
    buildings: list[tuple[str, int]]
    entries: list[Entry]  # by time of check-in

    @property
    def invitees(self) -> list[rules.Invitee]:
        return [person for line in self.seats for person in line.invitees]


async def meeting_for(actor: Principal, meeting_id: int, action: str = 'meeting.attendance') -> Meeting:
    """The meeting, when `actor` may do `action` in its community. Errors: not_found, forbidden."""
    meeting = await Meeting.get_or_none(id=meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None:
        raise DomainError('not_found', '找不到这次议事会')
    accounts.require(actor, action, meeting.community_id)
    return meeting


async def count(actor: Principal, meeting_id: int) -> int:
    """How many people checked in (the projector's big number). Errors: not_found, forbidden."""
    meeting = await meeting_for(actor, meeting_id)
    return await CheckIn.filter(meeting_id=meeting.id).count()


async def attendance(actor: Principal, meeting_id: int) -> Attendance:
    """Everything the attendance page, its Excel file and the sign-in sheet show. Errors: not_found, forbidden."""
    meeting = await meeting_for(actor, meeting_id)
    community = await Community.get(id=meeting.community_id)
    checkins = await CheckIn.filter(meeting_id=meeting.id).order_by('scanned_at', 'id') \
        .prefetch_related('resident__household__building__compound')
    invitations = await Invitation.filter(meeting_id=meeting.id).order_by('id') \
        .prefetch_related('resident__household__building__compound')
    came = {c.resident_id: c for c in checkins}
    invitees = [rules.Invitee(name=i.name, seat_kind=i.seat_kind, resident_id=i.resident_id,
                              organisation=i.organisation or '', place=_place(i.resident) if i.resident else '',
                              checked_in_at=_aware(came[i.resident_id].scanned_at) if i.resident_id in came else None)
                for i in invitations]
    lines = rules.seat_lines(meeting.level, invitees)
    seat_by_resident = {i.resident_id: _seat_label(meeting.level, i.seat_kind) for i in invitations
                        if i.resident_id is not None}
    volunteers = {a.id: a.name for a in await Account.filter(
        id__in={c.by_account_id for c in checkins if c.by_account_id is not None})}
    show_phone = can(actor, 'resident.phone', meeting.community_id)
    entries = [_entry(c, seat_by_resident.get(c.resident_id, ''), volunteers, show_phone) for c in checkins]
    present, fixed = rules.fixed_seats_present(lines)
    return Attendance(
        meeting_id=meeting.id, community_id=meeting.community_id, community=community.name, title=meeting.title,
        place=meeting.place, starts_at=_aware(meeting.starts_at), ends_at=_aware(meeting.ends_at),
        state=meeting.state, level=meeting.level, template=rules.template_label(meeting.level), total=len(entries),
        invited=sum(1 for e in entries if e.seat), walk_ins=sum(1 for e in entries if e.method == 'walk_in'),
        pending=sum(1 for e in entries if e.pending), seats=lines, seats_present=present, seats_total=fixed,
        buildings=rules.by_building(e.building for e in entries), entries=entries)


def when_text(starts_at: datetime, ends_at: datetime, *, lang: str | None = None) -> str:
    """'12月2日 星期三 19:00–20:30' in local time."""
    parts = rules.when_parts(starts_at, ends_at)
    return t('{month}月{day}日 {weekday} {start}–{end}', lang=lang,
             **{**parts, 'weekday': t(parts['weekday'], lang=lang)})


# ---- helpers ----

def _entry(checkin: CheckIn, seat: str, volunteers: dict[int, str], show_phone: bool) -> Entry:
    resident: Resident = checkin.resident
    household = resident.household
    building = rules.building_label(household.building.compound.name if household else None,
                                    household.building.name if household else None)
    return Entry(resident_id=resident.id, name=resident.name, place=_place(resident), building=building,
                 phone=(resident.phone or '') if show_phone else mask_phone(resident.phone),
                 method=checkin.method, method_label=rules.METHODS.get(checkin.method, checkin.method),
                 by=volunteers.get(checkin.by_account_id, '') if checkin.method not in ('self', 'walk_in') else '',
                 at=_aware(checkin.scanned_at), seat=seat, pending=resident.status == 'pending')


def _seat_label(level: str, seat_kind: str) -> str:
    return seat_label(level, seat_kind) if level in TEMPLATES else seat_kind


def _place(resident: Resident) -> str:
    household = resident.household
    if household is None:
        return resident.registered_room or ''
    return f'{household.building.compound.name} {household.building.name} {household.room}'


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
