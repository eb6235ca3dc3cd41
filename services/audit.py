"""The append-only audit log: every service that changes something writes one entry."""
from __future__ import annotations

from datetime import UTC, datetime

from models import AuditEntry


def now() -> datetime:
    return datetime.now(UTC)


async def record(action: str, *, actor_id: int | None, community_id: int | None = None,
                 target: object = None, data: dict | None = None, at: datetime | None = None,
                 using_db=None) -> AuditEntry:
    """Insert one entry: `action` is dotted (resident.verified), `target` any model instance."""
    return await AuditEntry.create(
        at=at or now(), actor_id=actor_id, action=action, community_id=community_id,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, 'id', None), data=data or {}, using_db=using_db,
    )
