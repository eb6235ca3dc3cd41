"""The demo community as plain data: 船柴社区 with its compounds, homes, families, tags, accounts and council seats.

Everything comes from one seeded random.Random, so every run plans exactly the same people; services/demo.py
loads what is not in the database yet. Names are plausible, phones are 139 + eight seeded digits.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

SEED = 2026_0611
REFERENCE_YEAR = 2026  # birth years are planned against a fixed year, so a later run plans the same people
STREET = '西陵街道'
COMMUNITY = '船柴社区'

# name, building count, floors, flats per floor, floor area of each flat position (m²), share rented
COMPOUNDS = (
    ('嘉明花园', 5, 6, 4, ('89.56', '112.30', '128.74', '96.12'), 0.18),
    ('船柴小区', 6, 5, 3, ('52.40', '64.85', '58.20'), 0.26),
    ('江景苑', 3, 11, 3, ('98.60', '126.35', '143.80'), 0.14),
)
SHOPS = (('嘉明花园', '1栋', ('商铺1', '商铺2', '商铺3', '商铺4'), ('45.20', '62.75', '38.60', '80.15')),)
UNSOLD = (('江景苑', '3栋', 10), ('江景苑', '3栋', 11))  # top floors of the newest block: not yet sold

SURNAMES = ('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任'
            '沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃向汤')
GIVEN = {  # generation → sex → given names
    'elder': {'m': ('建国', '国强', '志华', '德明', '永福', '家富', '光荣', '世杰', '正华', '振国', '传富', '玉林',
                    '长青', '金生', '德胜', '忠义', '宏伟', '春生', '绍武', '培元'),
              'f': ('桂兰', '秀英', '玉珍', '淑珍', '凤英', '桂英', '秀兰', '翠华', '玉兰', '素芬', '月娥', '春梅',
                    '金凤', '秀珍', '美华', '惠芳', '兰英', '菊香', '爱华', '玉梅')},
    'adult': {'m': ('伟', '强', '磊', '军', '勇', '涛', '斌', '超', '明', '杰', '刚', '海波', '建华', '志强',
                    '晓东', '文斌', '俊', '鹏', '浩', '亮', '立新', '红军', '卫东', '小龙'),
              'f': ('丽', '静', '敏', '燕', '艳', '娟', '霞', '芳', '丽华', '晓燕', '红梅', '海燕', '春燕', '小红',
                    '雪梅', '婷', '琳', '莉', '慧', '晶', '丹', '倩', '玲', '媛')},
    'young': {'m': ('浩然', '子轩', '宇航', '梓睿', '俊熙', '一鸣', '子豪', '博文', '皓轩', '思远', '锦程', '宇辰'),
              'f': ('欣怡', '子涵', '梓萱', '雨桐', '诗涵', '可馨', '语嫣', '一诺', '思琪', '若曦', '佳琪', '沐晴')},
}

# (role, display name or None for "a resident chosen below", hint shown on the printed sheet)
STAFF = (('admin', '周建华'), ('staff', '李敏'), ('staff', '陈晓燕'))
PROPERTY_COMPANIES = {'嘉明花园': ('宜昌嘉明物业服务有限公司', '邓志刚'), '船柴小区': ('船柴社区物业服务中心', '覃红'),
                      '江景苑': ('湖北江景物业管理有限公司', '谭海燕')}
SOCIAL_ORGS = (('宜昌市西陵区知心姐姐社工服务中心', '彭丽娟'), ('西陵区邻里守望志愿服务队', '万春生'),
               ('夕阳红文体协会', '龚美华'))


@dataclass
class PlanHousehold:
    compound: str
    building: str
    room: str
    area: Decimal
    occupancy: str = 'owner'
    sale_status: str = 'sold'
    certificate_no: str | None = None
    owner: str | None = None  # key of the owning PlanResident


@dataclass
class PlanResident:
    key: str  # the phone, or 'compound|building|room|name' for a child without one
    name: str
    phone: str | None
    birth_year: int
    relation: str
    status: str = 'verified'
    home: tuple[str, str, str] | None = None  # (compound, building, room)
    tags: list[str] = field(default_factory=list)
    registered_room: str | None = None


@dataclass
class PlanAccount:
    role: str
    name: str
    phone: str
    resident: str | None  # key of the PlanResident this account belongs to
    secret: str  # 'password', 'pin' or 'link'
    hint: str


@dataclass
class PlanSeat:
    compound: str | None  # None: the community's 4+N council
    kind: str
    resident: str | None
    holder_name: str
    organisation: str | None = None


@dataclass
class Plan:
    buildings: dict[str, list[str]]
    households: list[PlanHousehold]
    residents: list[PlanResident]
    accounts: list[PlanAccount]
    seats: list[PlanSeat]


class _Planner:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.phones: set[str] = set()
        self.residents: list[PlanResident] = []
        self.households: list[PlanHousehold] = []
        self.certificates = 0

    def phone(self) -> str:
        while True:
            number = f'139{self.rng.randrange(10 ** 8):08d}'
            if number not in self.phones and len(set(number[3:])) > 3:  # no 13900000000-like sequences
                self.phones.add(number)
                return number

    def name(self, generation: str, sex: str, surname: str | None = None) -> str:
        return (surname or self.rng.choice(SURNAMES)) + self.rng.choice(GIVEN[generation][sex])

    def person(self, home: tuple[str, str, str] | None, *, relation: str, age: tuple[int, int], sex: str | None = None,
               surname: str | None = None, status: str = 'verified', taken: set[str] | None = None) -> PlanResident:
        sex = sex or self.rng.choice('mf')
        birth_year = REFERENCE_YEAR - self.rng.randint(*age)
        age_now = REFERENCE_YEAR - birth_year
        generation = 'young' if age_now < 25 else 'elder' if age_now >= 58 else 'adult'
        name = self.name(generation, sex, surname)
        while taken is not None and name in taken:
            name = self.name(generation, sex, surname if self.rng.random() < 0.5 else None)
        if taken is not None:
            taken.add(name)
        has_phone = age_now >= 18 and (age_now < 80 or self.rng.random() < 0.6)
        phone = self.phone() if has_phone else None
        key = phone or '|'.join((*(home or ('', '', '')), name))
        resident = PlanResident(key=key, name=name, phone=phone, birth_year=birth_year, relation=relation,
                                status=status, home=home)
        self.residents.append(resident)
        return resident

    def family(self, home: tuple[str, str, str], *, older: bool) -> PlanResident:
        """An owner-occupier and the people living with them."""
        taken: set[str] = set()
        if older and self.rng.random() < 0.6:  # a retired couple of the old factory flats
            owner = self.person(home, relation='owner', age=(60, 86), sex='m', taken=taken)
            if self.rng.random() < 0.8:
                self.person(home, relation='family', age=(58, 84), sex='f', taken=taken)
            return owner
        sex = self.rng.choice('mf')
        owner = self.person(home, relation='owner', age=(30, 58), sex=sex, taken=taken)
        spouse = None
        if self.rng.random() < 0.75:
            spouse = self.person(home, relation='family', age=(28, 56), sex='f' if sex == 'm' else 'm', taken=taken)
        surname = owner.name[0] if sex == 'm' or spouse is None else spouse.name[0]
        for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
            self.person(home, relation='family', age=(2, 20), surname=surname, taken=taken)
        if self.rng.random() < 0.12:
            self.person(home, relation='family', age=(68, 90), surname=surname, taken=taken)
        return owner

    def tenants(self, home: tuple[str, str, str]) -> None:
        taken: set[str] = set()
        for index in range(self.rng.choice((1, 1, 2, 2, 3))):
            self.person(home, relation='tenant', age=(20, 52) if index < 2 else (3, 14), taken=taken)

    def certificate(self) -> str:
        self.certificates += 1
        return f'鄂({self.rng.randint(2008, 2021)})宜昌市不动产权第{1_000_000 + self.certificates * 37:07d}号'


def build_plan(seed: int = SEED) -> Plan:
    """The whole demo community, planned in memory: the same seed plans the same community."""
    p = _Planner(seed)
    staff_phones = [p.phone() for _ in STAFF]  # drawn first so resident phones never collide with them
    buildings: dict[str, list[str]] = {}
    absentee_owned: list[PlanHousehold] = []
    owner_occupiers: list[PlanResident] = []
    for compound, count, floors, per_floor, areas, rented_share in COMPOUNDS:
        buildings[compound] = [f'{n}栋' for n in range(1, count + 1)]
        for building in buildings[compound]:
            drift = Decimal(p.rng.choice(('0', '0.35', '-0.42', '1.08')))  # same plan, slightly different survey
            for floor in range(1, floors + 1):
                for flat in range(1, per_floor + 1):
                    room = f'{floor}{flat:02d}'
                    household = PlanHousehold(compound, building, room, Decimal(areas[flat - 1]) + drift)
                    p.households.append(household)
                    home = (compound, building, room)
                    if (compound, building, floor) in UNSOLD:
                        household.sale_status, household.occupancy = 'unsold', 'vacant'
                        continue
                    household.certificate_no = p.certificate() if p.rng.random() < 0.9 else None
                    roll = p.rng.random()
                    if roll < rented_share:
                        household.occupancy = 'rented'
                        p.tenants(home)
                        absentee_owned.append(household)
                    elif roll < rented_share + 0.05:
                        household.occupancy = 'vacant'
                        absentee_owned.append(household)
                    else:
                        owner = p.family(home, older=compound == '船柴小区')
                        household.owner = owner.key
                        owner_occupiers.append(owner)
    for compound, building, rooms, areas in SHOPS:
        for room, area in zip(rooms, areas, strict=True):
            shop = PlanHousehold(compound, building, room, Decimal(area), occupancy='rented',
                                 certificate_no=p.certificate())
            p.households.append(shop)
            absentee_owned.append(shop)
    _owners_of_let_homes(p, absentee_owned, owner_occupiers)
    _pending_and_left(p, buildings)
    _tags(p)
    accounts = _accounts(p, staff_phones)
    return Plan(buildings, p.households, p.residents, accounts, _seats(p, accounts))


def _owners_of_let_homes(p: _Planner, let: list[PlanHousehold], occupiers: list[PlanResident]) -> None:
    """A third of let or empty homes belong to someone living elsewhere in the community: multi-unit owners."""
    for household in let:
        if p.rng.random() < 0.35:
            household.owner = p.rng.choice(occupiers[: len(occupiers) // 2]).key  # a few people own several
        else:
            household.owner = p.person(None, relation='owner', age=(35, 75)).key


def _pending_and_left(p: _Planner, buildings: dict[str, list[str]]) -> None:
    typed = ('{c}{b}{r}', '{c} {b} {r}室', '{b}{r}', '{c}{b}{r}号')
    for index in range(8):  # self-registered by scanning the poster, waiting for staff
        compound = COMPOUNDS[index % len(COMPOUNDS)][0]
        building = p.rng.choice(buildings[compound])
        room = f'{p.rng.randint(1, 5)}0{p.rng.randint(1, 3)}'
        person = p.person(None, relation=p.rng.choice(('tenant', 'family')), age=(22, 70), status='pending')
        person.registered_room = typed[index % len(typed)].format(c=compound, b=building, r=room)
    for _ in range(3):  # moved away: kept for the record, no longer counted
        p.person(None, relation='tenant', age=(25, 60), status='left')


def _tags(p: _Planner) -> None:
    adults = [r for r in p.residents if r.status == 'verified' and r.home and REFERENCE_YEAR - r.birth_year >= 18]
    for person in adults:
        age = REFERENCE_YEAR - person.birth_year
        if p.rng.random() < (0.16 if age >= 55 else 0.07):
            person.tags.append('党员')
        if p.rng.random() < 0.07:
            person.tags.append('志愿者')
        if p.rng.random() < 0.03:
            person.tags.append('居民骨干')
    by_building: dict[tuple[str, str], list[PlanResident]] = {}
    for person in adults:
        by_building.setdefault(person.home[:2], []).append(person)  # type: ignore[index]
    for people in by_building.values():
        members = [r for r in people if '党员' in r.tags and r.relation == 'owner']
        if members:
            members[0].tags.append('党员中心户')
        owners = [r for r in people if r.relation == 'owner' and r.phone]
        if owners:
            p.rng.choice(owners).tags.append('居民代表')


def _accounts(p: _Planner, staff_phones: list[str]) -> list[PlanAccount]:
    hints = {'admin': '管理后台：授予角色、接口密钥、导入名册', 'staff': '录入、核验居民，编辑房屋和议事会'}
    accounts = [PlanAccount(role, name, phone, None, 'password', hints[role])
                for (role, name), phone in zip(STAFF, staff_phones, strict=True)]
    accounts[2].hint = '待核验名单：核验自助登记的居民'

    def pick(*, compound: str, relation: str = 'owner', tag: str | None = None, ages: tuple[int, int] = (18, 120),
             avoid: set[str]) -> PlanResident:
        return next(r for r in p.residents if r.home and r.home[0] == compound and r.relation == relation
                    and r.phone and r.status == 'verified' and (tag is None or tag in r.tags)
                    and ages[0] <= REFERENCE_YEAR - r.birth_year <= ages[1] and r.key not in avoid)

    used: set[str] = set()
    wanted = (
        ('committee', dict(compound='嘉明花园', tag='党员', ages=(35, 60)), 'password', '两委：查看名册和议事会'),
        ('supervisor', dict(compound='船柴小区', tag='党员', ages=(55, 75)), 'password', '居务监督：只读查看'),
        ('volunteer', dict(compound='嘉明花园', tag='志愿者', ages=(25, 65)), 'pin', '志愿者：扫码签到、打印居民码'),
        ('resident', dict(compound='船柴小区', ages=(60, 80)), 'pin', '居民：用手机号和 PIN 登录，看我的二维码'),
        ('resident', dict(compound='江景苑', ages=(30, 60)), 'link', '居民：打开下面的登录链接，设置 6 位 PIN'),
    )
    for role, rule, secret, hint in wanted:
        person = pick(**rule, avoid=used)  # type: ignore[arg-type]
        used.add(person.key)
        accounts.append(PlanAccount(role, person.name, person.phone or '', person.key, secret, hint))
    return accounts


def _seats(p: _Planner, accounts: list[PlanAccount]) -> list[PlanSeat]:
    verified = [r for r in p.residents if r.status == 'verified' and r.home and r.phone]
    committee = next(a for a in accounts if a.role == 'committee')
    staff = next(a for a in accounts if a.role == 'staff')
    seats = [
        PlanSeat(None, 'two_committees', committee.resident, committee.name),
        PlanSeat(None, 'two_committees', None, staff.name, '船柴社区居民委员会'),
        *[PlanSeat(None, 'resident_rep', r.key, r.name) for r in [r for r in verified if '居民代表' in r.tags][:3]],
        PlanSeat(None, 'tenant_rep', next(r for r in verified if r.relation == 'tenant').key,
                 next(r for r in verified if r.relation == 'tenant').name),
        PlanSeat(None, 'social_org', None, SOCIAL_ORGS[0][1], SOCIAL_ORGS[0][0]),
        *[PlanSeat(None, 'stakeholder', r.key, r.name) for r in [r for r in verified if '居民骨干' in r.tags][:2]],
    ]
    for index, (compound, *_rest) in enumerate(COMPOUNDS):
        here = [r for r in verified if r.home and r.home[0] == compound]
        party = next((r for r in here if '党员中心户' in r.tags), None) or next(r for r in here if '党员' in r.tags)
        owner = next(r for r in here if r.relation == 'owner' and r.key != party.key
                     and ('居民骨干' in r.tags or '居民代表' in r.tags))
        stake = next(r for r in here if r.key not in {party.key, owner.key} and r.relation == 'owner')
        company, manager = PROPERTY_COMPANIES[compound]
        org, head = SOCIAL_ORGS[1 + index % 2]
        seats += [
            PlanSeat(compound, 'community_committee', committee.resident, committee.name),
            PlanSeat(compound, 'party_branch', party.key, party.name),
            PlanSeat(compound, 'owners_committee', owner.key, owner.name),
            PlanSeat(compound, 'property_company', None, manager, company),
            PlanSeat(compound, 'social_org_head', None, head, org),
            PlanSeat(compound, 'stakeholder', stake.key, stake.name),
        ]
    return seats
