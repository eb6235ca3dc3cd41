"""The triage board as the 两委 joint meeting uses it: the suggestion with its reason, confirming, the 三事分送清单,
its Excel export, an overdue street referral, and the street's reply."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from nicegui.testing import User

from models import Compound, Issue
from services import councils, issues, triage
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home)
    author_account = await make_account(community, name='周美华', resident=author, password=None)
    staff_account = await make_account(community, 'staff', name='李敏')
    staff = await principal_of(staff_account)
    await councils.create_council(staff, community.id)
    await councils.create_council(staff, community.id, compound_id=(await Compound.get(name='嘉明花园')).id)
    return {'community': community, 'author': author_account, 'me': await principal_of(author_account),
            'staff_account': staff_account, 'staff': staff}


async def _accepted(world, *, title: str = '3栋楼下想搭晾衣架', category: str = 'drying',
                    at: datetime | None = None) -> Issue:
    issue = await issues.raise_item(world['me'], Draft(kind='issue', title=title, body='', category=category), at=at)
    return await issues.move(world['staff'], issue.id, 'accepted', at=at)


async def test_staff_sees_the_suggestion_with_its_reason_confirms_and_the_item_moves_to_the_dispatch_list(
        user: User, world) -> None:
    issue = await _accepted(world)
    await sign_in(user, world['staff_account'])
    await user.open('/triage')
    await user.should_see(marker=f'suggestion-{issue.id}')
    await user.should_see('建议：微事，由小区（村民小组）议事会牵头')
    await user.should_see('理由：只涉及嘉明花园，属于小区内公共事务')
    await user.should_see('牵头：嘉明花园议事会')
    user.find(marker=f'confirm-{issue.id}').click()
    await user.should_see('已分流：3栋楼下想搭晾衣架', retries=30)
    await user.should_not_see(marker=f'pending-{issue.id}')
    await user.should_see(marker=f'dispatch-{issue.id}')
    await user.should_see('微事（1 项）')
    stored = await Issue.get(id=issue.id)
    assert (stored.state, stored.scale, stored.lead) == ('triaged', 'micro', 'compound_council')


async def test_changing_the_class_changes_the_lead_and_the_choice_is_kept(user: User, world) -> None:
    issue = await _accepted(world)
    await sign_in(user, world['staff_account'])
    await user.open('/triage')
    user.find(marker=f'scale-{issue.id}').elements.pop().value = 'small'
    assert user.find(marker=f'lead-{issue.id}').elements.pop().value == 'community_council'
    await user.should_see('牵头：船柴社区议事协商委员会')
    user.find(marker=f'confirm-{issue.id}').click()
    await user.should_see('小事（1 项）', retries=30)
    stored = await Issue.get(id=issue.id)
    assert (stored.state, stored.scale, stored.lead) == ('triaged', 'small', 'community_council')


async def test_an_issue_accepted_elsewhere_appears_on_the_open_board(user: User, world) -> None:
    await sign_in(user, world['staff_account'])
    await user.open('/triage')
    await user.should_see('没有等待分流的议题')
    issue = await _accepted(world, title='路灯坏了', category='lighting')
    await user.should_see(marker=f'pending-{issue.id}', retries=30)


async def test_an_overdue_street_referral_stands_out_and_the_reply_closes_it(user: User, world) -> None:
    past = datetime.now(UTC) - timedelta(days=30)
    issue = await _accepted(world, title='小区燃气管道老化', category='municipal', at=past)
    await triage.classify(world['staff'], issue.id, scale='big', lead='street', at=past)
    await sign_in(user, world['staff_account'])
    await user.open('/triage')
    await user.should_see(marker=f'overdue-{issue.id}')
    await user.should_see('已超期')
    user.find(marker=f'reply-{issue.id}').click()
    user.find(marker='reply-text').type('燃气公司已更换管道')
    user.find(marker='reply-save').click()
    await user.should_see('已保存', retries=30)
    stored = await Issue.get(id=issue.id)
    assert (stored.state, stored.street_reply) == ('closed', '燃气公司已更换管道')
    await user.should_not_see(marker=f'dispatch-{issue.id}')


async def test_staff_downloads_the_dispatch_list_as_excel(user: User, world) -> None:
    issue = await _accepted(world)
    await triage.classify(world['staff'], issue.id, scale='micro', lead='compound_council')
    await sign_in(user, world['staff_account'])
    await user.open('/triage')
    user.find(marker='export-xlsx').click()
    response = await user.download.next()
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][:3] == ['序号', '议题', '类别']
    assert any(row[1] == '3栋楼下想搭晾衣架' for row in rows)


async def test_the_board_and_its_excel_are_closed_to_residents_and_visitors(user: User, world) -> None:
    response = await user.http_client.get('/triage/dispatch.xlsx', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')
    await sign_in(user, world['author'])
    response = await user.http_client.get('/triage/dispatch.xlsx', follow_redirects=False)
    assert response.status_code == 403 and '没有权限' in response.text
    await user.open('/triage')
    await user.should_see(marker='no-permission')


async def test_the_admin_menu_offers_the_board_to_staff(user: User, world) -> None:
    await sign_in(user, world['staff_account'])
    await user.open('/admin')
    await user.should_see(marker='tile-/triage')
