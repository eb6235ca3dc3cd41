"""`python main.py --create-admin`: the first admin of a community, and a password reset for a locked-out one."""
from datetime import UTC, datetime

import pytest

from domain.errors import DomainError
from models import Account, Community, RoleGrant
from services import auth, setup

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


async def _error(coro) -> DomainError:
    with pytest.raises(DomainError) as e:
        await coro
    return e.value


async def test_create_admin_makes_street_community_and_an_admin_who_can_sign_in(db) -> None:
    message = await setup.create_admin(phone='13800009999', name='周主任', community_path='西陵街道/船柴社区',
                                       password='a long password')
    assert '已创建管理员 周主任' in message
    community = await Community.get(name='船柴社区').prefetch_related('street')
    assert community.street.name == '西陵街道'
    account = await auth.sign_in_with_password('13800009999', 'a long password', at=T0)
    roles = {g.role for g in await RoleGrant.filter(account_id=account.id, community_id=community.id)}
    assert roles == {'admin', 'staff'}


async def test_create_admin_again_resets_the_password_and_creates_nothing_new(db) -> None:
    await setup.create_admin(phone='13800009999', name='周主任', community_path='西陵街道/船柴社区',
                             password='a long password')
    message = await setup.create_admin(phone='13800009999', name='周主任', community_path='西陵街道/船柴社区',
                                       password='another long one')
    assert '已重设' in message
    assert await Community.all().count() == 1 and await Account.all().count() == 1
    assert await RoleGrant.all().count() == 2
    assert (await _error(auth.sign_in_with_password('13800009999', 'a long password', at=T0))).code == \
        'bad_credentials'
    assert await auth.sign_in_with_password('13800009999', 'another long one', at=T0)


@pytest.mark.parametrize(('phone', 'path', 'password', 'code'), [
    ('1380000', '西陵街道/船柴社区', 'a long password', 'invalid_phone'),
    ('13800009999', '船柴社区', 'a long password', 'invalid_community'),
    ('13800009999', '西陵街道/', 'a long password', 'invalid_community'),
    ('13800009999', '西陵街道/船柴社区', 'short', 'weak_password'),
])
async def test_create_admin_refuses_bad_input_and_changes_nothing(db, phone, path, password, code) -> None:
    with pytest.raises(DomainError) as e:
        await setup.create_admin(phone=phone, name='周主任', community_path=path, password=password)
    assert e.value.code == code
    assert await Community.all().count() == 0 and await Account.all().count() == 0
