"""民事民议: schedule a meeting (议事会, 小板凳、大民生) with an agenda of triaged issues and invitees by seat
(4+N / 5+N), remind the invitees in the app, and start, close or cancel it (series: services.meeting_series).

An issue put on the agenda moves on to 协商中 in the same transaction as the meeting, with the meeting named on its
timeline (services.issues.record_move), so a meeting never exists without its issues' timelines saying so.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from domain import lifecycle
from domain import meetings as rules
from domain.errors import DomainError
from domain.people import MAX_NAME
from domain.people import checked_text as _text
from domain.permissions import Principal
from domain.seats import TEMPLATES
from models import (
    Account,
    AgendaItem,
    Compound,
    Council,
    Invitation,
    Issue,
    Meeting,
    Notification,
    Resident,
    Seat,
)
from services import accounts, audit, events, issues

MAX_TITLE = 60
MAX_PLACE = 80
MAX_ORGANISATION = 60
MAX_REASON = 500
MAX_AGENDA = 20
MAX_STAKEHOLDERS = 50
LONGEST = timedelta(hours=12)  # a meeting longer than this is a typing error
LATE_ENTRY = timedelta(days=1)  # a meeting held yesterday may still be recorded
REMIND_BEFORE = timedelta(days=1)  # the second notice: the day before
AGENDA_STATES = ('triaged', 'deliberating')  # sorted by the 两委 joint meeting (urgent accepted issues too)
STAKEHOLDER = 'stakeholder'

Stakeholder = int | tuple[str, str | None]  # a resident id, or (name, organisation) of someone off the roster


async def create_meeting(actor: Principal, community_id: int, *, title: str, format: str, mode: str, regular: bool,
                         level: str, council_id: int | None = None, compound_id: int | None = None, place: str,
                         starts_at: datetime, ends_at: datetime, issue_ids: Iterable[int] = (),
                         agenda_titles: Iterable[str] = (), stakeholders: Iterable[Stakeholder] = (),
                         at: datetime | None = None) -> Meeting:
    """Schedule a meeting: agenda from triaged issues and free items, invitations for the council's seats and the
    N stakeholders; invitees with an account are told in the app; issues on the agenda move on to 协商中.

    Errors: forbidden, invalid_title, invalid_format, invalid_mode, invalid_level, invalid_council, council_mismatch,
    invalid_compound, invalid_place, invalid_time, in_the_past, too_long, agenda_too_long, invalid_agenda, not_found,
    not_triaged, invalid_stakeholder, too_many_stakeholders.
    """
    at = at or audit.now()
    accounts.require(actor, 'meeting.manage', community_id)
    shape = await _shape(community_id, title=title, format=format, mode=mode, level=level, council_id=council_id,
                         compound_id=compound_id, place=place)
    starts_at, ends_at = _times(starts_at, ends_at, at)
    agenda = await _agenda(community_id, list(issue_ids), list(agenda_titles))
    guests = await _stakeholders(community_id, list(stakeholders))
    reminded = at if starts_at - at <= REMIND_BEFORE else None  # the invitation itself is the reminder
    async with in_transaction() as conn:
        meeting = await Meeting.create(community_id=community_id, regular=bool(regular), starts_at=starts_at,
                                       ends_at=ends_at, created_by_id=actor.account_id, created_at=at, updated_at=at,
                                       using_db=conn, **shape)
        for position, (issue, line) in enumerate(agenda):
            await AgendaItem.create(meeting=meeting, issue=issue, title=line, position=position, using_db=conn)
        invited = await invite(meeting, guests, notified_at=reminded, conn=conn)
        moved = [await _deliberate(actor, issue, meeting, at, conn) for issue, _ in agenda if issue is not None]
        await _notify(invited, _invitation_text(meeting), meeting, at, conn)
        await audit.record('meeting.created', actor_id=actor.account_id, community_id=community_id, target=meeting,
                           data={'title': meeting.title, 'starts_at': starts_at.isoformat(), 'level': meeting.level,
                                 'council_id': meeting.council_id, 'issues': [i.id for i, _ in agenda if i],
                                 'invited': len(invited)}, at=at, using_db=conn)
    for issue in filter(None, moved):
        await events.publish('issue.moved', community_id=community_id, issue_id=issue.id, state=issue.state)
    await events.publish('meeting.created', community_id=community_id, meeting_id=meeting.id)
    return meeting


async def add_to_agenda(actor: Principal, meeting_id: int, *, issue_ids: Iterable[int] = (),
                        agenda_titles: Iterable[str] = (), stakeholders: Iterable[Stakeholder] = (),
                        at: datetime | None = None) -> Meeting:
    """More items and stakeholders for a meeting not yet over (a 周周碰 is planned with an empty agenda).

    An issue already on the agenda and a person already invited are left as they are; new invitees are told.
    Errors: not_found, forbidden, not_editable, and the agenda and stakeholder errors of create_meeting.
    """
    at = at or audit.now()
    meeting = await _meeting(meeting_id)
    accounts.require(actor, 'meeting.manage', meeting)
    if meeting.state not in ('scheduled', 'open'):
        raise DomainError('not_editable', '议事会已结束或已取消，不能再改议程')
    on_agenda = set(await AgendaItem.filter(meeting_id=meeting.id).values_list('issue_id', flat=True))
    agenda = [(i, line) for i, line in await _agenda(meeting.community_id, [i for i in issue_ids if i not in on_agenda],
                                                      list(agenda_titles)) if i is None or i.id not in on_agenda]
    invited = set(await Invitation.filter(meeting_id=meeting.id).exclude(resident_id=None)
                  .values_list('resident_id', flat=True))
    guests = []
    for guest in await _stakeholders(meeting.community_id, list(stakeholders)):
        if guest[0] is None or guest[0] not in invited:
            guests.append(guest)
            invited.add(guest[0])
    if len(on_agenda) + len(agenda) > MAX_AGENDA:
        raise DomainError('agenda_too_long', '一次议事会最多 {n} 项议程', n=MAX_AGENDA)
    async with in_transaction() as conn:
        last = await AgendaItem.filter(meeting_id=meeting.id).using_db(conn).order_by('-position').first()
        start_at = last.position + 1 if last else 0
        for position, (issue, line) in enumerate(agenda, start=start_at):
            await AgendaItem.create(meeting=meeting, issue=issue, title=line, position=position, using_db=conn)
        new = [Invitation(meeting_id=meeting.id, seat_kind=STAKEHOLDER, resident_id=r, name=name, organisation=org,
                          notified_at=at if meeting.starts_at - at <= REMIND_BEFORE else None)
               for r, name, org in guests]
        if new:
            await Invitation.bulk_create(new, using_db=conn)
        moved = [await _deliberate(actor, issue, meeting, at, conn) for issue, _ in agenda if issue is not None]
        await _notify(new, _invitation_text(meeting), meeting, at, conn)
        await audit.record('meeting.agenda_changed', actor_id=actor.account_id, community_id=meeting.community_id,
                           target=meeting, data={'issues': [i.id for i, _ in agenda if i],
                                                 'titles': [line for i, line in agenda if i is None],
                                                 'invited': [name for _, name, _ in guests]}, at=at, using_db=conn)
    for issue in filter(None, moved):
        await events.publish('issue.moved', community_id=meeting.community_id, issue_id=issue.id, state=issue.state)
    await events.publish('meeting.updated', community_id=meeting.community_id, meeting_id=meeting.id,
                         state=meeting.state)
    return meeting


async def start(actor: Principal, meeting_id: int, *, at: datetime | None = None) -> Meeting:
    """开始: the meeting is under way. Errors: not_found, forbidden, bad_move, changed_meanwhile."""
    return await _move(actor, meeting_id, 'open', at=at)


async def close(actor: Principal, meeting_id: int, *, at: datetime | None = None) -> Meeting:
    """结束: sets closed_at, which also ends check-in. Errors: not_found, forbidden, bad_move, changed_meanwhile."""
    return await _move(actor, meeting_id, 'closed', at=at)


async def cancel(actor: Principal, meeting_id: int, reason: str, *, at: datetime | None = None) -> Meeting:
    """取消 with a reason the invitees read in the app.

    Errors: not_found, forbidden, reason_required, invalid_reason, bad_move, changed_meanwhile.
    """
    reason = _text(reason, MAX_REASON, 'invalid_reason', '理由')
    if not reason:
        raise DomainError('reason_required', '取消议事会需要写明原因')
    return await _move(actor, meeting_id, 'cancelled', reason=reason, at=at)


async def send_reminders(*, at: datetime | None = None) -> int:
    """The day-before notice to every invitee with an account, once each (a periodic task calls this).

    Meetings starting within REMIND_BEFORE and still scheduled; `notified_at` marks who was reminded, set by a
    conditional update, so two runs at once remind nobody twice. Returns how many notices were sent.
    """
    at = at or audit.now()
    local = db_time(at)
    due = await Meeting.filter(state='scheduled', starts_at__gt=local, starts_at__lte=local + REMIND_BEFORE,
                               invitations__notified_at__isnull=True).distinct()
    sent = 0
    for meeting in due:
        async with in_transaction() as conn:
            pending = await Invitation.filter(meeting_id=meeting.id, notified_at=None).using_db(conn)
            won = [i for i in pending
                   if await Invitation.filter(id=i.id, notified_at=None).using_db(conn).update(notified_at=at)]
            sent += await _notify(won, _reminder_text(meeting), meeting, at, conn)
    return sent


# ---- shared with services.meeting_series ----

async def invite(meeting: Meeting, guests: Sequence[tuple[int | None, str, str | None]], *,
                 notified_at: datetime | None, conn) -> list[Invitation]:
    """One invitation per filled seat of the meeting's council, then the stakeholders; a person is invited once."""
    rows: list[Invitation] = []
    seen: set[int] = set()
    seats = await Seat.filter(council_id=meeting.council_id).using_db(conn).order_by('id') \
        if meeting.council_id else []
    wanted = [(s.kind, s.resident_id, s.holder_name, s.organisation) for s in seats] \
        + [(STAKEHOLDER, r, name, org) for r, name, org in guests]
    for kind, resident_id, name, organisation in wanted:
        if resident_id is not None:
            if resident_id in seen:
                continue
            seen.add(resident_id)
        elif any(r.resident_id is None and r.name == name and r.seat_kind == kind for r in rows):
            continue
        rows.append(Invitation(meeting_id=meeting.id, seat_kind=kind, resident_id=resident_id, name=name,
                               organisation=organisation, notified_at=notified_at))
    if rows:
        await Invitation.bulk_create(rows, using_db=conn)
    return rows


