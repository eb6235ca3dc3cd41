"""签到, the write side: a volunteer scans a personal code or opens its link, finds someone by name, phone or room,
or a resident taps 签到 on the meeting QR (walk-ins are in services.walkins).

Everything about the scanned code, the person or the time is an *answer* (green checked_in, amber already, red
refused), never an exception, so the scanner can show it and move on. A volunteer's scan carries a client nonce:
the same (account, nonce) again returns the first answer from ScanRecord and changes nothing. One CheckIn per
(meeting, resident), backed by the database, whoever scans and however fast.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import meetings as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import Principal, can
from domain.seats import TEMPLATES, seat_label
from models import CheckIn, Invitation, Meeting, Resident, ScanRecord
from services import accounts, audit, codes, events

SCAN_METHODS = ('scan', 'link', 'search')  # a volunteer's ways; a resident's own are 'self' and 'walk_in'
_NONCE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')

CHECKED_IN = '签到成功'
ALREADY = '已签到 {at}'

# the refusal a stored ScanRecord stands for, to answer a replay the same way (codes of DomainErrors raised below,
# in services.codes.resolve_code and in domain.meetings.check_checkin_time)
_REFUSALS = {
    'token_invalid': '二维码或链接无效，请向社区工作人员索取新的',
    'token_revoked': '这个个人码已作废，请使用新的个人码',
    'wrong_community': '这是其他社区的居民个人码',
    'resident_left': '这位居民已迁出本社区，不能签到',
    'not_personal_code': '这是议事会的签到二维码，请扫居民的个人码',
    'meeting_cancelled': '这次议事会已取消',
    'checkin_not_open': '还没开始签到，请在开会前一小时内签到',
    'meeting_over': '议事会已结束，这次扫码时间 {at} 在会议结束之后，未计入签到',
}


@dataclass(frozen=True)
class ScanAnswer:
    """What the phone shows after a scan, a tap or a search: green, amber or red, big."""
    result: str  # 'checked_in' (green) | 'already' (amber) | 'refused' (red)
    template: str  # Chinese: '签到成功' | '已签到 {at}' | a refusal's DomainError template
    params: dict
    code: str | None = None  # the DomainError code of a refusal
    name: str = ''  # the resident's name (volunteers may see it)
    place: str = ''  # '嘉明花园 3栋 502', '' if none
    seat: str = ''  # the seat they were invited to, '' if not invited
    checked_in_at: datetime | None = None  # the check-in's scan time
    count: int = 0  # checked-in total of the meeting after this scan
    pending: bool = False  # the person is not verified by staff yet (a walk-in, a self-registration)

    @property
    def message(self) -> str:
        return t(self.template, **self.params)

    def as_json(self) -> dict:
        """The body of POST /meetings/{id}/scans: the message already translated, times ISO."""
        return {'result': self.result, 'message': self.message, 'code': self.code, 'name': self.name,
                'place': self.place, 'seat': self.seat, 'count': self.count, 'pending': self.pending,
                'checked_in_at': self.checked_in_at.isoformat() if self.checked_in_at else None}


async def scan_code(actor: Principal, meeting_id: int, token: str, *, nonce: str,
                    scanned_at: datetime | None = None, at: datetime | None = None,
                    method: str = 'scan') -> ScanAnswer:
    """A volunteer scanned (or opened the link of) a personal code at this meeting.

    Errors: bad_nonce, not_found (meeting), forbidden (no checkin.scan in the meeting's community).
    Refusal codes in the answer: meeting_cancelled, checkin_not_open, meeting_over, not_personal_code (the meeting's
    own QR), token_invalid, token_revoked, wrong_community, resident_left.
    """
    at = at or audit.now()
    if method not in SCAN_METHODS:
        raise ValueError(f'unknown scan method {method}')
    check_nonce(nonce)
    meeting = await meeting_for(actor, meeting_id)
    if (first := await _replay(actor.account_id, nonce)) is not None:
        return first
    when = rules.scan_time(scanned_at, at)
    resident = None
    try:
        check_time(meeting, when)
        if codes.is_meeting_token(token):
            raise DomainError('not_personal_code', '这是议事会的签到二维码，请扫居民的个人码')
        resident = await codes.resolve_code(token, community_id=meeting.community_id)
        check_resident(resident)
    except DomainError as e:
        return await refuse(meeting, e, by_account=actor.account_id, nonce=nonce, resident=resident,
                            scanned_at=when, at=at)
    return await check_in(meeting, resident, method=method, by_account=actor.account_id, nonce=nonce,
                          scanned_at=when, at=at)


async def check_in_resident(actor: Principal, meeting_id: int, resident_id: int, *, nonce: str,
                            at: datetime | None = None) -> ScanAnswer:
    """A volunteer found the person by search and tapped 签到. The id comes from the client: it must be of this
    meeting's community.

    Errors: bad_nonce, not_found (meeting or resident), forbidden.
    Refusal codes in the answer: meeting_cancelled, checkin_not_open, meeting_over, resident_left.
    """
    at = at or audit.now()
    check_nonce(nonce)
    meeting = await meeting_for(actor, meeting_id)
    resident = await Resident.get_or_none(id=resident_id, community_id=meeting.community_id) \
        if isinstance(resident_id, int) else None
    if resident is None:
        raise DomainError('not_found', '找不到这位居民')
    if (first := await _replay(actor.account_id, nonce)) is not None:
        return first
    try:
        check_time(meeting, at)
        check_resident(resident)
    except DomainError as e:
        return await refuse(meeting, e, by_account=actor.account_id, nonce=nonce, resident=resident,
                            scanned_at=at, at=at)
    return await check_in(meeting, resident, method='search', by_account=actor.account_id, nonce=nonce,
                          scanned_at=at, at=at)


async def check_in_self(actor: Principal, token: str, *, nonce: str | None = None,
                        at: datetime | None = None) -> ScanAnswer:
    """A signed-in resident scanned the meeting QR (/m/{token}) and tapped 签到; a second tap says 已签到.

    Errors: forbidden (not signed in as a resident), bad_nonce.
    Refusal codes in the answer: token_invalid, token_revoked, meeting_cancelled, checkin_not_open, meeting_over,
    resident_left, wrong_community.
    """
    at = at or audit.now()
    if nonce is not None:
        check_nonce(nonce)
    if not actor.is_authenticated or actor.resident_id is None:
        raise DomainError('forbidden', '请先以居民身份登录')
    try:
        meeting = await codes.resolve_meeting_token(token)
    except DomainError as e:
        return refusal(e)
    if nonce is not None and (first := await _replay(actor.account_id, nonce)) is not None:
        return first
    resident = await Resident.get(id=actor.resident_id)
    try:
        check_time(meeting, at)
        check_resident(resident)
        if resident.community_id != meeting.community_id:
            raise DomainError('wrong_community', '您不是这个社区的居民，请到自己社区的议事会签到')
        accounts.require(actor, 'meeting.checkin_self', meeting.community_id)
    except DomainError as e:
        return await refuse(meeting, e, by_account=actor.account_id, nonce=nonce, resident=None,
                            scanned_at=at, at=at)
    return await check_in(meeting, resident, method='self', by_account=actor.account_id, nonce=nonce,
                          scanned_at=at, at=at)


async def link_check_in(actor: Principal, token: str, meeting_id: object, *,
                        at: datetime | None = None) -> ScanAnswer | None:
    """A volunteer's phone opened a personal code's link (/c/{token}) while their current meeting is `meeting_id`.

    None (nothing happens) unless the actor may check people in at that meeting, the code is of a resident of its
    community and its check-in window is open now. The nonce comes from (meeting, resident), so a reload changes
    nothing and shows the first answer again.
    """
    at = at or audit.now()
    meeting = await Meeting.get_or_none(id=meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None or not can(actor, 'checkin.scan', meeting.community_id) or not window_open(meeting, at):
        return None
    try:
        resident = await codes.resolve_code(token, community_id=meeting.community_id)
    except DomainError:
        return None
    return await scan_code(actor, meeting.id, token, nonce=f'link-m{meeting.id}-r{resident.id}', at=at,
                           method='link')


async def revoke_meeting_qr(actor: Principal, meeting_id: int, *, at: datetime | None = None) -> Meeting:
    """Stop the printed or projected meeting QR working (a photo of it went round a WeChat group).

    Errors: not_found, forbidden.
    """
    meeting = await Meeting.get_or_none(id=meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None:
        raise DomainError('not_found', '找不到这次议事会')
    accounts.require(actor, 'meeting.manage', meeting.community_id)
    async with in_transaction() as conn:
        await Meeting.filter(id=meeting.id).using_db(conn).update(qr_version=meeting.qr_version + 1)
        await audit.record('meeting.qr.revoked', actor_id=actor.account_id, community_id=meeting.community_id,
                           target=meeting, at=at, using_db=conn)
    await meeting.refresh_from_db()
    await events.publish('meeting.updated', community_id=meeting.community_id, meeting_id=meeting.id)
    return meeting


# ---- shared by the ways of checking in ----

def check_nonce(nonce: object) -> None:
    """Errors: bad_nonce."""
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise DomainError('bad_nonce', '签到请求不完整，请刷新页面后重试')


async def meeting_for(actor: Principal, meeting_id: int) -> Meeting:
    """A meeting where the actor may check people in. Errors: not_found, forbidden."""
    meeting = await Meeting.get_or_none(id=meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None:
        raise DomainError('not_found', '找不到这次议事会')
    accounts.require(actor, 'checkin.scan', meeting.community_id)
    return meeting


def check_resident(resident: Resident) -> None:
    """Errors: resident_left (pending residents may check in: walk-ins are pending)."""
    if resident.status == 'left':
        raise DomainError('resident_left', '这位居民已迁出本社区，不能签到')


def check_time(meeting: Meeting, when: datetime) -> None:
    """Errors: meeting_cancelled, checkin_not_open, meeting_over."""
    rules.check_checkin_time(meeting.state, meeting.starts_at, meeting.ends_at, meeting.closed_at, when)


def window_open(meeting: Meeting, at: datetime) -> bool:
    """Whether a check-in made now would count."""
    try:
        check_time(meeting, at)
    except DomainError:
        return False
    return True


async def checked_in_count(meeting_id: int) -> int:
    return await CheckIn.filter(meeting_id=meeting_id).count()


def refusal(e: DomainError, *, count: int = 0, name: str = '') -> ScanAnswer:
    return ScanAnswer('refused', e.template, dict(e.params), code=e.code, count=count, name=name)


async def refuse(meeting: Meeting, e: DomainError, *, by_account: int | None, nonce: str | None,
                 resident: Resident | None, scanned_at: datetime, at: datetime) -> ScanAnswer:
    """A red answer, kept in ScanRecord under the nonce so a replay gets it again."""
    if nonce is not None and by_account is not None:
        try:
            await ScanRecord.create(meeting_id=meeting.id, by_account_id=by_account, nonce=nonce,
                                    resident_id=resident.id if resident else None, result='refused', code=e.code,
                                    scanned_at=scanned_at, received_at=at)
        except IntegrityError:  # the same nonce sent twice at once: the first one's answer stands
            return await _replay(by_account, nonce) or refusal(e)
    name = resident.name if resident is not None and resident.community_id == meeting.community_id else ''
    return refusal(e, count=await checked_in_count(meeting.id), name=name)


async def check_in(meeting: Meeting, resident: Resident, *, method: str, by_account: int | None,
                   nonce: str | None, scanned_at: datetime, at: datetime, template: str = CHECKED_IN,
                   shown_name: str | None = None, private: bool = False) -> ScanAnswer:
    """Insert the CheckIn (and the ScanRecord of the nonce) once; publish the new count.

    `private`: the answer carries only `shown_name` (a walk-in must not learn who else used that phone).
    """
    existing = await CheckIn.get_or_none(meeting_id=meeting.id, resident_id=resident.id)
    if existing is None:
        try:
            async with in_transaction() as conn:
                if nonce is not None and by_account is not None:
                    await ScanRecord.create(meeting_id=meeting.id, by_account_id=by_account, nonce=nonce,
                                            resident_id=resident.id, result='checked_in', scanned_at=scanned_at,
                                            received_at=at, using_db=conn)
                checkin = await CheckIn.create(meeting_id=meeting.id, resident_id=resident.id, method=method,
                                               by_account_id=by_account, scanned_at=scanned_at, created_at=at,
                                               using_db=conn)
                await audit.record('meeting.checkin.created', actor_id=by_account, community_id=meeting.community_id,
                                   target=checkin, data={'meeting_id': meeting.id, 'resident_id': resident.id,
                                                         'method': method}, at=at, using_db=conn)
        except IntegrityError:  # this nonce was answered meanwhile, or someone else checked this person in first
            if nonce is not None and by_account is not None and (first := await _replay(by_account, nonce)):
                return first
            existing = await CheckIn.get(meeting_id=meeting.id, resident_id=resident.id)
        else:
            count = await checked_in_count(meeting.id)
            await events.publish('meeting.checkin.created', community_id=meeting.community_id,
                                 meeting_id=meeting.id, resident_id=resident.id, count=count)
            return await _answer('checked_in', template, {}, meeting, resident, checkin, count=count,
                                 shown_name=shown_name, private=private)
    if nonce is not None and by_account is not None:
        try:
            await ScanRecord.create(meeting_id=meeting.id, by_account_id=by_account, nonce=nonce,
                                    resident_id=resident.id, result='already', scanned_at=scanned_at, received_at=at)
        except IntegrityError:
            if (first := await _replay(by_account, nonce)) is not None:
                return first
    return await _answer('already', ALREADY, {'at': clock(existing.scanned_at)}, meeting, resident, existing,
                         shown_name=shown_name, private=private)


def clock(at: datetime) -> str:
    """19:02 in the community's time zone."""
    return at.astimezone(rules.LOCAL).strftime('%H:%M')


async def _answer(result: str, template: str, params: dict, meeting: Meeting, resident: Resident,
                  checkin: CheckIn, *, count: int | None = None, shown_name: str | None = None,
                  private: bool = False) -> ScanAnswer:
    count = await checked_in_count(meeting.id) if count is None else count
    if private:
        return ScanAnswer(result, template, params, name=shown_name or '', checked_in_at=checkin.scanned_at,
                          count=count)
    await resident.fetch_related('household__building__compound')
    return ScanAnswer(result, template, params, name=resident.name, place=codes.place_of(resident),
                      seat=await seat_of(meeting, resident.id), checked_in_at=checkin.scanned_at, count=count,
                      pending=resident.status == 'pending')


async def seat_of(meeting: Meeting, resident_id: int) -> str:
    """The seat label this resident was invited to ('' if not invited)."""
    invitation = await Invitation.get_or_none(meeting_id=meeting.id, resident_id=resident_id)
    return seat_label_of(meeting, invitation.seat_kind if invitation else None)


def seat_label_of(meeting: Meeting, seat_kind: str | None) -> str:
    if not seat_kind:
        return ''
    return seat_label(meeting.level, seat_kind) if meeting.level in TEMPLATES else seat_kind


async def _replay(account_id: int | None, nonce: str) -> ScanAnswer | None:
    """The first answer given to this (account, nonce), rebuilt from its ScanRecord."""
    if account_id is None:
        return None
    record = await ScanRecord.get_or_none(by_account_id=account_id, nonce=nonce).prefetch_related('meeting')
    if record is None:
        return None
    meeting = record.meeting
    count = await checked_in_count(meeting.id)
    if record.result == 'refused':
        template = _REFUSALS.get(record.code or '', '这次扫码未计入签到')
        params = {'at': record.scanned_at.astimezone(rules.LOCAL).strftime('%m-%d %H:%M')} \
            if record.code == 'meeting_over' else {}
        resident = await Resident.get_or_none(id=record.resident_id) if record.resident_id else None
        name = resident.name if resident is not None and resident.community_id == meeting.community_id else ''
        return ScanAnswer('refused', template, params, code=record.code, count=count, name=name)
    resident = await Resident.get_or_none(id=record.resident_id) if record.resident_id else None
    checkin = await CheckIn.get_or_none(meeting_id=meeting.id, resident_id=resident.id) if resident else None
    if resident is None or checkin is None:  # the person was deleted since: the answer stands, the details are gone
        return ScanAnswer(record.result, CHECKED_IN if record.result == 'checked_in' else ALREADY,
                          {} if record.result == 'checked_in' else {'at': clock(record.scanned_at)}, count=count)
    if record.result == 'checked_in':
        return await _answer('checked_in', CHECKED_IN, {}, meeting, resident, checkin, count=count)
    return await _answer('already', ALREADY, {'at': clock(checkin.scanned_at)}, meeting, resident, checkin,
                         count=count)
