"""The public board in the simulated browser: anyone reads it without signing in, phones masked, pledgers named only
when they agreed, the rating buttons first while a project is rated; the site poster for project managers only."""
from __future__ import annotations

import io
import sys
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from models import Project, Survey
from services import budget, pledges, project_moves, ratings
from tests.support import make_account, make_community, make_project, make_resident, make_vote, principal_of, sign_in

SECTIONS = ('progress_section', 'money_section', 'pledge_section', 'rating_section')


@pytest.fixture
async def world(user: User):
    community = await make_community()
    staff = await make_account(community, 'staff', name='王丽')
    project = await make_project(community, title='嘉明花园3栋楼道照明改造', lead_phone='13912345678', progress=40)
    return {'community': community, 'project': project, 'staff': staff, 'path': f'/board/project/{project.id}'}


@pytest.fixture
def drawn(user: User, monkeypatch) -> list[tuple[str, bool]]:
    """Stand-ins for the four section components: each draws its name and notes (name, public) in order."""
    board_page = sys.modules['pages.board']  # this test's copy: NiceGUI's fixtures re-import page modules per test
    calls: list[tuple[str, bool]] = []
    for name in SECTIONS:
        async def section(user, project_id, *, public=False, _name=name) -> None:
            calls.append((_name, public))
            ui.label(f'[{_name}]')
        monkeypatch.setattr(board_page, name, section)
    return calls


async def test_a_visitor_who_is_not_signed_in_reads_the_projects_board_with_the_phone_masked(user: User, world) -> None:
    staff = await principal_of(world['staff'])
    await budget.add_budget_line(staff, world['project'].id, source='huimin', amount='1200')
    await budget.record_spending(staff, world['project'].id, source='huimin', amount='450.15', item='声控灯 12 个',
                                 spent_on=datetime.now(UTC).date(), receipt=None, nonce=uuid.uuid4().hex)
    await user.open(world['path'])
    await user.should_see('嘉明花园3栋楼道照明改造')
    await user.should_see('实施中')
    await user.should_see('进度 40%')
    await user.should_see('牵头单位：船柴社区居委会')
    await user.should_see('联系人：李敏 139****5678')
    await user.should_see('1,200.00')  # the money section, in public mode
    await user.should_see('450.15')
    page = await user.http_client.get(world['path'])
    assert '13912345678' not in page.text and '139****5678' in page.text


async def test_the_board_says_which_decision_the_project_carries_out(user: User, world) -> None:
    vote = await make_vote(world['community'])
    project = await make_project(world['community'], title='加装电梯', origin='vote', vote=vote)
    await user.open(f'/board/project/{project.id}')
    await user.should_see(f'依据：{vote.title}：')


async def test_an_unknown_project_or_community_gets_a_friendly_not_found_page_with_status_404(user: User) -> None:
    for path, text in (('/board/project/999999', '没有找到这个项目'), ('/board/999999', '没有找到这个社区')):
        response = await user.http_client.get(path)
        assert response.status_code == 404
        assert text in response.text and 'Traceback' not in response.text


async def test_pledgers_are_thanked_by_name_on_the_board_only_when_they_agreed(user: User, world) -> None:
    """Names are thanked for what arrived: both pledges are confirmed, only one pledger agreed to be named."""
    community, project = world['community'], world['project']
    staff = await principal_of(world['staff'])
    for name, consent in (('赵大爷', True), ('钱阿姨', False)):
        resident = await make_resident(community, name=name)
        account = await make_account(community, resident=resident, name=name, password=None)
        made = await pledges.pledge(await principal_of(account), project.id, kind='labour', item='刷墙', unit='小时',
                                    quantity=4, slot='周六上午', thank_publicly=consent, nonce=uuid.uuid4().hex)
        await pledges.confirm_received(staff, made.id, received=4)
    await user.open(world['path'])
    await user.should_see('赵大爷')
    await user.should_not_see('钱阿姨')
    assert '钱阿姨' not in (await user.http_client.get(world['path'])).text


async def test_the_board_never_names_a_rater(user: User, world) -> None:
    staff = await principal_of(world['staff'])
    await project_moves.move(staff, world['project'].id, 'rating')  # reported done: the round opens
    resident = await make_resident(world['community'], name='孙奶奶')
    rater = await principal_of(await make_account(world['community'], resident=resident, name='孙奶奶', password=None))
    await ratings.rate_project(rater, world['project'].id, value='unsatisfied', comment='3楼的灯还是不亮')
    await user.open(world['path'])
    await user.should_see('已有 1 人评价')
    page = (await user.http_client.get(world['path'])).text
    assert '孙奶奶' not in page and resident.phone not in page


