"""/ledger and /ledger.xlsx as staff use them, and the staff path of /issues/new (代居民登记) that feeds them."""
from __future__ import annotations

import io

import openpyxl
import pytest
from nicegui.testing import User

from models import Issue
from services import issues, ledger
from services.issues import Draft
from tests.support import make_account, make_community, make_household, make_resident, principal_of, sign_in

PHONE = '13912345678'


@pytest.fixture
async def world(user: User):
    community = await make_community()
    home = await make_household(community, compound='嘉明花园', building='3栋', room='402')
    author = await make_resident(community, name='周美华', household=home, phone=PHONE)
    author_account = await make_account(community, name='周美华', resident=author, password=None)
    me = await principal_of(author_account)
    lamp = await issues.raise_item(me, Draft(kind='issue', title='3栋门口路灯坏了', body='晚上很黑',
                                             category='lighting'))
    wish = await issues.raise_item(me, Draft(kind='wish', title='想请人帮忙修轮椅', body='', category='elderly'))
    return {'community': community, 'author': author_account, 'lamp': lamp, 'wish': wish,
            'staff': await make_account(community, 'staff', name='李敏'),
            'committee': await make_account(community, 'committee', name='陈书记')}


async def test_staff_see_every_issue_and_wish_and_filter_by_kind(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/ledger')
    await user.should_see('共 2 条')
    await user.should_see('3栋门口路灯坏了')
    await user.should_see('想请人帮忙修轮椅')
    user.find(marker='ledger-kind').elements.pop().value = 'wish'
    await user.should_see('共 1 条')
    await user.should_not_see('3栋门口路灯坏了')
    user.find(marker='ledger-search').type('没有这件事')
    await user.should_see('没有符合条件的记录')


async def test_a_committee_member_may_read_the_ledger_and_export_it(user: User, world) -> None:
    await sign_in(user, world['committee'])
    await user.open('/ledger')
    await user.should_see('共 2 条')
    user.find(marker='ledger-export').click()
    response = await user.download.next()
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))['台账']
    assert [c.value for c in sheet[2]] == list(ledger.HEADERS)
    assert {row[2].value for row in sheet.iter_rows(min_row=3)} == {'3栋门口路灯坏了', '想请人帮忙修轮椅'}
    everything = ' '.join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert PHONE not in everything and '周美华' in everything


async def test_the_export_takes_the_filters_as_query_parameters(user: User, world) -> None:
    await sign_in(user, world['staff'])
    response = await user.http_client.get('/ledger.xlsx', params={'kind': 'wish'})
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('application/vnd.openxmlformats')
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))['台账'].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [(world['wish'].id, '微心愿')]
    bad = await user.http_client.get('/ledger.xlsx', params={'kind': 'nonsense'})
    assert bad.status_code == 400 and '筛选条件不对' in bad.text


async def test_a_resident_gets_no_permission_on_the_page_and_403_on_the_file(user: User, world) -> None:
    await sign_in(user, world['author'])
    await user.open('/ledger')
    await user.should_see('没有权限')
    await user.should_not_see('3栋门口路灯坏了')
    response = await user.http_client.get('/ledger.xlsx', follow_redirects=False)
    assert response.status_code == 403 and '没有权限' in response.text


async def test_a_visitor_is_sent_to_sign_in(user: User, world) -> None:
    response = await user.http_client.get('/ledger.xlsx', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')


async def test_staff_record_a_12345_call_and_it_appears_on_the_ledger_with_that_channel(user: User, world) -> None:
    await sign_in(user, world['staff'])
    await user.open('/issues/new')
    await user.should_see('代居民登记')
    user.find(marker='title').type('桃花苑垃圾三天没人清')
    user.find(marker='body').type('市民来电反映，垃圾桶满了')
    user.find(marker='category').elements.pop().value = 'sanitation'
    user.find(marker='channel').elements.pop().value = '12345'
    user.find(marker='author-name').type('来电市民')
    user.find(marker='submit').click()
    await user.should_see(marker='issue-title', retries=30)
    issue = await Issue.get(title='桃花苑垃圾三天没人清')
    assert (issue.channel, issue.author_name, issue.author_id) == ('12345', '来电市民', None)
    assert issue.recorded_by_id == world['staff'].id

    await user.open('/ledger')
    user.find(marker='ledger-channel').elements.pop().value = '12345'
    await user.should_see('共 1 条')
    await user.should_see('桃花苑垃圾三天没人清')
    await user.should_see('12345 热线')
    await user.should_see('来电市民')
