"""Bring a community's places and people in line with a checked roster — or, dry, count what that would change.

Units are found by 小区 + 楼栋 + 房号, residents by phone, else by household + name. Nothing is deleted: a
person missing from the file may have moved away, which staff record by hand.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from domain import roster
from domain.roster import RowError
from models import Building, Compound, Household, Ownership, Resident, ResidentTag

BATCH = 500


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, *, changed: bool) -> None:
        if changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class ImportResult:
    """What an import did (or, in a preview, would do) with the good rows."""
    filename: str
    rows: int = 0  # data rows in the file
    rows_imported: int = 0
    rows_skipped: int = 0  # bad rows left out (only when the good rows alone were imported)
    compounds_created: int = 0
    buildings_created: int = 0
    households: Tally = field(default_factory=Tally)
    residents: Tally = field(default_factory=Tally)
    ownerships: Tally = field(default_factory=Tally)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Snapshot:
    """The community's places and people as they are, keyed by what a roster row says."""
    community_id: int
    compounds: dict[str, Compound | None]  # None: to be created (dry run)
    buildings: dict[tuple[str, str], Building | None]
    households: dict[roster.UnitKey, Household]
    by_phone: dict[str, Resident]
    by_home_name: dict[tuple[roster.UnitKey, str], Resident]
    tags: dict[int, set[str]]
    owners: dict[int, Ownership]  # household id → its registered owner
    last_resident_id: int

    @classmethod
    async def load(cls, community_id: int, conn) -> Snapshot:
        compounds = await Compound.filter(community_id=community_id).using_db(conn)
        buildings = await Building.filter(compound__community_id=community_id).using_db(conn)
        residents = await Resident.filter(community_id=community_id).order_by('id').using_db(conn)
        tags: dict[int, set[str]] = {}
        for row in await ResidentTag.filter(resident__community_id=community_id).using_db(conn):
            tags.setdefault(row.resident_id, set()).add(row.tag)
        owners = await Ownership.filter(household__building__compound__community_id=community_id).using_db(conn)
        compound_name = {c.id: c.name for c in compounds}
        snap = cls(community_id, compounds={c.name: c for c in compounds},
                   buildings={(compound_name[b.compound_id], b.name): b for b in buildings}, households={},
                   by_phone={r.phone: r for r in residents if r.phone}, by_home_name={}, tags=tags,
                   owners={o.household_id: o for o in owners},
                   last_resident_id=residents[-1].id if residents else 0)
        unit_of = await snap.load_households(conn)
        for r in residents:
            if r.household_id in unit_of:
                snap.by_home_name.setdefault((unit_of[r.household_id], r.name), r)
        return snap

    async def load_households(self, conn) -> dict[int, roster.UnitKey]:
        """(Re)read the community's households; household id → unit key."""
        building_key = {b.id: key for key, b in self.buildings.items() if b is not None}
        unit_of = {}
        for h in await Household.filter(building__compound__community_id=self.community_id).using_db(conn):
            unit_of[h.id] = (*building_key[h.building_id], h.room)
            self.households.setdefault(unit_of[h.id], h)
        return unit_of


def conflicts(parsed: roster.Roster, snap: Snapshot) -> list[RowError]:
    """A phone number already used by a different resident of this community (someone with another name)."""
    errors = []
    for person in parsed.people():
        other = snap.by_phone.get(person.phone) if person.phone else None
        if other is not None and other.name != person.name:
            errors.append(RowError(person.rows[0], parsed.header('phone'),
                                   '这个手机号已被本社区另一位居民使用（登记的姓名不同），请核对'))
    return errors


async def sync(parsed: roster.Roster, snap: Snapshot, *, conn, write: bool, at: datetime) -> ImportResult:
    """Create or update from the good rows; with write=False only count. Call inside the import's transaction."""
    result = ImportResult('', rows=parsed.data_rows, rows_imported=parsed.good_rows,
                          rows_skipped=len(parsed.bad_rows))
    await _sync_units(parsed.units(), snap, result, conn=conn, write=write)
    people = parsed.people()
    residents = await _sync_people(people, snap, result, conn=conn, write=write, at=at)
    new_owners = []
    for person, resident in zip(people, residents, strict=True):
        for key in person.owns:
            household = snap.households.get(key)  # None: a new unit in a dry run
            current = snap.owners.get(household.id) if household is not None else None
            if current is None:
                result.ownerships.created += 1
                if write:
                    new_owners.append(Ownership(household_id=household.id, resident_id=resident.id))
                continue
            changed = resident is None or current.resident_id != resident.id
            result.ownerships.add(changed=changed)
            if changed and write:
                current.resident_id = resident.id
                await current.save(update_fields=['resident_id'], using_db=conn)
    if new_owners:
        await Ownership.bulk_create(new_owners, batch_size=BATCH, using_db=conn)
    return result