async def check_shape(community_id: int, **fields: object) -> dict:
    """Validate the fields a meeting and a series share (title, format, mode, level, council, compound, place)."""
    return await _shape(community_id, **fields)  # type: ignore[arg-type]


def db_time(value: datetime) -> datetime:
    """A moment as the database stores it (local time): SQLite compares the stored text, offsets and all."""
    return value.astimezone(rules.LOCAL)


def local_text(value: datetime) -> str:
    """'6月2日 19:00' in local time, as notices say it."""
    value = value.astimezone(rules.LOCAL)
    return f'{value.month}月{value.day}日 {value:%H:%M}'


# ---- helpers ----

async def _shape(community_id: int, *, title: str, format: str, mode: str, level: str, council_id: int | None,
                 compound_id: int | None, place: str) -> dict:
    clean_title = _text(title, MAX_TITLE, 'invalid_title', '标题')
    if len(clean_title) < 2:
        raise DomainError('invalid_title', '请写上议事会的名称（至少 2 个字）')
    if format not in rules.FORMATS:
        raise DomainError('invalid_format', '请选择会议协商或一线协商')
    if mode not in rules.MODES:
        raise DomainError('invalid_mode', '请选择线下、线上或线上线下')
    if level not in TEMPLATES:
        raise DomainError('invalid_level', '请选择议事层级')
    council = None
    if council_id is not None:
        council = await Council.get_or_none(id=council_id, community_id=community_id)
        if council is None:
            raise DomainError('invalid_council', '请选择本社区的议事会')
        if council.level != level:
            raise DomainError('council_mismatch', '{council}是“{template}”，与所选议事层级不一致',
                              council=council.name, template=TEMPLATES[council.level][0])
    if compound_id is None and council is not None:
        compound_id = council.compound_id
    if compound_id is not None and not await Compound.exists(id=compound_id, community_id=community_id):
        raise DomainError('invalid_compound', '请选择本社区的小区')
    clean_place = _text(place, MAX_PLACE, 'invalid_place', '地点')
    if not clean_place:
        raise DomainError('invalid_place', '请填写开会地点')
    return dict(title=clean_title, format=format, mode=mode, level=level, council_id=council_id,
                compound_id=compound_id, place=clean_place)