async def test_the_rating_section_comes_first_while_the_project_is_being_rated(user: User, world, drawn) -> None:
    await user.open(world['path'])
    await user.should_see('[progress_section]')
    assert drawn == [('progress_section', True), ('money_section', True), ('pledge_section', True),
                     ('rating_section', True)]
    drawn.clear()
    await Project.filter(id=world['project'].id).update(state='rating')
    await user.open(world['path'])
    await user.should_see('评价中')
    assert [name for name, _ in drawn] == ['rating_section', 'progress_section', 'money_section', 'pledge_section']
    assert all(public for _, public in drawn)


async def test_a_cancelled_project_says_why_and_asks_for_no_pledges_or_ratings(user: User, world, drawn) -> None:
    await Project.filter(id=world['project'].id).update(state='cancelled', state_reason='业主大会否决了方案')
    await user.open(world['path'])
    await user.should_see('已撤销')
    await user.should_see('撤销原因：业主大会否决了方案')
    assert [name for name, _ in drawn] == ['progress_section', 'money_section']


async def test_the_community_board_lists_projects_newest_first_with_money_and_satisfaction(user: User, world) -> None:
    community, staff = world['community'], await principal_of(world['staff'])
    now = datetime.now(UTC)
    rated = await make_project(community, title='小区晾衣架', state='closed', created_at=now - timedelta(days=40))
    await Survey.create(community=community, project=rated, round=1, threshold=80, opened_at=now - timedelta(days=9),
                        closed_at=now - timedelta(days=2), satisfied=4, fair=1, unsatisfied=1, verdict='passed')
    await make_project(community, title='撤销了的项目', state='cancelled', state_reason='重复')
    await budget.add_budget_line(staff, world['project'].id, source='huimin', amount='1200')
    await user.open(f'/board/{community.id}')
    await user.should_see('船柴社区公开栏')
    await user.should_see('嘉明花园3栋楼道照明改造')
    await user.should_see('满意度 83.3%（第1轮：满意 4 · 基本满意 1 · 不满意 1） 达标')
    await user.should_see('预算 1,200.00 元 · 已支出 0.00 元')
    await user.should_see('已安排给项目 1,200.00 元')
    await user.should_not_see('撤销了的项目')
    cards = sorted(user.find(marker='board-project').elements, key=lambda card: card.id)  # ids: drawing order
    order = [e.text for card in cards for e in card.descendants() if isinstance(e, ui.label)
             and e.text in ('嘉明花园3栋楼道照明改造', '小区晾衣架')]
    assert order == ['嘉明花园3栋楼道照明改造', '小区晾衣架']  # newest first


async def test_staff_download_the_site_poster_as_png_and_pdf(user: User, world) -> None:
    await sign_in(user, world['staff'])
    base = f'/projects/{world["project"].id}/poster'
    png = await user.http_client.get(f'{base}.png')
    assert png.status_code == 200 and png.headers['content-type'] == 'image/png'
    assert Image.open(io.BytesIO(png.content)).size == (1240, 1754)
    assert unquote(png.headers['content-disposition'].split("filename*=UTF-8''")[1]) \
        == '嘉明花园3栋楼道照明改造-公开栏海报.png'
    pdf = await user.http_client.get(f'{base}.pdf')
    assert pdf.status_code == 200 and pdf.content.startswith(b'%PDF')


async def test_residents_get_no_poster_strangers_are_sent_to_login_and_unknown_projects_are_404(
        user: User, world) -> None:
    base = f'/projects/{world["project"].id}/poster'
    anonymous = await user.http_client.get(f'{base}.png', follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers['location'].startswith('/login')
    resident = await make_resident(world['community'], name='钱阿姨')
    await sign_in(user, await make_account(world['community'], resident=resident, password=None))
    refused = await user.http_client.get(f'{base}.pdf', follow_redirects=False)
    assert refused.status_code == 403
    await user.open(base)
    await user.should_see('没有权限')
    assert (await user.http_client.get('/projects/999999/poster.png')).status_code == 404


async def test_retiring_the_posters_makes_an_old_poster_say_it_was_replaced(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open(f'/projects/{world["project"].id}/poster')
    await user.should_see('嘉明花园3栋楼道照明改造')
    preview = user.find(marker='poster-preview').elements.pop()
    assert preview.source.endswith('/poster.png?v=1')
    await user.open(f'{world["path"]}?v=1')
    await user.should_not_see('这张海报已更换')
    await user.open(f'/projects/{world["project"].id}/poster')
    user.find(marker='poster-revoke').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await user.should_see('旧海报已作废，请打印新海报')
    assert user.find(marker='poster-preview').elements.pop().source.endswith('/poster.png?v=2')
    await user.open(f'{world["path"]}?v=1')
    await user.should_see('这张海报已更换，请以现场的新海报为准。下面仍是这个项目的最新情况。')
    await user.should_see('嘉明花园3栋楼道照明改造')
