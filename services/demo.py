"""The demo community (`python main.py --demo`): load it idempotently and print who to sign in as.

`load()` plans the community in memory (services/demo_data.py) and inserts only what the database does not
have yet, in bulk, inside one transaction: a second run finds everything and changes nothing.
"""
from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.transactions import in_transaction

from domain.i18n import t
from domain.permissions import ROLE_LABELS
from domain.seats import council_level
from models import (
    Account,
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
from services import audit, codes, demo_issues, demo_meetings, demo_projects, demo_votes
from services.demo_data import COMMUNITY, STREET, Plan, build_plan
from services.passwords import hash_secret

PASSWORD = 'gongshang2026'
PIN = '246810'


@dataclass(frozen=True)
class DemoAccount:
    role: str
    name: str
    phone: str
    secret: str  # the password or PIN to type; '' for the resident who signs in by link
    how: str  # 'password' | 'pin' | 'link'
    hint: str
    resident_id: int | None = None
    login_version: int | None = None


@dataclass(frozen=True)
class DemoReport:
    community_id: int
    street: str
    community: str
    compounds: int
    buildings: int
    households: int
    residents: int
    accounts: tuple[DemoAccount, ...]
    added: dict[str, int] = field(default_factory=dict)  # what this run inserted (all zero on a second run)
    seconds: float = 0.0


async def load(*, at: datetime | None = None) -> DemoReport:
    """Load 船柴社区 with everything a newcomer needs to try every screen; idempotent."""
    started = time.perf_counter()
    now = at or audit.now()
    plan = build_plan()
    added: dict[str, int] = {}
    async with in_transaction() as conn:
        street, _ = await Street.get_or_create(name=STREET, using_db=conn)
        community, made = await Community.get_or_create(street=street, name=COMMUNITY, defaults={'kind': 'urban'},
                                                        using_db=conn)
        added['community'] = int(made)
        loader = _Loader(community, conn, now, added)
        await loader.places(plan)
        await loader.people(plan)
        await loader.accounts(plan)
        await loader.councils(plan)
        if any(added.values()):
            await audit.record('demo.loaded', actor_id=None, community_id=community.id, target=community,
                               data=added, at=now, using_db=conn)
    added['issues'] = await demo_issues.load(community.id, at=now)  # through the services, after the people exist
    added['meetings'] = await demo_meetings.load(community.id, at=now)  # after the issues they put on the agenda
    added['votes'] = await demo_votes.load(community.id, at=now)  # after the people, issues and meetings
    added['projects'] = await demo_projects.load(community.id, at=now)  # after the issues, meetings and votes
    return await _report(community, plan, added, time.perf_counter() - started)


class _Loader:
    def __init__(self, community: Community, conn, now: datetime, added: dict[str, int]) -> None:
        self.community, self.conn, self.now, self.added = community, conn, now, added
        self.compounds: dict[str, int] = {}
        self.buildings: dict[tuple[str, str], int] = {}
        self.households: dict[tuple[str, str, str], int] = {}
        self.residents: dict[str, int] = {}

    async def _missing(self, model, rows: list, key: str) -> None:
        if rows:
            await model.bulk_create(rows, batch_size=500, using_db=self.conn)
        self.added[key] = self.added.get(key, 0) + len(rows)

    async def places(self, plan: Plan) -> None:
        cid = self.community.id
        have = {name for name in await Compound.filter(community_id=cid).using_db(self.conn)
                .values_list('name', flat=True)}
        await self._missing(Compound, [Compound(community_id=cid, name=name) for name in plan.buildings
                                       if name not in have], 'compounds')
        self.compounds = dict(await Compound.filter(community_id=cid).using_db(self.conn).values_list('name', 'id'))
        have_b = {(c, n) for c, n in await Building.filter(compound__community_id=cid).using_db(self.conn)
                  .values_list('compound__name', 'name')}
        await self._missing(Building, [Building(compound_id=self.compounds[c], name=n)
                                       for c, names in plan.buildings.items() for n in names
                                       if (c, n) not in have_b], 'buildings')
        self.buildings = {(c, n): i for i, c, n in await Building.filter(compound__community_id=cid)
                          .using_db(self.conn).values_list('id', 'compound__name', 'name')}
        have_h = await self._household_ids()
        await self._missing(Household, [
            Household(building_id=self.buildings[(h.compound, h.building)], room=h.room, area_m2=h.area,
                      occupancy=h.occupancy, sale_status=h.sale_status, certificate_no=h.certificate_no)
            for h in plan.households if (h.compound, h.building, h.room) not in have_h], 'households')
        self.households = await self._household_ids()

    async def _household_ids(self) -> dict[tuple[str, str, str], int]:
        rows = await Household.filter(building__compound__community_id=self.community.id).using_db(self.conn) \
            .values_list('id', 'building__compound__name', 'building__name', 'room')
        return {(c, b, r): i for i, c, b, r in rows}

    async def people(self, plan: Plan) -> None:
        self.residents = await self._resident_ids()
        new = []
        for r in plan.residents:
            if r.key in self.residents:
                continue
            new.append(Resident(
                community_id=self.community.id, household_id=self.households[r.home] if r.home else None,
                name=r.name, phone=r.phone, birth_year=r.birth_year, relation=r.relation, status=r.status,
                verified_at=self.now if r.status == 'verified' else None, registered_room=r.registered_room))
        await self._missing(Resident, new, 'residents')
        self.residents = await self._resident_ids()
        ids = list(self.residents.values())
        have_tags = set(await ResidentTag.filter(resident_id__in=ids).using_db(self.conn)
                        .values_list('resident_id', 'tag'))
        await self._missing(ResidentTag, [
            ResidentTag(resident_id=self.residents[r.key], tag=tag) for r in plan.residents for tag in r.tags
            if (self.residents[r.key], tag) not in have_tags], 'tags')
        owned = set(await Ownership.filter(household_id__in=list(self.households.values())).using_db(self.conn)
                    .values_list('household_id', flat=True))
        await self._missing(Ownership, [
            Ownership(household_id=self.households[h.compound, h.building, h.room], resident_id=self.residents[h.owner])
            for h in plan.households
            if h.owner and self.households[h.compound, h.building, h.room] not in owned], 'ownerships')

    async def _resident_ids(self) -> dict[str, int]:
        rows = await Resident.filter(community_id=self.community.id).using_db(self.conn) \
            .values_list('id', 'phone', 'name', 'household__building__compound__name', 'household__building__name',
                         'household__room')
        return {phone or '|'.join((c or '', b or '', r or '', name)): i for i, phone, name, c, b, r in rows}

    async def accounts(self, plan: Plan) -> None:
        have = dict(await Account.filter(phone__in=[a.phone for a in plan.accounts]).using_db(self.conn)
                    .values_list('phone', 'id'))
        hashes: dict[str, str] = {}  # argon2 is slow on purpose: hash each demo secret once

        def hashed(secret: str) -> str:
            if secret not in hashes:
                hashes[secret] = hash_secret(secret)
            return hashes[secret]

        made = 0
        for a in plan.accounts:
            if a.phone in have:
                continue
            account = await Account.create(
                name=a.name, phone=a.phone, resident_id=self.residents[a.resident] if a.resident else None,
                password_hash=hashed(PASSWORD) if a.secret == 'password' else None,
                pin_hash=hashed(PIN) if a.secret == 'pin' else None, using_db=self.conn)
            have[a.phone] = account.id
            made += 1
        self.added['accounts'] = made
        grants = set(await RoleGrant.filter(community_id=self.community.id).using_db(self.conn)
                     .values_list('account_id', 'role'))
        await self._missing(RoleGrant, [
            RoleGrant(account_id=have[a.phone], community_id=self.community.id, role=a.role) for a in plan.accounts
            if a.role != 'resident' and (have[a.phone], a.role) not in grants], 'roles')

    async def councils(self, plan: Plan) -> None:
        cid = self.community.id
        existing = {c.compound_id: c.id for c in await Council.filter(community_id=cid).using_db(self.conn)}
        wanted: list[tuple[int | None, str]] = [(None, f'{COMMUNITY}议事协商委员会')]
        wanted += [(self.compounds[name], f'{name}议事会') for name in plan.buildings]
        made = 0
        for compound_id, name in wanted:
            if compound_id in existing:
                continue
            level = council_level(compound=compound_id is not None, village=self.community.kind == 'village')
            council = await Council.create(community_id=cid, compound_id=compound_id, level=level, name=name,
                                           using_db=self.conn)
            existing[compound_id] = council.id
            made += 1
        self.added['councils'] = made
        have = set(await Seat.filter(council__community_id=cid).using_db(self.conn)
                   .values_list('council_id', 'kind', 'resident_id', 'holder_name'))
        rows = []
        for s in plan.seats:
            council_id = existing[self.compounds[s.compound] if s.compound else None]
            resident_id = self.residents[s.resident] if s.resident else None
            if (council_id, s.kind, resident_id, s.holder_name) not in have:
                rows.append(Seat(council_id=council_id, kind=s.kind, resident_id=resident_id, holder_name=s.holder_name,
                                 organisation=s.organisation))
        await self._missing(Seat, rows, 'seats')


async def _report(community: Community, plan: Plan, added: dict[str, int], seconds: float) -> DemoReport:
    cid = community.id
    accounts = []
    for a in plan.accounts:
        resident = await Resident.get_or_none(community_id=cid, phone=a.phone) if a.resident else None
        accounts.append(DemoAccount(
            role=a.role, name=a.name, phone=a.phone, secret={'password': PASSWORD, 'pin': PIN}.get(a.secret, ''),
            how=a.secret, hint=a.hint, resident_id=resident.id if resident else None,
            login_version=resident.login_version if resident else None))
    return DemoReport(
        community_id=cid, street=STREET, community=COMMUNITY,
        compounds=await Compound.filter(community_id=cid).count(),
        buildings=await Building.filter(compound__community_id=cid).count(),
        households=await Household.filter(building__compound__community_id=cid).count(),
        residents=await Resident.filter(community_id=cid).exclude(status='left').count(),
        accounts=tuple(accounts), added=added, seconds=seconds)


def login_link(account: DemoAccount, *, base_url: str, at: datetime | None = None) -> str:
    """The personal sign-in link of a demo resident, valid for 14 days."""
    token = codes.login_token_for(account.resident_id, account.login_version, at=at or audit.now())
    return f'{base_url.rstrip("/")}/l/{token}'


def sign_in_sheet(report: DemoReport, *, base_url: str, at: datetime | None = None) -> str:
    """A plain-text table for the console: who to sign in as, with what, and what to try."""
    base = base_url.rstrip('/')
    header = (t('角色'), t('姓名'), t('手机号'), t('密码/PIN'), t('可以试试'))
    rows = [(t(ROLE_LABELS[a.role]), a.name, a.phone, a.secret or t('（用登录链接）'), t(a.hint))
            for a in report.accounts]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = [
        '=' * 72,
        t('共商演示社区：{street} {community}', street=report.street, community=report.community),
        t('{compounds} 个小区 · {buildings} 栋楼 · {households} 户 · {residents} 位居民',
          compounds=report.compounds, buildings=report.buildings, households=report.households,
          residents=report.residents),
        t('登录：{url}', url=f'{base}/login') + '    ' + t('管理后台：{url}', url=f'{base}/admin'),
        '-' * 72,
    ]
    for row in [header, *rows]:
        lines.append('  '.join(_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])) + '  ' + row[-1])
    for account in report.accounts:
        if account.how == 'link' and account.resident_id is not None:
            lines += ['-' * 72, t('{name} 的登录链接（14 天内有效，打开后设置 PIN）：', name=account.name),
                      login_link(account, base_url=base, at=at)]
    lines.append('=' * 72)
    return '\n'.join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in 'WF' else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + ' ' * (width - _width(text))