def _times(starts_at: datetime, ends_at: datetime, at: datetime) -> tuple[datetime, datetime]:
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise DomainError('invalid_time', '请选择开会的日期和时间')
    starts_at, ends_at = (v if v.tzinfo else v.replace(tzinfo=rules.LOCAL) for v in (starts_at, ends_at))
    if ends_at <= starts_at:
        raise DomainError('invalid_time', '结束时间要晚于开始时间')
    if ends_at - starts_at > LONGEST:
        raise DomainError('too_long', '一次议事会最长 12 小时，请检查结束时间')
    if starts_at < at - LATE_ENTRY:
        raise DomainError('in_the_past', '开会时间已经过去了，请选择今天或以后的时间')
    return starts_at, ends_at


async def _agenda(community_id: int, issue_ids: list[int], titles: list[str]) -> list[tuple[Issue | None, str]]:
    lines: list[tuple[Issue | None, str]] = []
    for issue_id in dict.fromkeys(issue_ids):  # the same issue ticked twice is one item
        issue = await Issue.get_or_none(id=issue_id, community_id=community_id, kind='issue')
        if issue is None:
            raise DomainError('not_found', '找不到这条议题')
        if not agenda_ready(issue):
            raise DomainError('not_triaged', '《{title}》现在是“{state}”，只有分流后的议题可以上会',
                              title=issue.title, state=lifecycle.label(issue.state))
        lines.append((issue, issue.title))
    for raw in titles:
        line = _text(raw, MAX_TITLE, 'invalid_agenda', '议程')
        if line:
            lines.append((None, line))
    if len(lines) > MAX_AGENDA:
        raise DomainError('agenda_too_long', '一次议事会最多 {n} 项议程', n=MAX_AGENDA)
    return lines


