"""Signed tokens behind the QR codes: the personal code, the sign-in link and the self-registration poster.

A token carries a version number; bumping the version on the row revokes every token made before.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import tokens
from domain.errors import DomainError
from domain.permissions import Principal
from domain.rooms import natural_key
from models import Building, Community, Meeting, Resident
from services import accounts, audit, config, events


def public_base(request_base: str = '') -> str:
    """Where printed QR codes point: PUBLIC_URL when set, else the address this request came in on."""
    return (config.current().public_url or request_base).rstrip('/')


def _secret() -> str:
    return config.current().secret


def _revoked(message: str) -> DomainError:
    return DomainError('token_revoked', message)


# ---- personal code: {'r': resident, 'c': community, 'v': code_version} ----

def personal_code(resident: Resident) -> str:
    """The token in a resident's personal QR (never a bare id)."""
    return tokens.sign(_secret(), 'code', {'r': resident.id, 'c': resident.community_id, 'v': resident.code_version})


def personal_code_url(resident: Resident, base: str) -> str:
    return f'{base}/c/{personal_code(resident)}'


async def resolve_code(token: str, *, community_id: int | None = None) -> Resident:
    """The resident a scanned personal code belongs to.

    Errors: token_invalid (tampered or unknown), token_revoked (a newer code was issued), wrong_community.
    """
    payload = tokens.verify(_secret(), 'code', token)
    resident_id, version = payload.get('r'), payload.get('v')
    resident = await Resident.get_or_none(id=resident_id) if isinstance(resident_id, int) else None
    if resident is None or payload.get('c') != resident.community_id:
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    if version != resident.code_version:
        raise _revoked('这个个人码已作废，请使用新的个人码')
    if community_id is not None and resident.community_id != community_id:
        raise DomainError('wrong_community', '这是其他社区的居民个人码')
    return resident


async def revoke_code(actor: Principal, resident_id: int, *, at: datetime | None = None) -> Resident:
    """Make every earlier personal code (on a phone or a printed card) stop working.

    Errors: not_found, forbidden.
    """
    resident = await resident_for(actor, 'resident.revoke_code', resident_id)
    async with in_transaction() as conn:
        await Resident.filter(id=resident.id).using_db(conn).update(code_version=F('code_version') + 1)
        await audit.record('resident.code.revoked', actor_id=actor.account_id, community_id=resident.community_id,
                           target=resident, at=at, using_db=conn)
    await resident.refresh_from_db()
    await events.publish('resident.code.revoked', community_id=resident.community_id, resident_id=resident.id)
    return resident


# ---- sign-in link: {'r': resident, 'v': login_version, 'exp': unix time} ----

def login_token(resident: Resident, *, at: datetime) -> str:
    return login_token_for(resident.id, resident.login_version, at=at)


def login_token_for(resident_id: int, login_version: int, *, at: datetime) -> str:
    """The signed sign-in link token of this resident at this link version, valid for 14 days from `at`."""
    expires = int((at + tokens.LOGIN_LINK_LIFETIME).timestamp())
    return tokens.sign(_secret(), 'login', {'r': resident_id, 'v': login_version, 'exp': expires})


async def login_link_resident(token: str, *, at: datetime) -> tuple[Resident, int]:
    """The resident a sign-in link is for and the version it carries, without using it up.

    Errors: token_invalid, token_expired, token_revoked, resident_left.
    """
    payload = tokens.verify(_secret(), 'login', token, at=at)
    resident_id, version = payload.get('r'), payload.get('v')
    resident = await Resident.get_or_none(id=resident_id) if isinstance(resident_id, int) else None
    if resident is None or not isinstance(version, int) or 'exp' not in payload:
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    if version != resident.login_version:
        raise _revoked('这个登录链接已用过或已作废，请向社区工作人员索取新的')
    if resident.status == 'left':
        raise DomainError('resident_left', '您已迁出本社区，如有疑问请联系社区工作人员')
    return resident, version


# ---- self-registration poster: {'c': community, 'v': join_version} ----

def join_token(community: Community) -> str:
    """The token on the community's printed self-registration poster."""
    return tokens.sign(_secret(), 'join', {'c': community.id, 'v': community.join_version})


async def join_community(token: str) -> Community:
    """The community a self-registration QR belongs to. Errors: token_invalid, token_revoked."""
    payload = tokens.verify(_secret(), 'join', token)
    community_id = payload.get('c')
    community = await Community.get_or_none(id=community_id) if isinstance(community_id, int) else None
    if community is None:
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    if payload.get('v') != community.join_version:
        raise _revoked('这个登记二维码已停用，请扫描社区最新张贴的二维码')
    return community


