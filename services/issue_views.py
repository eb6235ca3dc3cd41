"""What the issue screens read: the wall, one item with its timeline, the places to choose from, who may see a photo.

Read-only: every change goes through services.issues. Visibility is by community: anyone with a role in the
item's community (a resident, staff, a volunteer) may read it; nobody else learns that it exists.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain import lifecycle, triage
from domain.errors import DomainError
from domain.permissions import Principal, can
from models import ApiKey, Building, Compound, Issue, IssueEvent, IssuePhoto, IssueSupport, Notification, Resident
from services import issues

ORDERS = {'newest': '最新', 'supported': '附议最多'}
HIDDEN_FROM_WALL = ('merged', 'rejected')
ANONYMOUS_AUTHOR = '居民'
WALL_LIMIT = 100


@dataclass(frozen=True)
class Card:
    """One issue on the wall."""
    id: int
    title: str
    category: str  # label
    place: str
    state: str
    state_label: str
    supports: int
    created_at: datetime
    supported: bool  # by the viewer
    own: bool  # raised by the viewer


@dataclass(frozen=True)
class Entry:
    """One move on the timeline."""
    state: str
    state_label: str
    at: datetime
    reason: str | None


@dataclass(frozen=True)
class Detail:
    id: int
    community_id: int
    kind: str
    title: str
    body: str
    category: str  # label
    place: str
    author: str  # the name only when the author agreed, else 居民
    state: str
    state_label: str
    supports: int
    supported: bool
    own: bool
    photos: list[str] = field(default_factory=list)  # keys
    timeline: list[Entry] = field(default_factory=list)
    next_states: list[str] = field(default_factory=list)  # what this viewer may move it to (merging apart)
    may_merge: bool = False  # staff may merge it into another open issue


@dataclass(frozen=True)
class Places:
    """The compounds and buildings of a community, and where the viewer lives."""
    compounds: dict[int, str]
    buildings: dict[int, dict[int, str]]  # compound id → building id → name
    home_compound: int | None = None
    home_building: int | None = None


def community_for(user: Principal) -> int | None:
    """The community whose wall this person sees: where they live, else the first where they have a role."""
    resident_communities = [c for c, roles in sorted(user.roles.items()) if 'resident' in roles]
    if resident_communities:
        return resident_communities[0]
    return next(iter(sorted(user.roles)), None)


def may_read(user: Principal, community_id: int) -> bool:
    return can(user, 'issue.view', community_id)


async def wall(user: Principal, community_id: int, *, order: str = 'newest', compound_id: int | None = None,
               state: str | None = None) -> list[Card]:
    """The public issues of the community (not merged or rejected), newest or most supported first."""
    if not may_read(user, community_id):
        return []
    query = Issue.filter(community_id=community_id, kind='issue').exclude(state__in=HIDDEN_FROM_WALL)
    if compound_id is not None:
        query = query.filter(compound_id=compound_id)
    if state:
        query = query.filter(state=state)
    ordering = ('-support_count', '-created_at', '-id') if order == 'supported' else ('-created_at', '-id')
    rows = await query.order_by(*ordering).limit(WALL_LIMIT).prefetch_related('compound', 'building')
    supported = await _supported(user, [row.id for row in rows])
    return [Card(id=row.id, title=row.title, category=_category(row.category), place=place_of(row),
                 state=row.state, state_label=lifecycle.label(row.state), supports=row.support_count,
                 created_at=row.created_at, supported=row.id in supported,
                 own=user.resident_id is not None and row.author_id == user.resident_id) for row in rows]


def wall_states() -> dict[str, str]:
    """The states an issue on the wall can be in, for the filter."""
    return {s.value: s.label for s in lifecycle.IssueState if s.value not in HIDDEN_FROM_WALL}


async def detail(user: Principal, issue_id: int) -> Detail:
    """One item with its photos and timeline. Errors: not_found (also when the viewer may not see it)."""
    issue = await Issue.get_or_none(id=issue_id).prefetch_related('compound', 'building')
    if issue is None or not may_read(user, issue.community_id):
        raise DomainError('not_found', '找不到这条议题')
    photos = await IssuePhoto.filter(issue_id=issue.id).order_by('position', 'id').values_list('key', flat=True)
    events = await IssueEvent.filter(issue_id=issue.id).order_by('at', 'id')
    own = user.resident_id is not None and issue.author_id == user.resident_id
    roles = issues.roles_for(user, issue)  # the same roles the move service checks
    return Detail(
        id=issue.id, community_id=issue.community_id, kind=issue.kind, title=issue.title, body=issue.body,
        category=_category(issue.category), place=place_of(issue),
        author=issue.author_name if issue.show_author else ANONYMOUS_AUTHOR,
        state=issue.state, state_label=lifecycle.label(issue.state), supports=issue.support_count,
        supported=issue.id in await _supported(user, [issue.id]), own=own, photos=list(photos),
        timeline=[Entry(e.to_state, lifecycle.label(e.to_state), e.at, e.reason) for e in events],
        next_states=[s.value for s in lifecycle.allowed_next(issue.kind, issue.state, roles) if s.value != 'merged'],
        may_merge=issue.kind == 'issue' and 'merged' in lifecycle.allowed_next(issue.kind, issue.state, roles)
        and can(user, 'issue.merge', issue))


async def places(user: Principal, community_id: int) -> Places:
    """Compounds and buildings to choose the place from, and the viewer's own building."""
    compounds = {c.id: c.name for c in await Compound.filter(community_id=community_id).order_by('name', 'id')}
    buildings: dict[int, dict[int, str]] = {c: {} for c in compounds}
    for b in await Building.filter(compound__community_id=community_id).order_by('name', 'id'):
        buildings.setdefault(b.compound_id, {})[b.id] = b.name
    home_compound = home_building = None
    if user.resident_id is not None:
        resident = await Resident.get_or_none(id=user.resident_id).prefetch_related('household__building')
        if resident is not None and resident.household is not None \
                and resident.household.building.compound_id in compounds:
            home_building = resident.household.building_id
            home_compound = resident.household.building.compound_id
    return Places(compounds, buildings, home_compound, home_building)


