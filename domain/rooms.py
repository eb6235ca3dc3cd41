"""Room numbers and typed addresses: natural ordering ('2栋' before '10栋') and reading '嘉明花园3栋402'."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CHUNKS = re.compile(r'(\d+)')
_BUILDING = re.compile(r'(\d+)\s*(?:栋|幢|号楼|栋楼)')
_ROOM = re.compile(r'(\d+(?:-\d+)?)\s*(?:室|号|房)?\s*$')
_UNIT_ROOM = re.compile(r'(\d+)\s*单元\s*(\d+)\s*(?:室|号|房)?\s*$')


def natural_key(text: str) -> tuple:
    """Sort key where digit runs compare as numbers: '2栋' < '10栋', '102' < '1001'."""
    return tuple((0, int(part), '') if part.isdecimal() else (1, 0, part)
                 for part in _CHUNKS.split(text or '') if part)


@dataclass(frozen=True)
class TypedPlace:
    """What a person typed as their address, read as far as it goes."""
    compound: str | None = None
    building: str | None = None  # as it is usually named: '3栋'
    room: str | None = None


def parse_place(text: str | None, compounds: list[str]) -> TypedPlace:
    """'嘉明花园3栋402室' → TypedPlace('嘉明花园', '3栋', '402'); unknown parts stay None."""
    text = (text or '').strip()
    if not text:
        return TypedPlace()
    compound = next((name for name in sorted(compounds, key=len, reverse=True) if name and name in text), None)
    rest = text.replace(compound, '', 1) if compound else text
    building_match = _BUILDING.search(rest)
    building = f'{int(building_match.group(1))}栋' if building_match else None
    after = rest[building_match.end():] if building_match else rest
    room_match = _UNIT_ROOM.search(after) or _ROOM.search(after)
    room = room_match.group(room_match.lastindex or 1) if room_match else None
    return TypedPlace(compound=compound, building=building, room=room)
