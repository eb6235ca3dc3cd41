"""民事民办 pages as their people use them: staff set a project up from a passed vote, start it, cannot report it done
while a milestone is open, post a report with a photo; a resident sees the project with a masked phone and no staff
buttons; cancelling asks why."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from models import Issue, ProgressPhoto, ProgressUpdate, Project, Vote
from services import project_moves, projects
from services.projects import ProjectDraft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

LEAD_PHONE = '13912345678'


def _jpeg(size=(1200, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, (90, 120, 200)).save(buffer, format='JPEG')
    return buffer.getvalue()


async def _passed_vote(community, issue=None) -> Vote:
    now = datetime.now(UTC)
    options = [{'id': 1, 'label': '赞成', 'kind': 'yes', 'heads': 12, 'area': '0', 'adopted': True},
               {'id': 2, 'label': '反对', 'kind': 'no', 'heads': 3, 'area': '0', 'adopted': False}]
    return await Vote.create(community=community, issue=issue, title='嘉明花园1栋加装电梯',
                             description='费用按楼层分摊',
                             ballot_type='yes_no', electorate='community', counting='person', rule='simple_majority',
                             opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=13), state='final',
                             verdict='passed', result={'options': options}, created_at=now - timedelta(days=21),
                             updated_at=now - timedelta(days=6), finalised_at=now - timedelta(days=6))


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community)
    resident = await make_resident(community, name='张桂兰', household=home)
    issue = await Issue.create(community=community, kind='issue', title='1栋没有电梯', body='老人上下楼难',
                               category='facilities', author_name='张桂兰', state='published',
                               created_at=datetime.now(UTC), updated_at=datetime.now(UTC))
    return {
        'community': community, 'issue': issue, 'vote': await _passed_vote(community, issue),
        'staff': await make_account(community, 'staff', name='李敏'),
        'resident': await make_account(community, name='张桂兰', resident=resident, password=None),
    }


async def _project(world, **changes) -> Project:
    draft = ProjectDraft(**{'title': '1栋加装电梯', 'lead_org': '船柴社区居委会', 'lead_person': '李敏',
                            'lead_phone': LEAD_PHONE, 'site': '嘉明花园1栋', **changes})
    return await projects.create_project(await principal_of(world['staff']), origin='vote',
                                         source_id=world['vote'].id, draft=draft)


async def test_staff_set_up_a_project_from_a_passed_vote(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/projects/new')
    user.find(marker='source').elements.pop().value = f'vote:{world["vote"].id}'
    await user.should_see('费用按楼层分摊')  # the decision's text fills the summary
    user.find(marker='lead-org').type('船柴社区居委会')
    user.find(marker='lead-phone').type(LEAD_PHONE)
    user.find(marker='create').click()
    await user.should_see(marker='project-header', retries=30)
    project = await Project.get(vote_id=world['vote'].id)
    assert (project.title, project.lead_org, project.state) == ('嘉明花园1栋加装电梯', '船柴社区居委会', 'preparing')
    await user.should_see('筹备中')
    await user.should_see(LEAD_PHONE)  # staff see the number in full
    await user.should_see('表决通过：嘉明花园1栋加装电梯：通过（赞成 12 票、反对 3 票）')
    assert (await Issue.get(id=world['issue'].id)).state == 'in_progress'


async def test_a_wrong_phone_on_the_new_project_form_is_refused_in_words(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/projects/new')
    user.find(marker='source').elements.pop().value = f'vote:{world["vote"].id}'
    user.find(marker='lead-org').type('船柴社区居委会')
    user.find(marker='lead-phone').type('12345')
    user.find(marker='create').click()
    await user.should_see('联系电话请填 11 位手机号，或带区号的座机号（如 0717-6221234）')
    assert not await Project.exists()


async def test_a_resident_sees_the_project_with_a_masked_phone_and_no_staff_buttons(user: User, world) -> None:
    project = await _project(world)
    await sign_in(user, world['resident'])
    await user.open('/projects')
    await user.should_see('1栋加装电梯')
    await user.should_not_see(marker='new-project')
    await user.should_see(marker='link-community-board')
    await user.should_not_see(marker='link-pledges-xlsx')
    await user.open(f'/projects/{project.id}')
    await user.should_see('139****5678')
    await user.should_not_see(LEAD_PHONE)
    await user.should_see(marker='link-board')  # the public board, to show a neighbour
    for marker in ('move-underway', 'move-cancelled', 'edit-project', 'post-update', 'stage-save', 'add-milestone',
                   'link-poster'):
        await user.should_not_see(marker=marker)
    await user.open('/projects/new')
    await user.should_see(marker='no-permission')
    await user.open(f'/projects/{project.id}/edit')
    await user.should_not_see(marker='save')


async def test_staff_find_the_site_poster_and_the_pledge_ledger_from_the_project_pages(user: User, world) -> None:
    project = await _project(world)
    await sign_in(user, world['staff'])
    await user.open('/projects')
    user.find(marker='link-pledges-xlsx')  # the community-wide pledge ledger download
    await user.open(f'/projects/{project.id}')
    user.find(marker='link-poster').click()
    await user.should_see(marker='poster-revoke')


async def test_the_list_filters_by_state(user: User, world) -> None:
    project = await _project(world)
    await sign_in(user, world['resident'])
    await user.open('/projects')
    user.find(marker='filter-closed').click()
    await user.should_not_see('1栋加装电梯')
    user.find(marker='filter-working').click()
    await user.should_see(marker=f'project-{project.id}')


async def test_staff_start_and_report_done_waits_for_the_open_milestone(user: User, world) -> None:
    project = await _project(world)
    staff = await principal_of(world['staff'])
    milestone = await projects.add_milestone(staff, project.id, title='电梯井施工')
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{project.id}')
    user.find(marker='move-underway').click()
    await user.should_see('实施中', retries=30)
    await user.should_see('还有 1 个计划节点没完成：电梯井施工')
    assert not user.find(marker='move-rating').elements.pop().enabled
    user.find(marker=f'milestone-done-{milestone.id}').click()
    await user.should_not_see(marker='finish-blocked', retries=30)
    assert (await Project.get(id=project.id)).state == 'underway'


async def test_cancelling_asks_why_and_the_reason_is_kept(user: User, world) -> None:
    project = await _project(world)
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{project.id}')
    user.find(marker='move-cancelled').click()
    await user.should_see(marker='cancel-ok')
    user.find(marker='cancel-ok').click()
    await user.should_see('改为“已撤销”需要写明原因')
    user.find(marker='cancel-reason').type('资金没有落实')
    user.find(marker='cancel-ok').click()
    await user.should_not_see(marker='move-cancelled', retries=30)  # nothing more to do with a cancelled project
    await user.should_see('资金没有落实')  # on the project's history, for everyone to read
    project = await Project.get(id=project.id)
    assert (project.state, project.state_reason) == ('cancelled', '资金没有落实')


async def test_staff_post_a_report_with_an_after_photo_and_the_progress_shows(user: User, world) -> None:
    project = await _project(world)
    await project_moves.move(await principal_of(world['staff']), project.id, 'underway')
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{project.id}/update')
    user.find(marker='update-text').type('电梯已安装完毕，正在调试')
    user.find(marker='update-progress').elements.pop().value = 90
    upload = user.find(marker='upload-after').elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload(name='电梯.jpg', content_type='image/jpeg',
                                                           _data=_jpeg())])
    await user.should_see('已选 1 张', retries=30)
    user.find(marker='update-send').click()
    await user.should_see(marker='project-header', retries=30)
    await user.should_see('电梯已安装完毕，正在调试')
    await user.should_see('90%')
    update = await ProgressUpdate.get(project_id=project.id)
    assert (await ProgressPhoto.get(update_id=update.id)).phase == 'after'
    assert (await Project.get(id=project.id)).progress == 90


async def test_a_pdf_as_a_report_photo_is_refused_on_arrival(user: User, world) -> None:
    project = await _project(world)
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{project.id}/update')
    upload = user.find(marker='upload-before').elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload(name='照片.jpg', content_type='image/jpeg',
                                                           _data=b'%PDF-1.4\n%fake\n')])
    await user.should_see('这不是照片文件，请选择 JPG 或 PNG 照片')


async def test_someone_of_another_community_cannot_open_the_project(user: User, world) -> None:
    project = await _project(world)
    elsewhere = await make_community(name='十里铺村', kind='village')
    stranger = await make_account(elsewhere, 'staff', name='赵强')
    await sign_in(user, stranger)
    await user.open(f'/projects/{project.id}')
    await user.should_see('没有找到这个项目')
    await user.should_not_see('1栋加装电梯')
    await user.open(f'/projects/{project.id}/update')
    await user.should_not_see(marker='update-send')
