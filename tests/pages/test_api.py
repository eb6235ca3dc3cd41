"""The JSON API: documented in /openapi.json, keyed per community, and free of personal data."""
import os
from pathlib import Path

import pytest
from nicegui.testing import User

from services import apikeys, health
from tests.support import make_account, make_community, make_household, make_resident, principal_of

MIGRATIONS = Path(__file__).resolve().parents[2] / 'migrations' / 'models'


async def _key_for(community) -> str:
    admin = await principal_of(await make_account(community, 'admin'))
    _, key = await apikeys.create(admin, community.id, '12345 热线对接')
    return key


async def _two_communities():
    here = await make_community('船柴社区')
    there = await make_community('夷陵社区')
    h1 = await make_household(here, compound='嘉明花园', building='1栋', room='101', area='89.5')
    await make_household(here, compound='嘉明花园', building='1栋', room='102', area='120.25', occupancy='rented')
    await make_household(here, compound='嘉明花园', building='2栋', room='201', area='76')
    await make_household(here, compound='船柴小区', building='5栋', room='501', area='60.1')
    await make_resident(here, name='张桂兰', household=h1, phone='13912345678')
    await make_resident(here, name='李建国', household=h1, phone='13987654321')
    await make_resident(here, name='王搬走', household=h1, status='left')
    away = await make_household(there, compound='夷陵花园', building='9栋', room='901', area='99')
    return here, there, h1, away


async def test_openapi_document_lists_the_endpoints_with_the_api_key_scheme(user: User) -> None:
    response = await user.http_client.get('/openapi.json')
    assert response.status_code == 200
    document = response.json()
    paths = document['paths']
    for path in ('/api/v1/health', '/api/v1/places', '/api/v1/households'):
        assert 'get' in paths[path], path
        assert paths[path]['get']['summary']
    schemes = document['components']['securitySchemes']
    key_schemes = [name for name, s in schemes.items() if s == {**s, 'type': 'apiKey', 'in': 'header',
                                                                 'name': 'X-API-Key'}]
    assert key_schemes
    for path in ('/api/v1/places', '/api/v1/households'):
        assert {key_schemes[0]: []} in paths[path]['get']['security']
    assert 'security' not in paths['/api/v1/health']['get']
    households = paths['/api/v1/households']['get']
    assert {p['name'] for p in households['parameters']} == {'compound_id', 'building_id', 'limit', 'offset'}
    assert '401' in households['responses'] and '404' in households['responses']
    assert (await user.http_client.get('/docs')).status_code == 200


async def test_health_reports_the_database_actually_in_use_and_the_migrations(user: User) -> None:
    response = await user.http_client.get('/api/v1/health')
    assert response.status_code == 200
    body = response.json()
    expected = 'postgresql' if os.environ.get('GONGSHANG_TEST_DATABASE_URL') else 'sqlite'
    assert body['status'] == 'ok'
    assert body['database'] == expected
    assert body['migrations'] == len(list(MIGRATIONS.glob('[0-9]*.py'))) >= 1
    assert body['version'] == health.version() != 'unknown'


