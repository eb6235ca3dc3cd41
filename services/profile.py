"""What the 我的 page shows about the signed-in person."""
from __future__ import annotations

from dataclasses import dataclass, field

from domain.people import STATUSES, mask_phone
from domain.permissions import ROLE_LABELS, Principal
from models import Account, Community, Resident, ResidentTag


@dataclass(frozen=True)
class Profile:
    name: str
    phone: str  # masked
    has_pin: bool
    has_password: bool
    elder_mode: bool
    language: str
    resident_id: int | None = None
    community: str = ''
    place: str = ''  # 嘉明花园 1栋 101, or what they typed when registering
    status: str = ''  # pending | verified | left
    status_label: str = ''
    tags: list[str] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)  # (community name, role label)


async def profile(user: Principal) -> Profile | None:
    """None when nobody (or a disabled account) is signed in."""
    account = await Account.get_or_none(id=user.account_id, is_active=True) if user.is_authenticated else None
    if account is None:
        return None
    names = {c.id: c.name for c in await Community.filter(id__in=list(user.roles))}
    roles = [(names.get(c, ''), label) for c, rs in sorted(user.roles.items())
             for role, label in ROLE_LABELS.items() if role in rs and role != 'resident']
    base = dict(name=account.name, phone=mask_phone(account.phone), has_pin=bool(account.pin_hash),
                has_password=bool(account.password_hash), elder_mode=account.elder_mode,
                language=account.language, roles=roles)
    resident = await Resident.get_or_none(id=account.resident_id) \
        .prefetch_related('community', 'household__building__compound') if account.resident_id else None
    if resident is None:
        return Profile(**base)
    household = resident.household
    place = (f'{household.building.compound.name} {household.building.name} {household.room}'
             if household is not None else resident.registered_room or '')
    tags = [row.tag for row in await ResidentTag.filter(resident_id=resident.id).order_by('id')]
    return Profile(**base, resident_id=resident.id, community=resident.community.name, place=place,
                   status=resident.status, status_label=STATUSES.get(resident.status, resident.status), tags=tags)


async def my_resident(user: Principal) -> Resident | None:
    """The signed-in person's own resident record (for the personal code), if they are a resident."""
    if user.resident_id is None:
        return None
    return await Resident.get_or_none(id=user.resident_id)
