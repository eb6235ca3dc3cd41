"""Every role × every action, against a table written out here: changing who may do what must be deliberate."""
from dataclasses import dataclass

import pytest

from domain.permissions import ACTIONS, ANONYMOUS, ROLES, SELF_ACTIONS, Principal, can

HERE, THERE = 1, 2

_STAFF_WORK = {
    'place.view', 'place.edit', 'resident.view', 'resident.edit', 'resident.verify', 'resident.issue_link',
    'resident.print_card', 'resident.revoke_code', 'resident.phone', 'roster.import', 'council.view',
    'council.edit', 'community.join_qr', 'checkin.scan', 'issue.record', 'issue.merge', 'issue.triage',
    'wish.claim', 'issue.ledger', 'issue.view', 'meeting.manage', 'meeting.attendance', 'meeting.minutes',
    'hall.moderate', 'vote.manage', 'vote.enter', 'vote.answer', 'vote.roll', 'project.view', 'project.manage',
    'project.money', 'pledge.confirm', 'rating.record', 'rating.manage', 'rating.read', 'dashboard.view',
}
_READ_ONLY = {'place.view', 'resident.view', 'council.view', 'audit.read', 'issue.ledger', 'issue.view',
              'meeting.attendance', 'vote.roll', 'project.view', 'rating.read', 'dashboard.view'}

EXPECTED: dict[str, set[str]] = {
    'resident': {'council.view', 'issue.raise', 'issue.support', 'issue.view', 'meeting.checkin_self', 'hall.post',
                 'vote.cast', 'vote.object', 'project.view', 'pledge.make', 'rating.make'},
    # wish.claim: volunteers, and residents tagged 党员 / 志愿者 (domain.wishes)
    'volunteer': {'council.view', 'resident.print_card', 'checkin.scan', 'wish.claim', 'issue.view',
                  'meeting.attendance', 'project.view'},
    'staff': _STAFF_WORK | {'hall.post'},
    # the 两委 joint meeting decides the triage; the Party organisation reviews outcomes before they are public
    'committee': _READ_ONLY | {'issue.triage', 'outcome.review', 'hall.post', 'vote.answer'},
    'supervisor': _READ_ONLY | {'rating.manage'},  # runs evaluations and reads the audit log; edits nothing else
    'admin': _STAFF_WORK | {'role.grant', 'apikey.manage', 'audit.read', 'outcome.review'},
}
ALL_ACTIONS = sorted(set().union(*EXPECTED.values()))


@dataclass
class _Target:
    id: int
    community_id: int


def _person(*roles: str, community: int = HERE, resident_id: int | None = None) -> Principal:
    return Principal(account_id=100, roles={community: frozenset(roles)}, resident_id=resident_id, verified=True)


def test_the_table_has_exactly_the_actions_this_matrix_knows() -> None:
    assert set(ACTIONS) == set(ALL_ACTIONS), 'an action was added or removed: update EXPECTED here on purpose'
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize('action', sorted(set(ACTIONS) | set(ALL_ACTIONS)))
@pytest.mark.parametrize('role', ROLES)
def test_each_role_may_do_exactly_the_actions_in_the_matrix(role: str, action: str) -> None:
    user = _person(role)
    expected = action in EXPECTED[role]
    assert can(user, action, HERE) is expected
    assert can(user, action, _Target(id=55, community_id=HERE)) is expected  # a record of this community


@pytest.mark.parametrize('action', ALL_ACTIONS)
@pytest.mark.parametrize('role', ROLES)
def test_a_role_in_one_community_grants_nothing_in_another(role: str, action: str) -> None:
    user = _person(role, community=HERE)
    assert not can(user, action, THERE)
    assert not can(user, action, _Target(id=55, community_id=THERE))


@pytest.mark.parametrize('action', ALL_ACTIONS + sorted(SELF_ACTIONS))
def test_anonymous_may_do_nothing(action: str) -> None:
    assert not can(ANONYMOUS, action, HERE)
    assert not can(ANONYMOUS, action, _Target(id=55, community_id=HERE))


def test_a_signed_in_account_without_roles_may_do_nothing() -> None:
    nobody = Principal(account_id=5)
    assert not any(can(nobody, action, HERE) for action in ALL_ACTIONS)


@pytest.mark.parametrize('role', ROLES)
def test_unknown_actions_are_refused_whatever_the_role(role: str) -> None:
    user = _person(role)
    for action in ('place.delete', 'everything', '', 'role.grant ', 'ROLE.GRANT'):
        assert not can(user, action, HERE)


def test_targets_without_a_community_are_refused() -> None:
    admin = _person('admin')
    assert not can(admin, 'place.view', None)
    assert not can(admin, 'place.view', object())
    assert not can(admin, 'place.view', True)  # a bool is not community 1
    assert not can(admin, 'place.view', '1')


@pytest.mark.parametrize('action', sorted(SELF_ACTIONS))
def test_self_actions_apply_only_to_ones_own_resident_record(action: str) -> None:
    me = _person('resident', resident_id=7)
    assert can(me, action, _Target(id=7, community_id=HERE))
    assert not can(me, action, _Target(id=8, community_id=HERE))  # a neighbour's record
    assert not can(me, action, 7)  # a bare id is not a record
    admin = _person(*ROLES)  # roles do not stand in for being the person
    assert not can(admin, action, _Target(id=7, community_id=HERE))
    staff_without_record = Principal(account_id=9, roles={HERE: frozenset({'staff'})})
    assert not can(staff_without_record, action, _Target(id=7, community_id=HERE))


def test_self_actions_are_not_in_the_role_table() -> None:
    assert not SELF_ACTIONS & set(ACTIONS)