@dataclass(frozen=True)
class Move:
    """One move on the timeline as an integration reads it: from, to, why, when."""
    from_state: str | None
    to_state: str
    label: str
    reason: str | None
    at: datetime


async def pushed(key: ApiKey, reference: str) -> tuple[Issue, list[Move]]:
    """An item this key pushed with `reference`, and its timeline. Errors: not_found (also another key's item)."""
    issue = await Issue.get_or_none(community_id=key.community_id, external_source=key.prefix,
                                    external_ref=str(reference)[:80])
    if issue is None:
        raise DomainError('not_found', '找不到这条议题')
    events = await IssueEvent.filter(issue_id=issue.id).order_by('at', 'id')
    return issue, [Move(e.from_state, e.to_state, lifecycle.label(e.to_state), e.reason, e.at) for e in events]


async def photo_visible(user: Principal, key: str) -> bool:
    """May this person see the stored photo with this key (a photo of an item of their community)?"""
    communities = [c for c in user.roles if user.roles_in(c)]
    return bool(communities) and await IssuePhoto.filter(key=key, issue__community_id__in=communities).exists()


async def unread_count(user: Principal) -> int:
    if not user.is_authenticated:
        return 0
    return await Notification.filter(account_id=user.account_id, read_at=None).count()


async def _supported(user: Principal, issue_ids: list[int]) -> set[int]:
    if user.resident_id is None or not issue_ids:
        return set()
    return set(await IssueSupport.filter(resident_id=user.resident_id, issue_id__in=issue_ids)
               .values_list('issue_id', flat=True))


def _category(key: str) -> str:
    category = triage.CATEGORIES.get(key)
    return category.label if category else key


def place_of(issue: Issue) -> str:
    """'嘉明花园 3栋': where an item is (its compound and building loaded)."""
    parts = [p.name for p in (issue.compound, issue.building) if p is not None]
    return ' '.join(parts)


async def merge_candidates(user: Principal, issue_id: int) -> dict[int, str]:
    """The open issues of the same community that this one could be merged into (id → title), newest first."""
    issue = await Issue.get_or_none(id=issue_id)
    if issue is None or not can(user, 'issue.merge', issue):
        return {}
    rows = await Issue.filter(community_id=issue.community_id, kind='issue').exclude(id=issue.id) \
        .exclude(state__in=[s.value for s in lifecycle.IssueState if lifecycle.is_final(s)]) \
        .order_by('-created_at', '-id').limit(200)
    return {row.id: f'#{row.id} {row.title}' for row in rows}
