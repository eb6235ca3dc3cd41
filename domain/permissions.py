"""Who may do what: one table, one `can()`. Pages ask before they offer an action; services ask again."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ROLES = ('resident', 'volunteer', 'staff', 'committee', 'supervisor', 'admin')

WORK_ROLES = frozenset(ROLES) - {'resident'}  # roles that open the admin screens (volunteers print cards)

ROLE_LABELS = {
    'resident': '居民', 'volunteer': '志愿者', 'staff': '社区工作者', 'committee': '两委成员',
    'supervisor': '居务监督委员会', 'admin': '管理员',
}

_STAFF = frozenset({'staff', 'admin'})
_READERS = frozenset({'staff', 'committee', 'supervisor', 'admin'})

# action → roles that may do it within the target's community
ACTIONS: dict[str, frozenset[str]] = {
    'place.view': _READERS,  # the admin screens of compounds, buildings and households
    'place.edit': _STAFF,
    'resident.view': _READERS,  # full details, unmasked phone numbers
    'resident.edit': _STAFF,
    'resident.verify': _STAFF,
    'resident.issue_link': _STAFF,  # the personal sign-in link/QR handed to a resident
    'resident.print_card': _STAFF | {'volunteer'},  # the printed personal code for people without a phone
    'resident.revoke_code': _STAFF,
    'roster.import': _STAFF,
    'council.view': frozenset(ROLES),
    'council.edit': _STAFF,
    'community.join_qr': _STAFF,  # print the self-registration poster
    'role.grant': frozenset({'admin'}),
    'apikey.manage': frozenset({'admin'}),
    'audit.read': frozenset({'supervisor', 'committee', 'admin'}),
    'checkin.scan': frozenset({'volunteer', 'staff', 'admin'}),  # scanner, search check-in, card links
    'meeting.manage': _STAFF,  # create meetings and series, invite, agenda, open and close check-in
    'meeting.attendance': _READERS | {'volunteer'},  # who came: names by seat and building, sheets and exports
    'meeting.minutes': _STAFF,  # write minutes and draft outcomes
    'outcome.review': frozenset({'committee', 'admin'}),  # the Party organisation's 审核 before outcomes are public
    'meeting.checkin_self': frozenset({'resident'}),  # scan the meeting QR and tap 签到
    'hall.post': frozenset({'resident', 'staff', 'committee'}),  # 线上议事厅 posts and replies
    'hall.moderate': _STAFF,  # hide a post with a reason
    'vote.manage': _STAFF,  # define, open, close, cancel and finalise votes
    'vote.enter': _STAFF,  # type in paper and proxy ballots (who entered each is recorded)
    'vote.cast': frozenset({'resident'}),  # on one's phone (the service also checks the roll)
    'vote.object': frozenset({'resident'}),  # 异议 during the 公示 period
    'vote.answer': _STAFF | {'committee'},  # answer an objection (uphold or dismiss)
    'vote.roll': _READERS,  # the frozen roll, who voted (open votes: who chose what), the hash chain
    'issue.view': frozenset(ROLES),  # issues and wishes: anyone with a role in their community
    'issue.raise': frozenset({'resident'}),  # a resident raises in their own community
    'issue.support': frozenset({'resident'}),  # 附议 (the service also needs the resident verified)
    'issue.record': _STAFF,  # on a resident's behalf: phone, 12345, WeChat group, visit, box, meeting
    'issue.merge': _STAFF,
    'issue.ledger': _READERS,  # the staff ledger (台账) of every issue and wish, and its Excel export
    'issue.triage': _STAFF | {'committee'},  # the 两委 joint meeting sorts issues into 大事/小事/微事
    'wish.claim': _STAFF | {'volunteer'},  # 认领 a micro-wish; residents tagged 党员/志愿者 may too (domain.wishes)
    'project.view': frozenset(ROLES),  # projects in the app (the public board needs no sign-in at all)
    'project.manage': _STAFF,  # create projects, milestones, statuses, progress updates, report done, cancel
    'project.money': _STAFF,  # budget lines and spending records with receipts
    'pledge.make': frozenset({'resident'}),  # 投工投劳、出资出物 on one's phone
    'pledge.confirm': _STAFF,  # organisers confirm what arrived, record a pledge for someone, export the ledger
    'rating.make': frozenset({'resident'}),  # 民事民评: one rating per resident and round
    'rating.record': _STAFF,  # type in a rating for one without a phone (who recorded it is kept)
    'rating.manage': frozenset({'staff', 'supervisor', 'admin'}),  # open and close a rating round
    'rating.read': _READERS,  # every rating and comment with the rater's name (居务监督委员会)
    'dashboard.view': _READERS,  # the 五民 funnel and the 吹哨报到 assessment export
    'resident.phone': _STAFF,  # unmasked phone numbers in listings and details; everyone else sees 138****5678
}

# actions on one's own record: allowed to the resident the target is, whatever the roles
SELF_ACTIONS = frozenset({'resident.own_code', 'resident.own_profile'})


@dataclass(frozen=True)
class Principal:
    """The signed-in person as the rules see them."""
    account_id: int | None
    roles: Mapping[int, frozenset[str]] = field(default_factory=dict)  # community id → roles
    resident_id: int | None = None
    verified: bool = False
    name: str = ''

    @property
    def is_authenticated(self) -> bool:
        return self.account_id is not None

    def roles_in(self, community_id: int | None) -> frozenset[str]:
        return self.roles.get(community_id, frozenset()) if community_id is not None else frozenset()

    @property
    def has_work_role(self) -> bool:
        """Holds any role beyond being a resident, in some community."""
        return any(roles & WORK_ROLES for roles in self.roles.values())

    def has_role(self, role: str) -> bool:
        return any(role in roles for roles in self.roles.values())

    def communities_with(self, action: str) -> list[int]:
        """The communities where this principal may do `action`."""
        allowed = ACTIONS.get(action, frozenset())
        return sorted(c for c, roles in self.roles.items() if roles & allowed)


ANONYMOUS = Principal(account_id=None)


def community_of(target: object) -> int | None:
    """A target is a community id, or anything with a `community_id` (a Resident, a Compound …)."""
    if isinstance(target, bool):
        return None
    if isinstance(target, int):
        return target
    value = getattr(target, 'community_id', None)
    return value if isinstance(value, int) else None


def can(user: Principal, action: str, target: object) -> bool:
    """May `user` do `action` on `target`? Unknown actions are refused."""
    if not user.is_authenticated:
        return False
    if action in SELF_ACTIONS:
        return user.resident_id is not None and getattr(target, 'id', None) == user.resident_id
    allowed = ACTIONS.get(action)
    if allowed is None:
        return False
    return bool(user.roles_in(community_of(target)) & allowed)
