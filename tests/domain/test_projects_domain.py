"""The project lifecycle as one table: every edge, who may take it, which need a reason; contacts and progress."""
import pytest

from domain import projects as rules
from domain.errors import DomainError
from domain.permissions import ROLES
from domain.projects import ProjectState as S

STAFF = frozenset({'staff'})
ADMIN = frozenset({'admin'})
SUPERVISOR = frozenset({'supervisor'})
# (from, to, roles that may, reason required)
EDGES = [
    (S.PREPARING, S.UNDERWAY, {'staff', 'admin'}, False),
    (S.PREPARING, S.CANCELLED, {'staff', 'admin'}, True),
    (S.UNDERWAY, S.RATING, {'staff', 'admin'}, False),
    (S.UNDERWAY, S.CANCELLED, {'staff', 'admin'}, True),
    (S.RATING, S.CLOSED, {'staff', 'admin', 'supervisor'}, False),
    (S.RATING, S.RECTIFYING, {'staff', 'admin', 'supervisor'}, True),
    (S.RECTIFYING, S.RATING, {'staff', 'admin'}, False),
]


@pytest.mark.parametrize(('here', 'there', 'allowed', 'needs_reason'), EDGES)
def test_each_edge_is_taken_only_by_its_roles_and_with_a_reason_where_required(here, there, allowed,
                                                                               needs_reason) -> None:
    for role in ROLES:
        roles = frozenset({role})
        if role not in allowed:
            with pytest.raises(DomainError) as refused:
                rules.check_transition(here, there, roles=roles, reason='因为')
            assert refused.value.code == 'forbidden'
            continue
        rules.check_transition(here, there, roles=roles, reason='因为')
        if needs_reason:
            with pytest.raises(DomainError) as refused:
                rules.check_transition(here, there, roles=roles, reason='  ')
            assert refused.value.code == 'reason_required'
        else:
            rules.check_transition(here, there, roles=roles, reason=None)


def test_no_edge_outside_the_table_is_allowed_to_anyone() -> None:
    listed = {(a, b) for a, b, _, _ in EDGES}
    everyone = frozenset(ROLES)
    for here in S:
        for there in S:
            if (here, there) in listed:
                continue
            with pytest.raises(DomainError) as refused:
                rules.check_transition(here, there, roles=everyone, reason='因为')
            assert refused.value.code == 'illegal_transition'


def test_closed_and_cancelled_are_final_and_unknown_states_are_refused() -> None:
    assert rules.allowed_next('closed', frozenset(ROLES)) == []
    assert rules.allowed_next('cancelled', frozenset(ROLES)) == []
    with pytest.raises(DomainError) as refused:
        rules.check_transition('nonsense', 'underway', roles=ADMIN, reason=None)
    assert refused.value.code == 'illegal_transition'


def test_the_buttons_staff_and_a_supervisor_get_follow_the_table() -> None:
    assert rules.allowed_next('underway', STAFF) == [S.RATING, S.CANCELLED]
    assert rules.allowed_next('underway', SUPERVISOR) == []
    assert rules.allowed_next('rating', SUPERVISOR) == [S.CLOSED, S.RECTIFYING]
    assert rules.allowed_next('preparing', frozenset({'resident'})) == []


def test_open_states_are_those_before_closing_or_cancelling() -> None:
    assert [s for s in S if rules.is_open(s)] == [S.PREPARING, S.UNDERWAY, S.RATING, S.RECTIFYING]
    assert {S.UNDERWAY, S.RECTIFYING} == rules.FINISHING


@pytest.mark.parametrize(('typed', 'stored'), [
    ('13912345678', '13912345678'), ('139 1234 5678', '13912345678'), ('+86 139-1234-5678', '13912345678'),
    ('0717-6221234', '0717-6221234'), ('07176221234', '0717-6221234'), ('（0717）6221234', '0717-6221234'),
    ('010-62212345', '010-62212345'), ('', None), (None, None), ('  ', None),
])
def test_a_contact_number_is_a_mobile_or_a_landline_with_area_code(typed, stored) -> None:
    assert rules.check_lead_phone(typed) == stored


@pytest.mark.parametrize('typed', ['12345678901', '1391234567', '139123456789', '6221234', '0717-12', '电话',
                                   '0717-0221234'])
def test_a_wrong_contact_number_is_refused_in_words(typed) -> None:
    with pytest.raises(DomainError) as refused:
        rules.check_lead_phone(typed)
    assert refused.value.code == 'invalid_phone'


@pytest.mark.parametrize('value', [-1, 101, 50.0, '50', True, None])
def test_progress_is_a_whole_number_from_0_to_100(value) -> None:
    with pytest.raises(DomainError) as refused:
        rules.check_progress(value)
    assert refused.value.code == 'invalid_progress'
    assert rules.check_progress(0) == 0 and rules.check_progress(100) == 100