def agenda_ready(issue: Issue) -> bool:
    """Triaged for a council (小事/微事), already in deliberation, or urgent (紧急事项要立即组织协商)."""
    return issue.kind == 'issue' and (issue.state in AGENDA_STATES or (issue.state == 'accepted' and issue.urgent))


async def _stakeholders(community_id: int, given: list[Stakeholder]) -> list[tuple[int | None, str, str | None]]:
    if len(given) > MAX_STAKEHOLDERS:
        raise DomainError('too_many_stakeholders', '利益相关方最多 {n} 位', n=MAX_STAKEHOLDERS)
    found: list[tuple[int | None, str, str | None]] = []
    for item in given:
        if isinstance(item, int) and not isinstance(item, bool):
            resident = await Resident.get_or_none(id=item, community_id=community_id)
            if resident is None or resident.status == 'left':
                raise DomainError('invalid_stakeholder', '请选择本社区在册的居民')
            found.append((resident.id, resident.name, None))
            continue
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise DomainError('invalid_stakeholder', '请选择居民，或填写利益相关方的姓名')
        name = _text(item[0], MAX_NAME, 'invalid_stakeholder', '姓名')
        if not name:
            raise DomainError('invalid_stakeholder', '请选择居民，或填写利益相关方的姓名')
        found.append((None, name, _text(item[1], MAX_ORGANISATION, 'invalid_stakeholder', '单位名称') or None))
    return found


