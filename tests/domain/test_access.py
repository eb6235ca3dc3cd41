"""Which roles an admin hands out, and the guard that keeps every community administered."""
import pytest

from domain.access import GRANTABLE_ROLES, check_role, why_cannot_revoke
from domain.errors import DomainError
from domain.permissions import ROLES


def test_every_role_but_resident_can_be_granted() -> None:
    assert set(GRANTABLE_ROLES) == set(ROLES) - {'resident'}
    for role in GRANTABLE_ROLES:
        assert check_role(role) == role


@pytest.mark.parametrize(('role', 'code'), [('resident', 'role_not_grantable'), ('mayor', 'unknown_role'),
                                            ('', 'unknown_role'), ('Admin', 'unknown_role')])
def test_other_roles_are_refused_with_a_reason(role: str, code: str) -> None:
    with pytest.raises(DomainError) as e:
        check_role(role)
    assert e.value.code == code


def test_the_last_admin_cannot_lose_the_admin_role_whoever_asks() -> None:
    mine = why_cannot_revoke(actor_account_id=1, account_id=1, role='admin', admins_in_community=1)
    assert [r.code for r in mine] == ['last_admin'] and '自己' in mine[0].message
    theirs = why_cannot_revoke(actor_account_id=2, account_id=1, role='admin', admins_in_community=1)
    assert [r.code for r in theirs] == ['last_admin']


def test_with_another_admin_the_admin_role_may_go_even_ones_own() -> None:
    assert why_cannot_revoke(actor_account_id=1, account_id=1, role='admin', admins_in_community=2) == []
    assert why_cannot_revoke(actor_account_id=2, account_id=1, role='admin', admins_in_community=2) == []


@pytest.mark.parametrize('role', ['volunteer', 'staff', 'committee', 'supervisor'])
def test_other_roles_may_always_be_revoked(role: str) -> None:
    assert why_cannot_revoke(actor_account_id=1, account_id=1, role=role, admins_in_community=0) == []
