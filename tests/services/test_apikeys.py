"""API keys: only an admin of the community creates one; the full key is returned once and only its hash kept."""
import hashlib
from datetime import UTC, datetime

import pytest

from domain.errors import DomainError
from models import ApiKey, AuditEntry
from services import apikeys, events
from tests.support import make_account, make_community, principal_of


async def _admin():
    community = await make_community()
    return community, await principal_of(await make_account(community, 'admin'))


async def test_the_full_key_is_returned_once_and_only_its_sha256_is_stored(db) -> None:
    community, actor = await _admin()
    row, key = await apikeys.create(actor, community.id, '12345 热线对接')
    assert key.startswith(f'gs_{row.prefix}_') and len(key) > 40
    stored = await ApiKey.get(id=row.id)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    for value in stored.__dict__.values():
        assert key not in str(value)
    listed = await apikeys.keys(actor, community.id)
    assert [k.id for k in listed] == [row.id]
    assert not hasattr(listed[0], 'key')
    entry = await AuditEntry.get(action='apikey.created')
    assert key not in str(entry.data)


async def test_a_good_key_authenticates_and_records_when_it_was_last_used(db) -> None:
    community, actor = await _admin()
    row, key = await apikeys.create(actor, community.id, '对接')
    used_at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    found = await apikeys.authenticate(key, at=used_at)
    assert found.id == row.id and found.community_id == community.id
    assert (await ApiKey.get(id=row.id)).last_used_at == used_at


@pytest.mark.parametrize(('presented', 'code'), [
    (None, 'api_key_missing'),
    ('', 'api_key_missing'),
    ('not-a-key', 'api_key_invalid'),
    ('gs_00000000_' + 'x' * 43, 'api_key_invalid'),
    ('gs_' + 'x' * 300, 'api_key_invalid'),
])
async def test_missing_or_unknown_keys_are_refused(db, presented, code) -> None:
    community, actor = await _admin()
    await apikeys.create(actor, community.id, '对接')
    with pytest.raises(DomainError) as e:
        await apikeys.authenticate(presented)
    assert e.value.code == code


async def test_a_revoked_key_is_refused_and_revoking_again_changes_nothing(db) -> None:
    community, actor = await _admin()
    row, key = await apikeys.create(actor, community.id, '对接')
    seen: list[events.Event] = []
    unsubscribe = events.subscribe('apikey.*', seen.append)
    try:
        await apikeys.revoke(actor, row.id)
        await apikeys.revoke(actor, row.id)
    finally:
        unsubscribe()
    with pytest.raises(DomainError) as e:
        await apikeys.authenticate(key)
    assert e.value.code == 'api_key_invalid'
    assert await AuditEntry.filter(action='apikey.revoked').count() == 1
    assert [e.name for e in seen] == ['apikey.revoked']


@pytest.mark.parametrize('role', ['resident', 'volunteer', 'staff', 'committee', 'supervisor'])
async def test_only_an_admin_creates_lists_and_revokes_keys(db, role) -> None:
    community, admin = await _admin()
    row, _ = await apikeys.create(admin, community.id, '对接')
    actor = await principal_of(await make_account(community, role))
    for attempt in (apikeys.create(actor, community.id, '偷偷对接'), apikeys.keys(actor, community.id),
                    apikeys.revoke(actor, row.id)):
        with pytest.raises(DomainError) as e:
            await attempt
        assert e.value.code == 'forbidden'
    assert await ApiKey.all().count() == 1
    assert (await ApiKey.get(id=row.id)).revoked_at is None


async def test_an_admin_of_another_community_cannot_touch_this_communitys_keys(db) -> None:
    community, admin = await _admin()
    row, _ = await apikeys.create(admin, community.id, '对接')
    other = await make_community('夷陵社区')
    outsider = await principal_of(await make_account(other, 'admin'))
    with pytest.raises(DomainError) as e:
        await apikeys.revoke(outsider, row.id)
    assert e.value.code == 'forbidden'
    with pytest.raises(DomainError) as e:
        await apikeys.keys(outsider, community.id)
    assert e.value.code == 'forbidden'


@pytest.mark.parametrize('name', ['', '   ', 'x' * 61, 'bad\x00name'])
async def test_a_key_needs_a_sensible_name(db, name) -> None:
    community, actor = await _admin()
    with pytest.raises(DomainError) as e:
        await apikeys.create(actor, community.id, name)
    assert e.value.code == 'invalid_name'
    assert not await ApiKey.exists()