async def _deliberate(actor: Principal, issue: Issue, meeting: Meeting, at: datetime, conn) -> Issue | None:
    """Move an issue on the agenda to 协商中 (unless it is already there), naming the meeting on its timeline."""
    if issue.state == 'deliberating':
        return None
    lifecycle.check_transition('issue', issue.state, 'deliberating', roles=issues.roles_for(actor, issue),
                               reason=None)
    changed = await Issue.filter(id=issue.id, state=issue.state).using_db(conn) \
        .update(state='deliberating', updated_at=at)
    if not changed:
        raise DomainError('changed_meanwhile', '这条记录刚被别人处理过，请刷新后再试')
    reason = f'列入议事会“{meeting.title}”（{local_text(meeting.starts_at)}，{meeting.place}）议程'
    await issues.record_move(issue, issue.state, 'deliberating', actor=actor.account_id, reason=reason, at=at,
                             conn=conn)
    issue.state = 'deliberating'
    return issue


async def _notify(invited: Sequence[Invitation], text: str, meeting: Meeting, at: datetime, conn) -> int:
    """An in-app notice to each invitee who has an account; returns how many."""
    resident_ids = [i.resident_id for i in invited if i.resident_id is not None]
    if not resident_ids:
        return 0
    targets = await Account.filter(resident_id__in=resident_ids, is_active=True).using_db(conn) \
        .values_list('id', flat=True)
    await Notification.bulk_create([Notification(account_id=a, at=at, text=text[:200], meeting_id=meeting.id)
                                    for a in targets], using_db=conn)
    return len(targets)


def _invitation_text(meeting: Meeting) -> str:
    return f'您受邀参加议事会“{meeting.title}”，{local_text(meeting.starts_at)}，{meeting.place}'


def _reminder_text(meeting: Meeting) -> str:
    return f'提醒：议事会“{meeting.title}”将于{local_text(meeting.starts_at)}在{meeting.place}召开'


async def _move(actor: Principal, meeting_id: int, target: str, *, reason: str | None = None,
                at: datetime | None = None) -> Meeting:
    at = at or audit.now()
    meeting = await _meeting(meeting_id)
    accounts.require(actor, 'meeting.manage', meeting)
    rules.check_move(meeting.state, target)
    extra = {'closed_at': at} if target == 'closed' else {}
    async with in_transaction() as conn:
        changed = await Meeting.filter(id=meeting.id, state=meeting.state).using_db(conn) \
            .update(state=target, updated_at=at, **extra)
        if not changed:
            raise DomainError('changed_meanwhile', '这次议事会刚被别人处理过，请刷新后再试')
        if target == 'cancelled':
            invited = await Invitation.filter(meeting_id=meeting.id).using_db(conn)
            await _notify(invited, f'议事会“{meeting.title}”（{local_text(meeting.starts_at)}）已取消：{reason}',
                          meeting, at, conn)
        await audit.record(f'meeting.{_VERBS[target]}', actor_id=actor.account_id, community_id=meeting.community_id,
                           target=meeting, data={'from': meeting.state, 'to': target, 'reason': reason}, at=at,
                           using_db=conn)
    await events.publish('meeting.updated', community_id=meeting.community_id, meeting_id=meeting.id, state=target)
    return await Meeting.get(id=meeting.id)


async def _meeting(meeting_id: int) -> Meeting:
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None:
        raise DomainError('not_found', '找不到这次议事会')
    return meeting


_VERBS = {'open': 'started', 'closed': 'closed', 'cancelled': 'cancelled'}
