from collections import Counter
from datetime import UTC, datetime

from domain import tokens
from domain.people import TAGS
from domain.permissions import ROLES
from domain.seats import missing_seats
from models import (
    Account,
    AuditEntry,
    Building,
    Community,
    Compound,
    Council,
    Household,
    Ownership,
    Resident,
    ResidentTag,
    RoleGrant,
    Seat,
    Street,
)
from services import config, demo
from services.passwords import verify_secret

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
MODELS = (Street, Community, Compound, Building, Household, Resident, ResidentTag, Ownership, Account, RoleGrant,
          Council, Seat)


async def _counts() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in MODELS}


async def test_demo_meets_the_issue_minimums(db) -> None:
    report = await demo.load(at=AT)
    community = await Community.get(id=report.community_id).prefetch_related('street')
    assert (community.street.name, community.name, community.kind) == ('西陵街道', '船柴社区', 'urban')
    compounds = set(await Compound.filter(community=community).values_list('name', flat=True))
    assert len(compounds) >= 3 and '嘉明花园' in compounds
    assert await Building.all().count() >= 12
    assert await Household.all().count() >= 300
    assert 650 <= await Resident.all().count() <= 900
    assert report.compounds >= 3 and report.buildings >= 12 and report.households >= 300


async def test_demo_floor_areas_are_realistic_and_homes_are_owned_rented_and_unsold(db) -> None:
    await demo.load(at=AT)
    households = await Household.all()
    flats = [h for h in households if not h.room.startswith('商铺')]
    assert all(40 <= h.area_m2 <= 150 for h in flats)
    assert any(h.room.startswith('商铺') for h in households)
    assert {h.occupancy for h in households} == {'owner', 'rented', 'vacant'}
    unsold = [h for h in households if h.sale_status == 'unsold']
    assert unsold and not await Ownership.filter(household_id__in=[h.id for h in unsold]).exists()
    assert await Resident.filter(relation='tenant').exists()


async def test_demo_has_an_owner_of_several_units(db) -> None:
    await demo.load(at=AT)
    owners = Counter(await Ownership.all().values_list('resident_id', flat=True))
    assert max(owners.values()) >= 2


async def test_demo_has_every_role_and_every_tag_and_elders_adults_children(db) -> None:
    report = await demo.load(at=AT)
    granted = set(await RoleGrant.all().values_list('role', flat=True))
    assert granted | {'resident'} == set(ROLES)
    assert {a.role for a in report.accounts} == set(ROLES)
    assert sum(a.role == 'staff' for a in report.accounts) == 2
    assert set(await ResidentTag.all().values_list('tag', flat=True)) == set(TAGS)
    ages = [AT.year - year for year in await Resident.all().values_list('birth_year', flat=True)]
    assert any(a >= 70 for a in ages) and any(18 <= a < 60 for a in ages) and any(a < 18 for a in ages)
    statuses = set(await Resident.all().values_list('status', flat=True))
    assert {'verified', 'pending'} <= statuses
    assert await Resident.filter(status='pending').exclude(registered_room=None).exists()


async def test_demo_accounts_sign_in_with_the_printed_secrets(db) -> None:
    report = await demo.load(at=AT)
    checked: dict[str, bool] = {}  # argon2 is slow on purpose: check each distinct hash once
    for account in report.accounts:
        row = await Account.get(phone=account.phone)
        if account.how == 'password':
            assert row.pin_hash is None
            checked.setdefault(row.password_hash, verify_secret(row.password_hash, demo.PASSWORD))
        elif account.how == 'pin':
            assert row.resident_id is not None and row.password_hash is None
            checked.setdefault(row.pin_hash, verify_secret(row.pin_hash, demo.PIN))
        else:
            assert row.pin_hash is None and row.password_hash is None and row.resident_id is not None
    assert checked and all(checked.values())
    volunteer = next(a for a in report.accounts if a.role == 'volunteer')
    assert volunteer.how == 'pin' and volunteer.resident_id is not None
    assert {a.how for a in report.accounts} == {'password', 'pin', 'link'}


async def test_demo_fills_the_fixed_seats_of_every_council(db) -> None:
    await demo.load(at=AT)
    councils = await Council.all()
    levels = Counter(c.level for c in councils)
    assert levels == {'community': 1, 'compound_city': await Compound.all().count()}
    for council in councils:
        kinds = await Seat.filter(council=council).values_list('kind', flat=True)
        assert missing_seats(council.level, list(kinds)) == []
        assert 'stakeholder' in kinds  # the +N


async def test_loading_the_demo_twice_changes_nothing(db) -> None:
    first = await demo.load(at=AT)
    before = await _counts()
    audits = await AuditEntry.filter(action='demo.loaded').count()
    second = await demo.load(at=AT)
    assert await _counts() == before
    assert not any(second.added.values()) and any(first.added.values())
    assert await AuditEntry.filter(action='demo.loaded').count() == audits == 1
    assert [a.phone for a in first.accounts] == [a.phone for a in second.accounts]


async def test_sign_in_sheet_lists_each_role_and_a_working_login_link(db) -> None:
    report = await demo.load(at=AT)
    sheet = demo.sign_in_sheet(report, base_url='http://192.168.1.20:8080/', at=AT)
    assert 'http://192.168.1.20:8080/admin' in sheet
    for account in report.accounts:
        assert account.name in sheet and account.phone in sheet
    assert demo.PASSWORD in sheet and demo.PIN in sheet
    link = next(line for line in sheet.splitlines() if '/l/' in line).strip()
    assert link.startswith('http://192.168.1.20:8080/l/')
    payload = tokens.verify(config.current().secret, 'login', link.rsplit('/', 1)[1], at=AT)
    resident = next(a for a in report.accounts if a.how == 'link')
    assert payload['r'] == resident.resident_id and payload['v'] == resident.login_version
    assert payload['exp'] == int((AT + tokens.LOGIN_LINK_LIFETIME).timestamp())


async def test_the_demo_fills_every_issue_screen_through_the_services_and_only_once(db) -> None:
    from models import Issue, IssueSupport, Notification
    from services import accounts, triage, wishes
    report = await demo.load()
    items = {i.title: i for i in await Issue.filter(community_id=report.community_id)}
    assert len(items) == 11
    states = {i.state for i in items.values()}
    assert {'submitted', 'accepted', 'triaged', 'referred', 'merged', 'rejected', 'open', 'claimed',
            'confirmed'} <= states
    lamp = items['3栋门口路灯坏了，晚上很黑']
    assert lamp.support_count == await IssueSupport.filter(issue_id=lamp.id).count() >= 3
    staff = await accounts.principal((await Account.filter(roles__role='staff').first()).id)
    board = await triage.pending(staff, report.community_id)
    assert {p.title for p in board} >= {'社区缺少晾晒被子的地方', '社区门口主干道下水道堵塞，下雨就积水'}
    dispatch = await triage.dispatch_list(staff, report.community_id)
    assert any(item.overdue for group in dispatch.groups for item in group.items)  # the bus stop referral
    assert await Notification.exists()
    volunteer = await accounts.principal((await Account.filter(roles__role='volunteer').first()).id)
    assert {w.title for w in await wishes.wall(volunteer, report.community_id)} >= {'需要一个助行器'}
    again = await demo.load()
    assert again.added['issues'] == 0
    assert await Issue.filter(community_id=report.community_id).count() == 11
