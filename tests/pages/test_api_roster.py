"""POST /api/v1/roster/import: keyed to one community; all or nothing; errors by row and column in Chinese."""
from __future__ import annotations

from nicegui.testing import User

from models import AuditEntry, Household, Resident
from services import apikeys
from tests.roster_support import csv_bytes, family, row, xlsx_bytes
from tests.support import make_account, make_community, make_resident, principal_of

URL = '/api/v1/roster/import'
XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


async def _key(community=None) -> tuple[object, str]:
    community = community or await make_community()
    admin = await principal_of(await make_account(community, 'admin'))
    _, key = await apikeys.create(admin, community.id, '区平台对接')
    return community, key


def _file(data: bytes, name: str = '花名册.xlsx', kind: str = XLSX) -> dict:
    return {'file': (name, data, kind)}


async def test_a_good_file_is_imported_into_the_keys_community(user: User) -> None:
    community, key = await _key()
    response = await user.http_client.post(URL, files=_file(xlsx_bytes(family())), headers={'X-API-Key': key})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body['ok'] is True and body['dry_run'] is False
    assert body['households'] == {'created': 3, 'updated': 0, 'unchanged': 0}
    assert body['residents']['created'] == 4 and body['ownerships']['created'] == 3
    assert await Resident.filter(community_id=community.id).count() == 4
    entry = await AuditEntry.get(action='roster.imported')
    assert entry.actor_id is None and entry.data['api_key'] == key.split('_')[1]
    again = await user.http_client.post(URL, files=_file(xlsx_bytes(family())), headers={'X-API-Key': key})
    assert again.json()['residents'] == {'created': 0, 'updated': 0, 'unchanged': 4}
    assert await Resident.all().count() == 4


async def test_a_missing_or_bad_key_gets_401_in_chinese_and_nothing_is_stored(user: User) -> None:
    await _key()
    for headers in ({}, {'X-API-Key': 'gs_nope_nope'}):
        response = await user.http_client.post(URL, files=_file(xlsx_bytes(family())), headers=headers)
        assert response.status_code == 401
        assert 'API 密钥' in response.json()['detail']['message']
    assert not await Resident.exists() and not await Household.exists()


async def test_a_revoked_key_gets_401(user: User) -> None:
    community = await make_community()
    admin = await principal_of(await make_account(community, 'admin'))
    row_, key = await apikeys.create(admin, community.id, '旧系统')
    await apikeys.revoke(admin, row_.id)
    response = await user.http_client.post(URL, files=_file(xlsx_bytes(family())), headers={'X-API-Key': key})
    assert response.status_code == 401 and not await Resident.exists()


async def test_bad_rows_get_422_with_errors_by_row_and_column_and_nothing_is_stored(user: User) -> None:
    _, key = await _key()
    rows = [*family(), row(room='102', area='3000', name='坏数据', phone='13800000101')]
    response = await user.http_client.post(URL, files=_file(csv_bytes(rows), 'a.csv', 'text/csv'),
                                           headers={'X-API-Key': key})
    assert response.status_code == 422
    detail = response.json()['detail']
    assert detail['code'] == 'roster_has_errors' and '有 1 行有错误' in detail['message']
    assert {(e['row'], e['column']) for e in detail['errors']} == {(7, '建筑面积(㎡)'), (7, '手机号')}
    assert any('第 2 行' in e['message'] for e in detail['errors'])
    assert detail['errors_total'] == 2
    assert not await Resident.exists()


async def test_only_good_rows_imports_the_good_rows(user: User) -> None:
    _, key = await _key()
    rows = [*family(), row(room='102', area='abc', name='坏数据')]
    response = await user.http_client.post(URL, params={'only_good_rows': 'true'},
                                           files=_file(csv_bytes(rows), 'a.csv', 'text/csv'),
                                           headers={'X-API-Key': key})
    assert response.status_code == 200
    body = response.json()
    assert (body['rows'], body['rows_imported'], body['rows_skipped'], body['ok']) == (6, 5, 1, False)
    assert await Resident.all().count() == 4


async def test_a_dry_run_reports_and_stores_nothing(user: User) -> None:
    _, key = await _key()
    rows = [*family(), row(room='102', area='abc', name='坏数据')]
    response = await user.http_client.post(URL, params={'dry_run': 'true'},
                                           files=_file(csv_bytes(rows, encoding='gb18030'), 'a.csv', 'text/csv'),
                                           headers={'X-API-Key': key})
    assert response.status_code == 200
    body = response.json()
    assert body['dry_run'] is True and body['ok'] is False and body['residents']['created'] == 4
    assert [(e['row'], e['column']) for e in body['errors']] == [(7, '建筑面积(㎡)')]
    assert not await Resident.exists()


async def test_a_phone_of_another_resident_of_the_community_is_a_row_error(user: User) -> None:
    community, key = await _key()
    await make_resident(community, name='陈老师', phone='13800000201')
    response = await user.http_client.post(URL, files=_file(xlsx_bytes(family())), headers={'X-API-Key': key})
    assert response.status_code == 422
    assert [(e['row'], e['column']) for e in response.json()['detail']['errors']] == [(4, '手机号')]


async def test_malformed_requests_get_clear_status_codes(user: User) -> None:
    _, key = await _key()
    headers = {'X-API-Key': key}
    assert (await user.http_client.post(URL, headers=headers)).status_code == 422  # no file at all
    pdf = await user.http_client.post(URL, files=_file(b'%PDF-1.7 fake'), headers=headers)
    assert pdf.status_code == 400 and pdf.json()['detail']['code'] == 'file_unreadable'
    assert 'PDF' in pdf.json()['detail']['message']
    columns = await user.http_client.post(URL, files=_file(csv_bytes([['嘉明花园']], header=['小区']), 'a.csv'),
                                          headers=headers)
    assert columns.status_code == 422 and columns.json()['detail']['code'] == 'roster_missing_columns'
    big = await user.http_client.post(URL, files=_file(b'a' * (5 * 1024 * 1024 + 1), 'a.csv'), headers=headers)
    assert big.status_code == 413 and '5 MB' in big.json()['detail']['message']
    assert not await Resident.exists()


async def test_the_endpoint_is_documented_in_openapi(user: User) -> None:
    document = (await user.http_client.get('/openapi.json')).json()
    operation = document['paths'][URL]['post']
    assert operation['summary'] and '422' in operation['responses'] and '413' in operation['responses']
    assert 'only_good_rows' in operation['description'] and operation['security']
    assert {p['name'] for p in operation['parameters']} == {'only_good_rows', 'dry_run'}
