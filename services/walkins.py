"""Walk-ins (我是第一次来): someone not yet registered scans the meeting QR, types name, phone and room, and is
checked in as a *pending* resident that staff verify later in the pending list (/admin/pending).

A phone already known in the community is that resident: they are checked in, nobody new is made, and the answer
tells the person at the door nothing about whoever the phone belongs to beyond the name they typed.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.people import MAX_NAME, clean_text, normalize_phone
from models import Meeting, Resident
from services import audit, checkins, codes, events
from services.checkins import ScanAnswer

MAX_ROOM = 40  # '嘉明花园 3栋 2单元502' typed freely
KNOWN = '已有登记，签到成功'


async def register_walk_in(token: str, *, name: str, phone: object, room_text: str,
                           at: datetime | None = None) -> ScanAnswer:
    """Register a pending resident of the meeting's community and check them in (method 'walk_in').

    Errors (bad input, nothing changes): invalid_name, invalid_phone, invalid_room.
    Refusal codes in the answer: token_invalid, token_revoked, meeting_cancelled, checkin_not_open, meeting_over,
    resident_left.
    """
    at = at or audit.now()
    name = _text(name, MAX_NAME, 'invalid_name', '请填写姓名')
    try:
        phone = normalize_phone(phone)
    except ValueError as e:
        raise DomainError('invalid_phone', '手机号应为 11 位数字，以 1 开头') from e
    room = _text(room_text, MAX_ROOM, 'invalid_room', '请填写房号，例如 3栋502')
    try:
        meeting = await codes.resolve_meeting_token(token)
        checkins.check_time(meeting, at)
    except DomainError as e:
        return checkins.refusal(e)
    resident = await Resident.get_or_none(community_id=meeting.community_id, phone=phone)
    created = False
    if resident is None:
        try:
            resident = await _create(meeting, name=name, phone=phone, room=room, at=at)
            created = True
        except IntegrityError:  # the same phone sent twice at once: the first registration stands
            resident = await Resident.get(community_id=meeting.community_id, phone=phone)
    if resident.status == 'left':
        return checkins.refusal(DomainError('resident_left', '这个手机号登记的居民已迁出，请联系社区工作人员'),
                                count=await checkins.checked_in_count(meeting.id))
    if created:
        await events.publish('resident.registered', community_id=meeting.community_id, resident_id=resident.id)
    answer = await checkins.check_in(meeting, resident, method='walk_in', by_account=None, nonce=None,
                                     scanned_at=at, at=at, template=checkins.CHECKED_IN if created else KNOWN,
                                     shown_name=name, private=True)
    return replace(answer, pending=created)  # the newcomer waits for staff; a known phone's status stays private


async def _create(meeting: Meeting, *, name: str, phone: str, room: str, at: datetime) -> Resident:
    async with in_transaction() as conn:
        resident = await Resident.create(community_id=meeting.community_id, name=name, phone=phone,
                                         status='pending', registered_room=room, using_db=conn)
        await audit.record('resident.walk_in_registered', actor_id=None, community_id=meeting.community_id,
                           target=resident, data={'meeting_id': meeting.id, 'room': room}, at=at, using_db=conn)
    return resident


def _text(value: object, max_len: int, code: str, missing: str) -> str:
    try:
        text = clean_text(value, max_len=max_len)
    except ValueError as e:
        raise DomainError(code, str(e)) from e
    if not text:
        raise DomainError(code, missing)
    return text
