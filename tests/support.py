"""Shared test helpers: small factories on the real database and signing a simulated user in.

Append only (several people add to it). Factories go through models directly because they set up the
world a test starts from; the behaviour under test always goes through services and pages.
"""
from __future__ import annotations

import itertools
from decimal import Decimal

from nicegui import app
from nicegui.testing import User

from models import Account, Building, Community, Compound, Household, Resident, RoleGrant, Street
from services import accounts
from services.passwords import hash_secret

_phones = itertools.count(13800000001)


def next_phone() -> str:
    return str(next(_phones))


async def make_community(name: str = '船柴社区', street: str = '西陵街道', kind: str = 'urban') -> Community:
    street_row, _ = await Street.get_or_create(name=street)
    return await Community.create(street=street_row, name=name, kind=kind)


async def make_household(community: Community, *, compound: str = '嘉明花园', building: str = '1栋',
                         room: str = '101', area: str = '89.50', occupancy: str = 'owner') -> Household:
    compound_row, _ = await Compound.get_or_create(community=community, name=compound)
    building_row, _ = await Building.get_or_create(compound=compound_row, name=building)
    return await Household.create(building=building_row, room=room, area_m2=Decimal(area), occupancy=occupancy)


async def make_resident(community: Community, *, name: str = '张桂兰', household: Household | None = None,
                        phone: str | None = None, status: str = 'verified', birth_year: int = 1956,
                        relation: str = 'owner') -> Resident:
    return await Resident.create(community=community, household=household, name=name,
                                 phone=phone or next_phone(), status=status, birth_year=birth_year,
                                 relation=relation)


async def make_account(community: Community, *roles: str, name: str = '王丽', phone: str | None = None,
                       password: str | None = 'correct horse 42', resident: Resident | None = None) -> Account:
    """An account with `roles` in `community` (a resident account needs `resident=`, no role row)."""
    account = await Account.create(name=name, phone=phone or (resident.phone if resident else next_phone()),
                                   password_hash=hash_secret(password) if password else None, resident=resident)
    for role in roles:
        await RoleGrant.create(account=account, community=community, role=role)
    return account


async def principal_of(account: Account):
    return await accounts.principal(account.id)


async def sign_in(user: User, account: Account) -> None:
    """Sign the simulated browser in as `account` (as the /login page does after a good password)."""
    await user.open('/')
    with user:
        app.storage.user['account_id'] = account.id
        app.storage.user['elder'] = account.elder_mode
        app.storage.user['lang'] = account.language


async def make_meeting(community: Community, *, title: str = '嘉明花园议事会', starts_at=None, hours: float = 1.5,
                       state: str = 'scheduled', place: str = '社区活动室', level: str = 'community',
                       **fields):
    """A meeting row (not through services.meetings): starts in an hour unless `starts_at` is given."""
    from datetime import UTC, datetime, timedelta

    from models import Meeting
    starts_at = starts_at or datetime.now(UTC) + timedelta(hours=1)
    values = dict(community=community, title=title, format='council', mode='offline', level=level, place=place,
                  starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), state=state,
                  created_at=starts_at - timedelta(days=1), updated_at=starts_at - timedelta(days=1))
    return await Meeting.create(**{**values, **fields})


async def make_agenda_item(meeting, *, issue=None, title: str | None = None, position: int = 0):
    """One agenda item of `meeting`, about `issue` when given (its title by default)."""
    from models import AgendaItem
    return await AgendaItem.create(meeting=meeting, issue=issue, title=title or (issue.title if issue else '议题'),
                                   position=position)


async def make_vote(community: Community, *, actor=None, open_at=None, **definition_overrides):
    """A vote through services.votes: yes/no, per person, whole community, simple majority, online, a week long.

    `open_at` (or `opened=True`, at once) opens it then, freezing the roll of the residents made before. Overrides
    are Definition fields (title, counting, rule, channels, opens_at, closes_at …) or VoteDraft fields
    (compound_ids, building_ids, onsite_meeting_id, outcome_id).
    """
    from datetime import UTC, datetime, timedelta

    from domain.votes import Definition
    from services import votes
    opened = definition_overrides.pop('opened', False) or open_at is not None
    at = open_at or definition_overrides.get('opens_at') or datetime.now(UTC)
    if actor is None:
        actor = await principal_of(await make_account(community, 'staff', name='表决组织人'))
    place = {k: definition_overrides.pop(k) for k in ('compound_ids', 'building_ids', 'onsite_meeting_id',
                                                      'outcome_id') if k in definition_overrides}
    fields = dict(title='加装电梯', description='1栋加装电梯，费用按楼层分摊', ballot_type='yes_no', options=(),
                  max_choices=1, electorate='community', counting='person', rule='simple_majority',
                  custom_turnout=None, custom_approval=None, channels=frozenset({'online'}), max_principals=3,
                  results_live=True, secret=False, allow_change=False, opens_at=at,
                  closes_at=definition_overrides.get('opens_at', at) + timedelta(days=7), publicity_days=7)
    fields.update(definition_overrides)
    draft = votes.VoteDraft(Definition(**fields), **place)
    vote = await votes.create_vote(actor, community.id, draft, at=at)
    if opened:
        vote = await votes.open_vote(actor, vote.id, at=at)
    return vote


async def make_project(community: Community, *, title: str = '3栋楼道照明改造', state: str = 'underway',
                       origin: str = 'outcome', lead_org: str = '船柴社区居委会', **fields):
    """A project row (not through services.projects): under way since yesterday unless told otherwise."""
    from datetime import UTC, datetime, timedelta

    from models import Project
    now = datetime.now(UTC)
    values = dict(community=community, title=title, summary='更换3栋1至6楼声控灯', origin=origin, lead_org=lead_org,
                  lead_person='李敏', lead_phone='13912345678', site='嘉明花园3栋', state=state,
                  progress=0, created_at=now - timedelta(days=2), updated_at=now - timedelta(days=1),
                  started_at=now - timedelta(days=1) if state != 'preparing' else None)
    return await Project.create(**{**values, **fields})
