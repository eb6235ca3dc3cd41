"""Progress reports of a project (进度公开): text, a progress value or a stage, photos before / during / after.

Photos go through services.photos exactly as an issue's do: every one is checked and re-encoded before anything
is stored, so one bad photo refuses the whole report and leaves nothing behind. A report carries the client's
nonce: a double tap or a resend returns the first report (a unique constraint backs it).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import projects as rules
from domain.errors import DomainError
from domain.people import checked_text as _text
from models import ProgressPhoto, ProgressUpdate, Project
from services import audit, events, projects
from services import photos as photo_store  # `photos` is post_update's parameter

PhotoData = bytes | photo_store.ProcessedPhoto  # raw upload bytes, or a photo the page already checked and re-encoded
MAX_NONCE = 64


async def post_update(actor, project_id: int, *, text: str, progress: int | None = None,
                      status_id: int | None = None, photos: Sequence[tuple[str, PhotoData, str]] = (),
                      nonce: str, at: datetime | None = None) -> ProgressUpdate:
    """Post a progress report; the project's progress (and stage) change with it, in the same transaction.

    `photos`: (phase, data, filename) with phase before | during | after. A replayed nonce returns the first report.
    Errors: not_found, forbidden, project_closed, invalid_update, invalid_nonce, invalid_phase, invalid_status,
    invalid_progress, too_many_photos and the photo errors of services.photos.
    """
    at = at or audit.now()
    nonce = (nonce or '').strip()
    if not nonce or len(nonce) > MAX_NONCE:
        raise DomainError('invalid_nonce', '页面已过期，请刷新后再提交')
    project = await projects.managed(actor, project_id)
    first = await ProgressUpdate.get_or_none(project_id=project.id, nonce=nonce)
    if first is not None:
        return first
    text = _text(text, rules.MAX_UPDATE, 'invalid_update', '进展说明')
    if len(text) < 2:
        raise DomainError('invalid_update', '请写几句进展（至少 2 个字）')
    status = await projects.status_of(project.community_id, status_id) if status_id is not None else None
    value = rules.check_progress(progress) if progress is not None else (status.progress if status else None)
    for phase, _data, _name in photos:
        if phase not in rules.PHASES:
            raise DomainError('invalid_phase', '请选择照片是施工前、施工中还是完工后')
    photo_store.check_count(0, len(photos))
    processed = [(phase, data if isinstance(data, photo_store.ProcessedPhoto)
                  else await photo_store.process_async(data, filename=name))
                 for phase, data, name in photos]  # every photo checked before anything is stored
    try:
        async with in_transaction() as conn:
            update = await ProgressUpdate.create(project_id=project.id, text=text, progress=value,
                                                 status_id=status.id if status else None,
                                                 author_id=actor.account_id, nonce=nonce, created_at=at,
                                                 using_db=conn)
            for position, (phase, photo) in enumerate(processed):
                key = photo_store.save(photo)
                await ProgressPhoto.create(update_id=update.id, phase=phase, key=key, width=photo.width,
                                           height=photo.height, position=position, using_db=conn)
            changes: dict[str, object] = {'updated_at': at}
            if value is not None:
                changes['progress'] = value
            if status is not None:
                changes['status_id'] = status.id
            await Project.filter(id=project.id).using_db(conn).update(**changes)
            await audit.record('project.progress.posted', actor_id=actor.account_id,
                               community_id=project.community_id, target=update,
                               data={'project_id': project.id, 'progress': value, 'photos': len(processed)},
                               at=at, using_db=conn)
    except IntegrityError:  # the same nonce from a second tap committed first
        return await ProgressUpdate.get(project_id=project.id, nonce=nonce)
    await events.publish('project.progress', community_id=project.community_id, project_id=project.id,
                         update_id=update.id)
    return update

