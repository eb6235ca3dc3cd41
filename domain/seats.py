"""Seat templates of the deliberation councils (DOMAIN.md §2): 4+N community, 5+N city compound, 4+N village."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeatKind:
    key: str
    label: str


STAKEHOLDER = SeatKind('stakeholder', '利益相关方')

TEMPLATES: dict[str, tuple[str, tuple[SeatKind, ...]]] = {
    'community': ('社区议事协商委员会（4+N）', (
        SeatKind('two_committees', '两委成员'),
        SeatKind('resident_rep', '居（村）民代表'),
        SeatKind('tenant_rep', '常住外来人口代表'),
        SeatKind('social_org', '社会组织代表'),
    )),
    'compound_city': ('小区议事会（5+N）', (
        SeatKind('community_committee', '社区两委'),
        SeatKind('party_branch', '小区党支部'),
        SeatKind('owners_committee', '业主委员会'),
        SeatKind('property_company', '物业服务企业'),
        SeatKind('social_org_head', '社会组织负责人'),
    )),
    'compound_village': ('村民小组议事会（4+N）', (
        SeatKind('village_committee', '村两委'),
        SeatKind('group_leader', '村民小组（党小组）长'),
        SeatKind('villager_rep', '村民代表'),
        SeatKind('social_org_head', '社会组织负责人'),
    )),
}


def seat_kinds(level: str) -> tuple[SeatKind, ...]:
    return TEMPLATES[level][1] + (STAKEHOLDER,)


def seat_label(level: str, key: str) -> str:
    return next((kind.label for kind in seat_kinds(level) if kind.key == key), key)


def missing_seats(level: str, filled: list[str]) -> list[SeatKind]:
    """The fixed seats (not the +N) that nobody holds yet."""
    return [kind for kind in TEMPLATES[level][1] if kind.key not in filled]


def council_level(*, compound: bool, village: bool) -> str:
    """The template a council follows: the community's own (4+N), a city compound's (5+N), a village group's (4+N)."""
    if not compound:
        return 'community'
    return 'compound_village' if village else 'compound_city'
