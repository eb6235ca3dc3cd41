"""POST /api/v1/issues and GET /api/v1/issues/{reference}: an integration pushes, and tracks what it pushed."""
from __future__ import annotations

from nicegui.testing import User

from models import AuditEntry, Issue, IssueEvent
from services import apikeys, issues
from tests.support import make_account, make_community, make_household, principal_of

URL = '/api/v1/issues'
CALL = {'reference': '12345-20260301-0042', 'title': '3栋门口路灯坏了', 'body': '市民来电：晚上很黑',
        'category': 'lighting', 'author_name': '来电市民'}


async def _key(community=None, name: str = '12345 热线对接') -> tuple[object, str]:
    community = community or await make_community()
    admin = await principal_of(await make_account(community, 'admin'))
    _, key = await apikeys.create(admin, community.id, name)
    return community, key


async def _push(user: User, key: str, body: object):
    return await user.http_client.post(URL, json=body, headers={'X-API-Key': key})


async def test_a_push_creates_a_submitted_issue_with_the_api_channel(user: User) -> None:
    community, key = await _key()
    home = await make_household(community, compound='嘉明花园', building='3栋')
    response = await _push(user, key, {**CALL, 'building_id': home.building_id})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body['created'], body['state'], body['state_label'], body['kind']) == (True, 'submitted', '已提交', 'issue')
    issue = await Issue.get(id=body['id'])
    assert (issue.channel, issue.author_name, issue.external_ref) == ('api', '来电市民', CALL['reference'])
    assert (issue.community_id, issue.building_id, issue.compound_id) == (community.id, home.building_id,
                                                                          (await home.building).compound_id)
    assert await AuditEntry.filter(action='issue.created').count() == 1


async def test_the_same_reference_twice_is_one_issue_and_the_second_answer_is_200(user: User) -> None:
    _, key = await _key()
    first = await _push(user, key, CALL)
    second = await _push(user, key, {**CALL, 'title': '改过的标题'})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()['created'] is False and second.json()['id'] == first.json()['id']
    assert await Issue.all().count() == 1
    assert (await Issue.get()).title == CALL['title']


async def test_a_wish_can_be_pushed(user: User) -> None:
    _, key = await _key()
    response = await _push(user, key, {**CALL, 'kind': 'wish', 'title': '想请人帮忙修轮椅', 'category': 'elderly'})
    assert response.status_code == 201 and (await Issue.get()).kind == 'wish'


async def test_a_missing_bad_or_revoked_key_gets_401_in_chinese_and_nothing_is_stored(user: User) -> None:
    community = await make_community()
    admin = await principal_of(await make_account(community, 'admin'))
    row, revoked = await apikeys.create(admin, community.id, '旧系统')
    await apikeys.revoke(admin, row.id)
    for headers in ({}, {'X-API-Key': 'gs_nope_nope'}, {'X-API-Key': revoked}):
        response = await user.http_client.post(URL, json=CALL, headers=headers)
        assert response.status_code == 401
        assert 'API 密钥' in response.json()['detail']['message']
        assert response.json()['detail']['code']
    # a bad key is refused before the body is even read: a malformed body still gets 401
    response = await user.http_client.post(URL, content=b'{not json', headers={'X-API-Key': 'gs_nope_nope'})
    assert response.status_code == 401
    assert not await Issue.exists()


async def test_malformed_bodies_get_422_with_a_stable_code_in_chinese_and_nothing_is_stored(user: User) -> None:
    _, key = await _key()
    cases = {
        'invalid_reference': {k: v for k, v in CALL.items() if k != 'reference'},
        'invalid_category': {**CALL, 'category': 'ufo'},
        'invalid_title': {**CALL, 'title': '灯' * 5000},
        'invalid_kind': {**CALL, 'kind': 'complaint'},
        'invalid_author': {**CALL, 'author_name': '名' * 100},
        'invalid_place': {**CALL, 'building_id': 'three'},
        'invalid_json': ['not', 'an', 'object'],
    }
    for code, body in cases.items():
        response = await _push(user, key, body)
        assert response.status_code == 422, (code, response.text)
        detail = response.json()['detail']
        assert detail['code'] == code, (code, detail)
        assert any('\u4e00' <= ch <= '\u9fff' for ch in detail['message']), detail
    missing = (await _push(user, key, {k: v for k, v in CALL.items() if k != 'reference'})).json()['detail']
    assert missing['message'] == '缺少对接编号（reference）'
    assert (await _push(user, key, {**CALL, 'category': 'ufo'})).json()['detail']['message'] == '请选择类别'
    broken = await user.http_client.post(URL, content=b'{"reference": ', headers={'X-API-Key': key,
                                                                                  'Content-Type': 'application/json'})
    assert broken.status_code == 422 and broken.json()['detail']['code'] == 'invalid_json'
    assert not await Issue.exists() and not await IssueEvent.exists()


async def test_a_place_of_another_community_is_refused_by_the_service(user: User) -> None:
    _, key = await _key()
    elsewhere = await make_household(await make_community('桃花岭社区'), compound='桃花苑')
    response = await _push(user, key, {**CALL, 'building_id': elsewhere.building_id})
    assert response.status_code == 422 and response.json()['detail']['code'] == 'invalid_place'
    assert not await Issue.exists()


async def test_tracking_shows_the_timeline_after_staff_accept_it(user: User) -> None:
    community, key = await _key()
    pushed = (await _push(user, key, CALL)).json()
    staff = await principal_of(await make_account(community, 'staff', name='李敏'))
    await issues.move(staff, pushed['id'], 'accepted')
    await issues.move(staff, pushed['id'], 'rejected', reason='路灯属于供电公司，已转供电所')
    response = await user.http_client.get(f'{URL}/{CALL["reference"]}', headers={'X-API-Key': key})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body['id'], body['state'], body['state_label']) == (pushed['id'], 'rejected', '未受理')
    assert [(m['from'], m['to'], m['label']) for m in body['timeline']] == [
        (None, 'submitted', '已提交'), ('submitted', 'accepted', '已受理'), ('accepted', 'rejected', '未受理')]
    assert body['timeline'][0]['reason'] == '系统对接'
    assert body['timeline'][-1]['reason'] == '路灯属于供电公司，已转供电所'
    assert all(m['at'] for m in body['timeline'])


async def test_another_keys_or_another_communitys_reference_is_404(user: User) -> None:
    community, key = await _key()
    assert (await _push(user, key, CALL)).status_code == 201
    _, sibling = await _key(community, name='宜格服务')  # another key of the same community
    _, stranger = await _key(await make_community('桃花岭社区'))
    for other in (sibling, stranger):
        response = await user.http_client.get(f'{URL}/{CALL["reference"]}', headers={'X-API-Key': other})
        assert response.status_code == 404 and response.json()['detail']['code'] == 'not_found'
    assert (await user.http_client.get(f'{URL}/nope', headers={'X-API-Key': key})).status_code == 404
    assert (await user.http_client.get(f'{URL}/{CALL["reference"]}')).status_code == 401


async def test_the_endpoints_are_documented_with_examples(user: User) -> None:
    schema = (await user.http_client.get('/openapi.json')).json()
    push = schema['paths']['/api/v1/issues']['post']
    assert '推送' in push['summary'] and 'Push' in push['summary']
    assert push['requestBody']['content']['application/json']['examples']['hotline']['value']['category']
    assert {'200', '201', '401', '422'} <= set(push['responses'])
    assert '/api/v1/issues/{reference}' in schema['paths']