async def _sync_units(units: list[roster.Unit], snap: Snapshot, result: ImportResult, *, conn, write: bool) -> None:
    new: list[Household] = []
    for unit in units:
        if unit.compound not in snap.compounds:
            result.compounds_created += 1
            snap.compounds[unit.compound] = await Compound.create(
                community_id=snap.community_id, name=unit.compound, using_db=conn) if write else None
        building_key = (unit.compound, unit.building)
        if building_key not in snap.buildings:
            result.buildings_created += 1
            snap.buildings[building_key] = await Building.create(
                compound_id=snap.compounds[unit.compound].id, name=unit.building, using_db=conn) if write else None
        household = snap.households.get(unit.key)
        if household is None:
            result.households.created += 1
            if write:
                new.append(Household(
                    building_id=snap.buildings[building_key].id, room=unit.room, area_m2=unit.area,
                    occupancy=unit.occupancy, sale_status=unit.sale_status or 'sold',
                    certificate_no=unit.certificate_no))
            continue
        wanted = {'area_m2': unit.area, 'occupancy': unit.occupancy, 'sale_status': unit.sale_status,
                  'certificate_no': unit.certificate_no}  # None: the file does not say, so it stays
        changed = [name for name, value in wanted.items() if value is not None and getattr(household, name) != value]
        result.households.add(changed=bool(changed))
        if changed and write:
            for name in changed:
                setattr(household, name, wanted[name])
            await household.save(update_fields=[*changed, 'updated_at'], using_db=conn)
    if new:
        await Household.bulk_create(new, batch_size=BATCH, using_db=conn)
        await snap.load_households(conn)  # bulk inserts return no ids: read them back by (building, room)


async def _sync_people(people: list[roster.Person], snap: Snapshot, result: ImportResult, *, conn, write: bool,
                       at: datetime) -> list[Resident | None]:
    found: list[Resident | None] = []  # per person: the resident, once it exists
    stubs: dict[int, Resident] = {}  # person index → resident to insert
    claimed: set[int] = set()
    for index, person in enumerate(people):
        home = snap.households.get(person.home)  # None: a new unit in a dry run
        resident = snap.by_phone.get(person.phone) if person.phone else None
        if resident is None:
            resident = snap.by_home_name.get((person.home, person.name))
        if resident is not None and resident.id in claimed:
            resident = None  # an earlier person of this file already is that resident: this one is someone else
        found.append(resident)
        if resident is None:
            result.residents.created += 1
            if write:
                stubs[index] = Resident(
                    community_id=snap.community_id, household_id=home.id, name=person.name, phone=person.phone,
                    birth_year=person.birth_year, relation=person.relation,
                    status='verified' if person.verified else 'pending', verified_at=at if person.verified else None)
            continue
        claimed.add(resident.id)
        await _update_resident(person, resident, home, snap, result, conn=conn, write=write, at=at)
    if stubs:
        await Resident.bulk_create(list(stubs.values()), batch_size=BATCH, using_db=conn)
        # bulk inserts return no ids: the new rows come after the last known id, one per (household, name)
        fresh = {(r.household_id, r.name): r for r in await Resident.filter(
            community_id=snap.community_id, id__gt=snap.last_resident_id).using_db(conn)}
        tags = []
        for index, stub in stubs.items():
            found[index] = fresh[(stub.household_id, stub.name)]
            tags += [ResidentTag(resident_id=found[index].id, tag=tag) for tag in people[index].tags or ()]
        await ResidentTag.bulk_create(tags, batch_size=BATCH, using_db=conn)
    return found


async def _update_resident(person: roster.Person, resident: Resident, home: Household | None, snap: Snapshot,
                           result: ImportResult, *, conn, write: bool, at: datetime) -> None:
    wanted: dict[str, object] = {'household_id': home.id if home is not None else None,  # None: a unit to be made
                                 'birth_year': person.birth_year, 'relation': person.relation}
    if person.phone:
        wanted['phone'] = person.phone
    back = person.verified is None and resident.status == 'left'  # listed again: lives here again
    if person.verified is True and resident.status != 'verified':
        wanted.update(status='verified', verified_at=at)
    elif (person.verified is False and resident.status != 'pending') or back:
        wanted.update(status='pending', verified_at=None)
    changed = [name for name, value in wanted.items() if getattr(resident, name) != value]
    current = snap.tags.get(resident.id, set())
    add = set(person.tags or ()) - current
    remove = current - set(person.tags) if person.tags is not None else set()
    result.residents.add(changed=bool(changed or add or remove))
    if not write:
        return
    if changed:
        for name in changed:
            setattr(resident, name, wanted[name])
        await resident.save(update_fields=[*changed, 'updated_at'], using_db=conn)
    if add:
        await ResidentTag.bulk_create([ResidentTag(resident_id=resident.id, tag=tag) for tag in sorted(add)],
                                      using_db=conn)
    if remove:
        await ResidentTag.filter(resident_id=resident.id, tag__in=sorted(remove)).using_db(conn).delete()