async def revoke_join(actor: Principal, community_id: int, *, at: datetime | None = None) -> Community:
    """Stop the printed self-registration posters working (e.g. one was posted in the wrong place).

    Errors: not_found, forbidden.
    """
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    accounts.require(actor, 'community.join_qr', community.id)
    async with in_transaction() as conn:
        await Community.filter(id=community.id).using_db(conn).update(join_version=F('join_version') + 1)
        await audit.record('community.join_qr.revoked', actor_id=actor.account_id, community_id=community.id,
                           target=community, at=at, using_db=conn)
    await community.refresh_from_db()
    await events.publish('community.join_qr.revoked', community_id=community.id)
    return community


# ---- meeting check-in QR (poster, projector): {'m': meeting, 'c': community, 'v': qr_version} ----

def meeting_token(meeting: Meeting) -> str:
    """The token in a meeting's printed or projected check-in QR."""
    return tokens.sign(_secret(), 'meeting', {'m': meeting.id, 'c': meeting.community_id, 'v': meeting.qr_version})


def meeting_url(meeting: Meeting, base: str) -> str:
    return f'{base}/m/{meeting_token(meeting)}'


def is_meeting_token(token: str) -> bool:
    """A genuine meeting check-in QR (a volunteer's camera caught the poster instead of a personal code)."""
    try:
        tokens.verify(_secret(), 'meeting', token)
    except DomainError:
        return False
    return True


async def resolve_meeting_token(token: str) -> Meeting:
    """The meeting a scanned check-in QR belongs to. Errors: token_invalid, token_revoked."""
    payload = tokens.verify(_secret(), 'meeting', token)
    meeting_id = payload.get('m')
    meeting = await Meeting.get_or_none(id=meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None or payload.get('c') != meeting.community_id:
        raise DomainError('token_invalid', '二维码或链接无效，请向社区工作人员索取新的')
    if payload.get('v') != meeting.qr_version:
        raise _revoked('这个签到二维码已作废，请扫描现场最新的签到二维码')
    return meeting


# ---- queries for the code pages ----

async def community_by_id(community_id: int) -> Community:
    """Errors: not_found."""
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError('not_found', '找不到这个社区')
    return community


async def resident_for(actor: Principal, action: str, resident_id: int) -> Resident:
    """A resident the actor may do `action` on. Errors: not_found, forbidden."""
    resident = await Resident.get_or_none(id=resident_id)
    if resident is None:
        raise DomainError('not_found', '找不到这位居民')
    accounts.require(actor, action, resident)
    return resident


@dataclass(frozen=True)
class Card:
    name: str
    place: str  # 嘉明花园 1栋 101, for handing the card to the right door
    token: str


@dataclass(frozen=True)
class CardSheet:
    title: str
    community: str
    cards: list[Card]


async def card_sheet(actor: Principal, *, resident_id: int | None = None, building_id: int | None = None) -> CardSheet:
    """Printable personal-code cards for one resident or everyone living in one building.

    Errors: not_found, forbidden.
    """
    if resident_id is not None:
        resident = await resident_for(actor, 'resident.print_card', resident_id)
        query, title, community_id = Resident.filter(id=resident.id), resident.name, resident.community_id
    else:
        building = await Building.get_or_none(id=building_id).prefetch_related('compound') \
            if building_id is not None else None
        if building is None:
            raise DomainError('not_found', '找不到这栋楼')
        community_id = building.compound.community_id
        accounts.require(actor, 'resident.print_card', community_id)
        query = Resident.filter(household__building_id=building.id).exclude(status='left')
        title = f'{building.compound.name} {building.name}'
    residents = await query.prefetch_related('household__building__compound')
    community = await Community.get(id=community_id)
    cards = sorted((Card(name=r.name, place=_place(r), token=personal_code(r)) for r in residents),
                   key=lambda card: (natural_key(card.place), card.name))
    return CardSheet(title=title, community=community.name, cards=cards)


async def code_card(resident: Resident) -> Card:
    """Name and address behind a scanned code (callers check who may see it)."""
    await resident.fetch_related('household__building__compound')
    return Card(name=resident.name, place=_place(resident), token=personal_code(resident))


def place_of(resident: Resident) -> str:
    """'嘉明花园 3栋 502', or the room the resident typed (needs household__building__compound fetched)."""
    return _place(resident)


def _place(resident: Resident) -> str:
    household = resident.household
    if household is None:
        return resident.registered_room or ''
    return f'{household.building.compound.name} {household.building.name} {household.room}'
