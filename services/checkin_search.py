"""Search check-in (/meetings/{id}/checkin): a volunteer finds the person by name, phone or room; phones masked."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from domain.people import mask_phone
from domain.permissions import Principal
from domain.rooms import parse_place
from models import CheckIn, Compound, Invitation, Resident
from services import codes
from services.checkins import meeting_for, seat_label_of

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Candidate:
    """One person a volunteer's search found: enough to tell them apart at the door, the phone masked."""
    resident_id: int
    name: str
    place: str
    phone: str  # 138****5678
    seat: str
    checked_in_at: datetime | None
    pending: bool


async def search(actor: Principal, meeting_id: int, query: str) -> list[Candidate]:
    """Residents of the meeting's community by name, phone (all 11 digits or the last 4) or room ('3栋502', '502').

    Errors: not_found, forbidden.
    """
    meeting = await meeting_for(actor, meeting_id)
    text = (query or '').strip()[:40]
    if not text:
        return []
    condition = Q(name__icontains=text) | Q(registered_room__icontains=text) | Q(household__room=text)
    digits = re.sub(r'[\s\-]', '', text)
    if digits.isdigit() and len(digits) == 11:
        condition |= Q(phone=digits)
    elif digits.isdigit() and len(digits) == 4:
        condition |= Q(phone__endswith=digits)
    compounds = list(await Compound.filter(community_id=meeting.community_id).values_list('name', flat=True))
    typed = parse_place(text, compounds)
    if typed.building and typed.room:
        place = Q(household__building__name=typed.building, household__room=typed.room)
        if typed.compound:
            place &= Q(household__building__compound__name=typed.compound)
        condition |= place
    found = await Resident.filter(condition, community_id=meeting.community_id).exclude(status='left') \
        .order_by('name', 'id').limit(SEARCH_LIMIT).prefetch_related('household__building__compound')
    ids = [r.id for r in found]
    times = dict(await CheckIn.filter(meeting_id=meeting.id, resident_id__in=ids)
                 .values_list('resident_id', 'scanned_at'))
    seats = dict(await Invitation.filter(meeting_id=meeting.id, resident_id__in=ids)
                 .values_list('resident_id', 'seat_kind'))
    return [Candidate(r.id, r.name, codes.place_of(r), mask_phone(r.phone), seat_label_of(meeting, seats.get(r.id)),
                      times.get(r.id), r.status == 'pending') for r in found]
