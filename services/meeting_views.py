"""What the meeting screens read: the list (upcoming, past), one meeting as its public page shows it, the triaged
issues to put on an agenda, the stakeholders to suggest, the series.

Meetings are public (a 议事会 notice hangs on the notice board): anyone may read one by its id. Council seat
holders are named, as on the board; a stakeholder invited ad hoc is named only to people of the community.
No phone number appears anywhere here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import lifecycle, seats
from domain import meetings as rules
from domain.errors import DomainError
from domain.permissions import ANONYMOUS, Principal
from models import AuditEntry, CheckIn, Invitation, Issue, IssueSupport, Meeting, MeetingSeries, Resident
from services import accounts, audit, issue_views, meetings

PAST_LIMIT = 30


@dataclass(frozen=True)
class MeetingCard:
    id: int
    title: str
    format_label: str
    mode_label: str
    regular: bool
    starts_at: datetime
    ends_at: datetime
    place: str
    state: str
    state_label: str


@dataclass(frozen=True)
class AgendaLine:
    id: int
    issue_id: int | None
    title: str
    issue_state_label: str  # '' for a free item


@dataclass(frozen=True)
class Invitee:
    name: str
    organisation: str
    resident_id: int | None


@dataclass(frozen=True)
class SeatGroup:
    kind: str
    label: str
    people: tuple[Invitee, ...]


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    community_id: int
    title: str
    format: str
    format_label: str
    mode_label: str
    regular: bool
    level: str
    level_label: str  # the seat template, '小区议事会（5+N）'
    council: str  # the council's name, '' when none
    compound: str
    series: str  # '周周碰 · 每周三 19:00', '' for a one-off
    place: str
    starts_at: datetime
    ends_at: datetime
    state: str
    state_label: str
    closed_at: datetime | None
    cancel_reason: str
    agenda: tuple[AgendaLine, ...]
    invitees: tuple[SeatGroup, ...]
    invited: int
    checked_in: int
    my_seat: str  # the seat label the viewer was invited to, '' if not invited


@dataclass(frozen=True)
class Candidate:
    """A triaged issue that may go on an agenda."""
    id: int
    title: str
    state_label: str
    scale: str
    place: str
    supports: int


@dataclass(frozen=True)
class Suggested:
    """Someone the issues concern: its author or a supporter."""
    resident_id: int
    name: str
    why: str  # 提出人 | 附议人
    issue_title: str


@dataclass(frozen=True)
class SeriesRow:
    id: int
    title: str
    cadence_label: str
    when: str
    place: str
    council: str
    active: bool
    next_at: datetime | None


async def upcoming(user: Principal, community_id: int, *, at: datetime | None = None) -> list[MeetingCard]:
    """Under way, or not over yet (cancelled ones too, so nobody walks there), soonest first."""
    at = meetings.db_time(at or audit.now())
    rows = await Meeting.filter(community_id=community_id, ends_at__gte=at, state__in=('scheduled', 'cancelled')) \
        .order_by('starts_at', 'id')
    running = await Meeting.filter(community_id=community_id, state='open').order_by('starts_at', 'id')
    return [_card(m) for m in [*running, *(m for m in rows if m.state != 'open')]]


async def past(user: Principal, community_id: int, *, at: datetime | None = None,
               limit: int = PAST_LIMIT) -> list[MeetingCard]:
    """Held, or whose time has passed, newest first."""
    at = meetings.db_time(at or audit.now())
    rows = await Meeting.filter(community_id=community_id, ends_at__lt=at).exclude(state='open') \
        .order_by('-starts_at', '-id').limit(limit)
    return [_card(m) for m in rows]


async def detail(meeting_id: int, *, viewer: Principal = ANONYMOUS) -> MeetingDetail:
    """Everything the public meeting page shows. Errors: not_found."""
    meeting = await Meeting.get_or_none(id=meeting_id).prefetch_related('council', 'compound', 'series')
    if meeting is None:
        raise DomainError('not_found', '找不到这次议事会')
    items = await meeting.agenda.all().order_by('position', 'id').prefetch_related('issue')
    agenda = tuple(AgendaLine(i.id, i.issue_id, i.title, lifecycle.label(i.issue.state) if i.issue else '')
                   for i in items)
    invitations = await Invitation.filter(meeting_id=meeting.id).order_by('id')
    insider = bool(viewer.roles_in(meeting.community_id))
    groups = []
    for kind in seats.seat_kinds(meeting.level) if meeting.level in seats.TEMPLATES else ():
        people = tuple(Invitee(_shown_name(i, insider), i.organisation or '', i.resident_id)
                       for i in invitations if i.seat_kind == kind.key)
        if people:
            groups.append(SeatGroup(kind.key, kind.label, people))
    mine = next((i for i in invitations if viewer.resident_id is not None and i.resident_id == viewer.resident_id),
                None)
    series = meeting.series
    return MeetingDetail(
        id=meeting.id, community_id=meeting.community_id, title=meeting.title, format=meeting.format,
        format_label=rules.FORMATS.get(meeting.format, meeting.format),
        mode_label=rules.MODES.get(meeting.mode, meeting.mode), regular=meeting.regular, level=meeting.level,
        level_label=seats.TEMPLATES[meeting.level][0] if meeting.level in seats.TEMPLATES else meeting.level,
        council=meeting.council.name if meeting.council else '',
        compound=meeting.compound.name if meeting.compound else '',
        series=f'{rules.CADENCES[series.cadence]} · {_when(series)}' if series else '',
        place=meeting.place, starts_at=meeting.starts_at, ends_at=meeting.ends_at, state=meeting.state,
        state_label=rules.STATES.get(meeting.state, meeting.state), closed_at=meeting.closed_at,
        cancel_reason=await _cancel_reason(meeting), agenda=agenda, invitees=tuple(groups),
        invited=len(invitations), checked_in=await checked_in(meeting.id),
        my_seat=seats.seat_label(meeting.level, mine.seat_kind) if mine and meeting.level in seats.TEMPLATES else '')


async def checked_in(meeting_id: int) -> int:
    """How many people have checked in (the live count)."""
    return await CheckIn.filter(meeting_id=meeting_id).count()


async def candidates(actor: Principal, community_id: int) -> list[Candidate]:
    """Issues of the community that may go on an agenda: triaged, in deliberation, or urgent. Errors: forbidden."""
    accounts.require(actor, 'meeting.manage', community_id)
    rows = await Issue.filter(community_id=community_id, kind='issue',
                              state__in=(*meetings.AGENDA_STATES, 'accepted')) \
        .order_by('-urgent', 'created_at', 'id').prefetch_related('compound', 'building')
    return [Candidate(r.id, r.title, lifecycle.label(r.state), r.scale or '', issue_views.place_of(r), r.support_count)
            for r in rows if meetings.agenda_ready(r)]


async def suggest_stakeholders(actor: Principal, issue_ids: list[int]) -> list[Suggested]:
    """The authors and supporters of these issues (of communities where the actor manages meetings), each once."""
    allowed = actor.communities_with('meeting.manage')
    found: dict[int, Suggested] = {}
    for issue in await Issue.filter(id__in=list(issue_ids), community_id__in=allowed).order_by('id'):
        if issue.author_id is not None and issue.author_id not in found:
            author = await Resident.get_or_none(id=issue.author_id)
            if author is not None and author.status != 'left':
                found[author.id] = Suggested(author.id, author.name, '提出人', issue.title)
        supports = await IssueSupport.filter(issue_id=issue.id).order_by('id').prefetch_related('resident')
        for support in supports:
            if support.resident_id not in found and support.resident.status != 'left':
                found[support.resident_id] = Suggested(support.resident_id, support.resident.name, '附议人',
                                                       issue.title)
    return list(found.values())


async def series_list(actor: Principal, community_id: int, *, at: datetime | None = None) -> list[SeriesRow]:
    """The community's 周周碰 and 月月议, active first. Errors: forbidden."""
    accounts.require(actor, 'meeting.manage', community_id)
    at = meetings.db_time(at or audit.now())
    rows = await MeetingSeries.filter(community_id=community_id).order_by('-active', 'id').prefetch_related('council')
    out = []
    for s in rows:
        upcoming_one = await Meeting.filter(series_id=s.id, starts_at__gte=at, state='scheduled') \
            .order_by('starts_at').first()
        out.append(SeriesRow(s.id, s.title, rules.CADENCES.get(s.cadence, s.cadence), _when(s), s.place,
                             s.council.name if s.council else '', s.active,
                             upcoming_one.starts_at if upcoming_one else None))
    return out


def _card(m: Meeting) -> MeetingCard:
    return MeetingCard(m.id, m.title, rules.FORMATS.get(m.format, m.format), rules.MODES.get(m.mode, m.mode),
                       m.regular, m.starts_at, m.ends_at, m.place, m.state, rules.STATES.get(m.state, m.state))


def _when(series: MeetingSeries) -> str:
    return rules.describe_series(series.cadence, series.weekday, series.day_of_month, series.start_minute)


def _shown_name(invitation: Invitation, insider: bool) -> str:
    """Seat holders are public; a stakeholder's full name only to people of the community (张*)."""
    if invitation.seat_kind != meetings.STAKEHOLDER or insider or invitation.resident_id is None:
        return invitation.name
    return invitation.name[:1] + '*' * max(len(invitation.name) - 1, 1)


async def _cancel_reason(meeting: Meeting) -> str:
    if meeting.state != 'cancelled':
        return ''
    entry = await AuditEntry.filter(action='meeting.cancelled', target_type='meeting', target_id=meeting.id) \
        .order_by('-at').first()
    return str((entry.data or {}).get('reason') or '') if entry else ''