async def test_health_says_503_with_a_reason_when_the_database_does_not_answer(user: User,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        @staticmethod
        def get(name: str):
            raise ConnectionRefusedError('database down')

    monkeypatch.setattr(health, 'connections', Broken)
    response = await user.http_client.get('/api/v1/health')
    assert response.status_code == 503
    body = response.json()
    assert body['status'] == 'unavailable'
    assert body['detail']['code'] == 'database_unreachable'
    assert '数据库' in body['detail']['message']


async def test_places_lists_the_keys_community_with_household_counts(user: User) -> None:
    here, _, _, _ = await _two_communities()
    key = await _key_for(here)
    response = await user.http_client.get('/api/v1/places', headers={'X-API-Key': key})
    assert response.status_code == 200
    body = response.json()
    assert (body['street'], body['community'], body['kind']) == ('西陵街道', '船柴社区', 'urban')
    tree = {c['name']: {b['name']: b['households'] for b in c['buildings']} for c in body['compounds']}
    assert tree == {'嘉明花园': {'1栋': 2, '2栋': 1}, '船柴小区': {'5栋': 1}}  # nothing of 夷陵社区


async def test_households_are_listed_exactly_without_personal_data(user: User) -> None:
    here, _, h1, _ = await _two_communities()
    key = await _key_for(here)
    response = await user.http_client.get('/api/v1/households', headers={'X-API-Key': key})
    assert response.status_code == 200
    body = response.json()
    assert body['total'] == 4 and body['offset'] == 0 and body['limit'] == 50
    first = next(item for item in body['items'] if item['id'] == h1.id)
    assert first == {'id': h1.id, 'room': '101', 'area_m2': '89.50', 'occupancy': 'owner', 'sale_status': 'sold',
                     'building_id': first['building_id'], 'building': '1栋', 'compound_id': first['compound_id'],
                     'compound': '嘉明花园', 'members': 2}  # the resident who left is not counted
    assert {item['area_m2'] for item in body['items']} == {'89.50', '120.25', '76.00', '60.10'}
    text = response.text
    for personal in ('张桂兰', '李建国', '13912345678', '13987654321', '5678', 'phone', 'name'):
        assert personal not in text


async def test_households_filter_by_compound_and_building_and_paginate(user: User) -> None:
    here, _, _, _ = await _two_communities()
    key = await _key_for(here)
    headers = {'X-API-Key': key}
    places = (await user.http_client.get('/api/v1/places', headers=headers)).json()
    jiaming = next(c for c in places['compounds'] if c['name'] == '嘉明花园')
    building_1 = next(b for b in jiaming['buildings'] if b['name'] == '1栋')
    by_compound = (await user.http_client.get(f'/api/v1/households?compound_id={jiaming["id"]}',
                                              headers=headers)).json()
    assert by_compound['total'] == 3 and {i['compound'] for i in by_compound['items']} == {'嘉明花园'}
    by_building = (await user.http_client.get(f'/api/v1/households?building_id={building_1["id"]}',
                                              headers=headers)).json()
    assert sorted(i['room'] for i in by_building['items']) == ['101', '102']
    seen = []
    for offset in (0, 2, 4):
        page = (await user.http_client.get(f'/api/v1/households?limit=2&offset={offset}', headers=headers)).json()
        assert page['total'] == 4 and page['limit'] == 2 and page['offset'] == offset
        seen += [i['id'] for i in page['items']]
    assert len(seen) == len(set(seen)) == 4
    too_big = await user.http_client.get('/api/v1/households?limit=100000', headers=headers)
    assert too_big.status_code == 422


async def test_another_communitys_ids_are_refused_like_ids_that_do_not_exist(user: User) -> None:
    here, _, _, away = await _two_communities()
    key = await _key_for(here)
    headers = {'X-API-Key': key}
    await away.fetch_related('building')
    foreign_building, foreign_compound = away.building.id, away.building.compound_id
    for query in (f'compound_id={foreign_compound}', f'building_id={foreign_building}', 'compound_id=999999'):
        response = await user.http_client.get(f'/api/v1/households?{query}', headers=headers)
        assert response.status_code == 404, query
        assert response.json()['detail']['code'] == 'not_found'
        assert '夷陵' not in response.text


@pytest.mark.parametrize('headers', [{}, {'X-API-Key': ''}, {'X-API-Key': 'gs_deadbeef_not-a-real-key'},
                                     {'X-API-Key': 'Bearer whatever'}, {'Authorization': 'Bearer gs_x'}])
async def test_missing_or_bad_keys_get_401_with_a_chinese_message(user: User, headers: dict) -> None:
    here, _, _, _ = await _two_communities()
    await _key_for(here)
    for path in ('/api/v1/places', '/api/v1/households'):
        response = await user.http_client.get(path, headers=headers)
        assert response.status_code == 401
        detail = response.json()['detail']
        assert detail['code'] in {'api_key_missing', 'api_key_invalid'}
        assert 'API 密钥' in detail['message']
        assert '船柴' not in response.text


async def test_a_revoked_key_gets_401(user: User) -> None:
    here, _, _, _ = await _two_communities()
    admin = await principal_of(await make_account(here, 'admin', name='周主任'))
    row, key = await apikeys.create(admin, here.id, '旧系统')
    assert (await user.http_client.get('/api/v1/places', headers={'X-API-Key': key})).status_code == 200
    await apikeys.revoke(admin, row.id)
    response = await user.http_client.get('/api/v1/places', headers={'X-API-Key': key})
    assert response.status_code == 401
    assert response.json()['detail'] == {'code': 'api_key_invalid', 'message': 'API 密钥无效或已被吊销'}


async def test_each_key_sees_only_its_own_community(user: User) -> None:
    _, there, _, _ = await _two_communities()
    there_key = await _key_for(there)
    body = (await user.http_client.get('/api/v1/households', headers={'X-API-Key': there_key})).json()
    assert body['total'] == 1 and body['items'][0]['compound'] == '夷陵花园'
    places = (await user.http_client.get('/api/v1/places', headers={'X-API-Key': there_key})).json()
    assert places['community'] == '夷陵社区'


async def test_the_api_documentation_page_needs_no_internet(user: User) -> None:
    response = await user.http_client.get('/docs')
    assert response.status_code == 200
    page = response.text
    assert '/assets/vendor/swagger-ui/swagger-ui-bundle.js' in page and '/openapi.json' in page
    assert 'cdn.' not in page and 'https://' not in page
    script = await user.http_client.get('/assets/vendor/swagger-ui/swagger-ui-bundle.js')
    assert script.status_code == 200 and 'SwaggerUIBundle' in script.text
    assert (await user.http_client.get('/assets/vendor/swagger-ui/swagger-ui.css')).status_code == 200
    redoc = await user.http_client.get('/redoc')
    assert redoc.status_code == 307 and redoc.headers['location'] == '/docs'
