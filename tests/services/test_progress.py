"""Progress reports on a real database: photos checked like an issue's (one bad photo stores nothing), the project's
progress and stage move with the report, a double tap posts once, and only staff report on open projects."""
import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from domain.errors import DomainError
from models import AuditEntry, ProgressPhoto, ProgressUpdate, Project
from services import config, events, progress, project_views, projects
from tests.support import make_account, make_community, make_household, make_project, make_resident, principal_of

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _jpeg(size=(2400, 1800), colour=(120, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, colour).save(buffer, format='JPEG')
    return buffer.getvalue()


def _stored_photos() -> list:
    root = config.current().data_dir / 'photos'
    return [p for p in root.rglob('*.jpg')] if root.exists() else []


@pytest.fixture
async def world(db):
    community = await make_community()
    home = await make_household(community)
    resident = await make_resident(community, household=home)
    project = await make_project(community, state='underway')
    return {
        'community': community, 'project': project,
        'staff': await principal_of(await make_account(community, 'staff', name='李敏')),
        'resident': await principal_of(await make_account(community, name='张桂兰', resident=resident,
                                                          password=None)),
    }


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def test_a_report_with_before_and_after_photos_moves_the_projects_progress(world) -> None:
    heard = []
    events.subscribe('project.*', heard.append)
    update = await progress.post_update(
        world['staff'], world['project'].id, text='旧灯已拆除，新灯安装了一半', progress=60, nonce='n-1', at=AT,
        photos=[('before', _jpeg(), 'a.jpg'), ('after', _jpeg((800, 600), (10, 10, 10)), 'b.jpg')])
    photos = await ProgressPhoto.filter(update_id=update.id).order_by('position')
    assert [(p.phase, p.width, p.height) for p in photos] == [('before', 1600, 1200), ('after', 800, 600)]
    assert len(_stored_photos()) == 2
    project = await Project.get(id=world['project'].id)
    assert (project.progress, project.updated_at) == (60, AT)
    assert [e.name for e in heard] == ['project.progress']
    assert await AuditEntry.filter(action='project.progress.posted').count() == 1
    view = await project_views.progress_view(world['resident'], world['project'].id)
    assert [(p.phase_label, p.url) for p in view.updates[0].photos] == [
        ('施工前', f'/photos/{photos[0].key}.jpg'), ('完工后', f'/photos/{photos[1].key}.jpg')]
    assert (view.updates[0].author, view.may_manage) == ('李敏', False)


async def test_a_stage_given_with_the_report_sets_the_progress_unless_a_number_is_given(world) -> None:
    rows = {s.key: s for s in await projects.statuses(world['community'].id)}
    await progress.post_update(world['staff'], world['project'].id, text='进入收尾', status_id=rows['finishing'].id,
                               nonce='n-1', at=AT)
    project = await Project.get(id=world['project'].id)
    assert (project.status_id, project.progress) == (rows['finishing'].id, 80)
    await progress.post_update(world['staff'], world['project'].id, text='收尾快完了', status_id=rows['finishing'].id,
                               progress=90, nonce='n-2', at=AT)
    assert (await Project.get(id=world['project'].id)).progress == 90
    await progress.post_update(world['staff'], world['project'].id, text='今天下雨停工', nonce='n-3', at=AT)
    assert (await Project.get(id=world['project'].id)).progress == 90  # a report without a number keeps it
    assert (await ProgressUpdate.get(nonce='n-3')).progress is None


async def test_a_bad_photo_refuses_the_whole_report_and_nothing_is_stored(world) -> None:
    refused = await _refusal(progress.post_update(
        world['staff'], world['project'].id, text='完工了', progress=100, nonce='n-1', at=AT,
        photos=[('after', _jpeg(), 'ok.jpg'), ('after', b'%PDF-1.4\n%fake\n', 'receipt.pdf')]))
    assert refused.code == 'photo_not_image'
    assert not await ProgressUpdate.exists() and not await ProgressPhoto.exists()
    assert _stored_photos() == []
    assert (await Project.get(id=world['project'].id)).progress == 0


@pytest.mark.parametrize(('photos', 'code'), [
    ([('after', _jpeg((400, 300)), 'x.jpg')] * 4, 'too_many_photos'),
    ([('later', _jpeg((400, 300)), 'x.jpg')], 'invalid_phase'),
    ([('after', b'', 'empty.jpg')], 'photo_empty'),
])
async def test_too_many_photos_an_unknown_phase_or_an_empty_file_are_refused(world, photos, code) -> None:
    refused = await _refusal(progress.post_update(world['staff'], world['project'].id, text='进展', nonce='n-1',
                                                  photos=photos, at=AT))
    assert refused.code == code
    assert not await ProgressUpdate.exists() and _stored_photos() == []


@pytest.mark.parametrize(('fields', 'code'), [
    ({'text': ' '}, 'invalid_update'), ({'text': '长' * 1001}, 'invalid_update'),
    ({'progress': 120}, 'invalid_progress'), ({'progress': '50'}, 'invalid_progress'),
    ({'status_id': 99999}, 'invalid_status'), ({'nonce': ''}, 'invalid_nonce'),
])
async def test_bad_report_fields_are_refused_in_words(world, fields, code) -> None:
    arguments = {'text': '进展顺利', 'nonce': 'n-1', **fields}
    refused = await _refusal(progress.post_update(world['staff'], world['project'].id, at=AT, **arguments))
    assert refused.code == code and refused.message
    assert not await ProgressUpdate.exists()


async def test_a_replayed_nonce_returns_the_first_report_and_changes_nothing(world) -> None:
    first = await progress.post_update(world['staff'], world['project'].id, text='开工了', progress=10, nonce='same',
                                       photos=[('before', _jpeg(), 'a.jpg')], at=AT)
    again = await progress.post_update(world['staff'], world['project'].id, text='开工了！', progress=20,
                                       nonce='same', photos=[('before', _jpeg(), 'a.jpg')],
                                       at=AT + timedelta(seconds=2))
    assert again.id == first.id
    assert await ProgressUpdate.all().count() == 1 and await ProgressPhoto.all().count() == 1
    assert (await Project.get(id=world['project'].id)).progress == 10


async def test_only_staff_report_and_not_on_a_closed_or_cancelled_project(world) -> None:
    refused = await _refusal(progress.post_update(world['resident'], world['project'].id, text='好', nonce='n'))
    assert refused.code == 'forbidden'
    for state in ('closed', 'cancelled'):
        done = await make_project(world['community'], state=state)
        refused = await _refusal(progress.post_update(world['staff'], done.id, text='补一张照片', nonce=f'n-{state}'))
        assert refused.code == 'project_closed'
    assert (await _refusal(progress.post_update(world['staff'], 99999, text='进展', nonce='x'))).code == 'not_found'
