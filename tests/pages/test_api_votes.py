"""/api/v1/votes: an integration defines, opens and closes votes, types in paper ballots and reads the results."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from models import AuditEntry, Ballot, Elector, Vote
from services import apikeys
from tests.support import make_account, make_community, make_household, make_resident, principal_of

URL = '/api/v1/votes'


def _definition(**overrides) -> dict:
    now = datetime.now(UTC)
    return {'title': '更换3栋楼道灯', 'description': '楼道灯改成声控 LED，费用从公共收益中支出。',
            'ballot_type': 'yes_no',
            'electorate': 'community', 'counting': 'person', 'rule': 'simple_majority', 'channels': ['paper', 'proxy'],
            'opens_at': (now - timedelta(minutes=1)).isoformat(), 'closes_at': (now + timedelta(days=7)).isoformat(),
            'publicity_days': 7, **overrides}


async def _key(community, name: str = '表决系统对接') -> tuple[str, str]:
    admin = await principal_of(await make_account(community, 'admin', name='周建华'))
    row, key = await apikeys.create(admin, community.id, name)
    return key, row.prefix


async def _world(*areas: str, relation: str = 'owner'):
    """A community with one verified adult resident per household (the given floor areas) and an API key."""
    community = await make_community()
    for i, area in enumerate(areas or ('89.50', '120.25', '60.10', '75.00')):
        home = await make_household(community, room=f'{i + 1}01', area=area)
        await make_resident(community, name=f'居民{i + 1}', household=home, relation=relation)
    key, prefix = await _key(community)
    return community, key, prefix


def _headers(key: str) -> dict:
    return {'X-API-Key': key}


async def _open_vote(user: User, key: str, **definition) -> dict:
    created = await user.http_client.post(URL, json=_definition(**definition), headers=_headers(key))
    assert created.status_code == 201, created.text
    opened = await user.http_client.post(f'{URL}/{created.json()["id"]}/open', headers=_headers(key))
    assert opened.status_code == 200, opened.text
    return opened.json()


async def _electors(vote_id: int) -> list[int]:
    return list(await Elector.filter(vote_id=vote_id).order_by('id').values_list('id', flat=True))


def _option(vote: dict, kind: str) -> int:
    return next(o['id'] for o in vote['options'] if o['kind'] == kind)


async def _enter(user: User, key: str, vote_id: int, elector_id: int, choices: list[int], sheet: str,
                 nonce: str | None = None):
    body = {'elector_id': elector_id, 'choices': choices, 'sheet_no': sheet, 'nonce': nonce or f'sheet-{sheet}-nonce'}
    return await user.http_client.post(f'{URL}/{vote_id}/ballots', json=body, headers=_headers(key))


async def _results(user: User, key: str, vote_id: int) -> dict:
    response = await user.http_client.get(f'{URL}/{vote_id}/results', headers=_headers(key))
    assert response.status_code == 200, response.text
    return response.json()


async def test_create_open_enter_paper_ballots_and_the_results_show_the_figures(user: User) -> None:
    _, key, prefix = await _world()
    vote = await _open_vote(user, key)
    assert (vote['state'], vote['state_label'], vote['roll_heads']) == ('open', '表决中', 4)
    assert [o['kind'] for o in vote['options']] == ['yes', 'no', 'abstain']
    yes, no = _option(vote, 'yes'), _option(vote, 'no')
    electors = []
    for name in ('居民1', '居民2', '居民3'):  # the desk finds each sheet's voter on the frozen roll by name
        found = await user.http_client.get(f'{URL}/{vote["id"]}/electors', params={'q': name}, headers=_headers(key))
        assert found.status_code == 200 and [e['label'] for e in found.json()] == [name], found.text
        electors.append(found.json()[0]['id'])
    receipts = []
    for elector, choice, sheet in zip(electors, (yes, yes, no), ('A-001', 'A-002', 'A-003'), strict=False):
        response = await _enter(user, key, vote['id'], elector, [choice], sheet)
        assert response.status_code == 201, response.text
        assert response.json()['replay'] is False and response.json()['channel'] == 'paper'
        receipts.append(response.json()['receipt'])
    assert len(set(receipts)) == 3
    found = await user.http_client.get(f'{URL}/{vote["id"]}/electors', params={'q': '居民'}, headers=_headers(key))
    assert [e['voted'] for e in found.json()] == [True, True, True, False]

    result = await _results(user, key, vote['id'])
    assert (result['state'], result['final'], result['hidden'], result['counted']) == ('open', False, False, 3)
    assert result['turnout']['heads'] == {'voted': 3, 'total': 4, 'share': '3/4', 'percent': '75.00', 'met': True}
    assert result['turnout']['area'] is None  # counted by person: no area
    lines = {o['kind']: o for o in result['options']}
    assert (lines['yes']['heads'], lines['yes']['heads_share'], lines['yes']['heads_percent']) == (2, '2/3', '66.67')
    assert (lines['no']['heads'], lines['abstain']['heads']) == (1, 0)
    assert result['verdict'] == 'passed' and result['verdict_label'] == '通过' and result['reasons']
    assert result['rule']['key'] == 'simple_majority' and result['rule']['approval']['fraction'] == '1/2'

    closed = await user.http_client.post(f'{URL}/{vote["id"]}/close', json={'reason': '纸质选票已全部收回'},
                                         headers=_headers(key))
    assert closed.status_code == 200, closed.text
    assert (closed.json()['state'], closed.json()['verdict']) == ('closed', 'passed')
    assert closed.json()['publicity_ends_at']
    final = await _results(user, key, vote['id'])
    assert (final['final'], final['counted'], final['verdict']) == (True, 3, 'passed')
    # every change says which key made it; the sheets typed in are in the log, never the choices
    said = await AuditEntry.filter(action__startswith='api.vote').values_list('action', 'data')
    assert [a for a, _ in said].count('api.vote.ballot.entered') == 3
    assert {a for a, _ in said} >= {'api.vote.created', 'api.vote.opened', 'api.vote.closed'}
    assert all(d['api_key'] == prefix and 'choices' not in d for _, d in said)
    assert (await Ballot.filter(vote_id=vote['id']).first()).entered_by_id is not None


async def test_owners_are_counted_by_head_and_area_as_exact_fractions(user: User) -> None:
    _, key, _ = await _world('89.50', '120.25', '60.10')
    vote = await _open_vote(user, key, counting='owner', rule='civil_278')
    yes = _option(vote, 'yes')
    first, second, _third = await _electors(vote['id'])
    for elector, sheet in ((first, 'B-1'), (second, 'B-2')):
        assert (await _enter(user, key, vote['id'], elector, [yes], sheet)).status_code == 201
    result = await _results(user, key, vote['id'])
    area = result['turnout']['area']
    # 89.50 + 120.25 = 839/4 m² of 269.85 = 5397/20 m²: 4195/5397 ≈ 77.73 %, at least two thirds
    assert (area['voted'], area['voted_m2'], area['total'], area['total_m2']) == ('839/4', '209.75', '5397/20',
                                                                                  '269.85')
    assert (area['share'], area['percent'], area['met']) == ('4195/5397', '77.73', True)
    assert result['turnout']['heads']['share'] == '2/3' and result['turnout']['met'] is True
    line = next(o for o in result['options'] if o['kind'] == 'yes')
    assert (line['area'], line['area_m2'], line['area_share'], line['area_percent']) == ('839/4', '209.75', '1/1',
                                                                                         '100.00')
    assert result['rule']['by_area'] is True and result['rule']['turnout']['fraction'] == '2/3'
    assert result['verdict'] == 'passed'


async def test_a_missing_bad_or_revoked_key_gets_401_and_nothing_is_created_or_counted(user: User) -> None:
    community, key, _ = await _world()
    vote = await _open_vote(user, key)
    admin = await principal_of(await make_account(community, 'admin', name='赵管理'))
    row, revoked = await apikeys.create(admin, community.id, '旧系统')
    await apikeys.revoke(admin, row.id)
    elector = (await _electors(vote['id']))[0]
    for headers in ({}, {'X-API-Key': 'gs_nope_nope'}, {'X-API-Key': revoked}):
        created = await user.http_client.post(URL, json=_definition(title='不该建成的表决'), headers=headers)
        assert created.status_code == 401 and 'API 密钥' in created.json()['detail']['message']
        ballot = await user.http_client.post(f'{URL}/{vote["id"]}/ballots', headers=headers, json={
            'elector_id': elector, 'choices': [_option(vote, 'yes')], 'sheet_no': 'X-1', 'nonce': 'bad-key-nonce'})
        assert ballot.status_code == 401
        closing = await user.http_client.post(f'{URL}/{vote["id"]}/close', json={'reason': '试试'}, headers=headers)
        assert closing.status_code == 401
    # a bad key is refused before the body is read: a malformed body still gets 401
    assert (await user.http_client.post(URL, content=b'{oops', headers={'X-API-Key': 'gs_x_y'})).status_code == 401
    assert await Vote.all().count() == 1 and (await Vote.get()).state == 'open'
    assert not await Ballot.exists()


async def test_a_forged_option_id_is_refused_with_its_code_and_the_tally_is_unchanged(user: User) -> None:
    _, key, _ = await _world()
    vote = await _open_vote(user, key)
    other = await _open_vote(user, key, title='另一项表决')
    first, second = (await _electors(vote['id']))[:2]
    assert (await _enter(user, key, vote['id'], first, [_option(vote, 'yes')], 'C-1')).status_code == 201
    before = await _results(user, key, vote['id'])
    for forged in ([_option(other, 'no')], [999999], [_option(vote, 'yes'), _option(vote, 'no')]):
        response = await _enter(user, key, vote['id'], second, forged, 'C-2', nonce=f'forged-{forged[0]}')
        assert response.status_code == 422, response.text
        assert response.json()['detail']['code'] in ('unknown_option', 'too_many_choices')
        assert any('\u4e00' <= ch <= '\u9fff' for ch in response.json()['detail']['message'])
    after = await _results(user, key, vote['id'])
    assert after['counted'] == before['counted'] == 1 and after['options'] == before['options']
    assert await Ballot.filter(vote_id=vote['id']).count() == 1


async def test_a_replayed_nonce_returns_the_same_receipt_and_stores_one_ballot(user: User) -> None:
    _, key, _ = await _world()
    vote = await _open_vote(user, key)
    elector = (await _electors(vote['id']))[0]
    first = await _enter(user, key, vote['id'], elector, [_option(vote, 'yes')], 'D-1', nonce='paper-D-1-once')
    again = await _enter(user, key, vote['id'], elector, [_option(vote, 'no')], 'D-1', nonce='paper-D-1-once')
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()['receipt'] == first.json()['receipt'] and again.json()['replay'] is True
    assert await Ballot.filter(vote_id=vote['id']).count() == 1
    result = await _results(user, key, vote['id'])
    assert next(o['heads'] for o in result['options'] if o['kind'] == 'yes') == 1 and result['counted'] == 1
    assert await AuditEntry.filter(action='api.vote.ballot.entered').count() == 1


async def test_another_communitys_key_sees_nothing_and_changes_nothing(user: User) -> None:
    _, key, _ = await _world()
    draft = (await user.http_client.post(URL, json=_definition(), headers=_headers(key))).json()
    opened = await _open_vote(user, key, title='已开始的表决')
    stranger, _ = await _key(await make_community('桃花岭社区'))
    h = _headers(stranger)
    for response in (await user.http_client.get(f'{URL}/{opened["id"]}', headers=h),
                     await user.http_client.get(f'{URL}/{opened["id"]}/results', headers=h),
                     await user.http_client.get(f'{URL}/{opened["id"]}/electors', params={'q': '居民'}, headers=h),
                     await user.http_client.post(f'{URL}/{draft["id"]}/open', headers=h),
                     await user.http_client.post(f'{URL}/{opened["id"]}/close', json={'reason': '捣乱'}, headers=h),
                     await _enter(user, stranger, opened['id'], (await _electors(opened['id']))[0],
                                  [_option(opened, 'yes')], 'E-1')):
        assert response.status_code == 404, response.text
        assert response.json()['detail']['code'] == 'not_found'
    assert (await user.http_client.get(URL, headers=h)).json() == []
    assert (await Vote.get(id=draft['id'])).state == 'draft' and (await Vote.get(id=opened['id'])).state == 'open'
    assert not await Ballot.exists()


async def test_a_bad_definition_is_refused_with_a_stable_code_and_nothing_is_stored(user: User) -> None:
    _, key, _ = await _world()
    cases = {
        'rule_needs_owner': _definition(rule='civil_278'),  # §278 counts owners by head and area
        'invalid_title': {k: v for k, v in _definition().items() if k != 'title'},
        'invalid_times': _definition(closes_at=_definition()['opens_at']),
        'invalid_fraction': _definition(rule='custom', approval='5/0'),
        'unknown_channel': _definition(channels=['fax']),
        'invalid_json': None,
    }
    for code, body in cases.items():
        response = await user.http_client.post(URL, json=body if body is not None else ['a', 'list'],
                                               headers=_headers(key))
        assert response.status_code == 422, (code, response.text)
        assert response.json()['detail']['code'] == code, (code, response.json())
        assert any('\u4e00' <= ch <= '\u9fff' for ch in response.json()['detail']['message'])
    assert not await Vote.exists()


async def test_closing_early_needs_a_reason_and_the_vote_stays_open(user: User) -> None:
    _, key, _ = await _world()
    vote = await _open_vote(user, key)
    response = await user.http_client.post(f'{URL}/{vote["id"]}/close', headers=_headers(key))
    assert response.status_code == 422 and response.json()['detail']['code'] == 'reason_required'
    assert (await Vote.get(id=vote['id'])).state == 'open'
    listed = (await user.http_client.get(URL, headers=_headers(key))).json()
    assert [(v['id'], v['state']) for v in listed] == [(vote['id'], 'open')]


async def test_hidden_results_show_turnout_only_until_the_vote_closes(user: User) -> None:
    _, key, _ = await _world()
    vote = await _open_vote(user, key, results_live=False)
    elector = (await _electors(vote['id']))[0]
    assert (await _enter(user, key, vote['id'], elector, [_option(vote, 'no')], 'F-1')).status_code == 201
    result = await _results(user, key, vote['id'])
    assert result['hidden'] is True and result['turnout']['heads']['voted'] == 1
    assert all(o['heads'] is None for o in result['options']) and result['verdict'] is None
    await user.http_client.post(f'{URL}/{vote["id"]}/close', json={'reason': '会议结束'}, headers=_headers(key))
    result = await _results(user, key, vote['id'])
    assert result['hidden'] is False and next(o['heads'] for o in result['options'] if o['kind'] == 'no') == 1


async def test_the_vote_endpoints_are_in_the_openapi_document(user: User) -> None:
    schema = (await user.http_client.get('/openapi.json')).json()
    paths = schema['paths']
    expected = {(URL, 'post'), (URL, 'get'), (f'{URL}/{{vote_id}}', 'get'), (f'{URL}/{{vote_id}}/open', 'post'),
                (f'{URL}/{{vote_id}}/close', 'post'), (f'{URL}/{{vote_id}}/ballots', 'post'),
                (f'{URL}/{{vote_id}}/results', 'get'), (f'{URL}/{{vote_id}}/electors', 'get')}
    for path, method in expected:
        operation = paths[path][method]
        assert any('\u4e00' <= ch <= '\u9fff' for ch in operation['summary']) and ' / ' in operation['summary']
        assert '401' in operation['responses'], path
        assert operation['security'], path
    create = paths[URL]['post']
    assert create['requestBody']['content']['application/json']['examples']['elevator']['value']['rule']
    assert 'rule' in create['requestBody']['content']['application/json']['schema']['properties']
    assert 'nonce' in paths[f'{URL}/{{vote_id}}/ballots']['post']['requestBody']['content']['application/json'][
        'schema']['properties']
    results = schema['components']['schemas']['ResultsOut']['properties']
    assert {'turnout', 'options', 'verdict', 'reasons'} <= set(results)


async def test_a_proxy_ballot_records_the_proxy_and_a_second_sheet_for_the_same_elector_is_refused(user: User) -> None:
    community, key, _ = await _world()
    proxy = await make_resident(community, name='受托人王芳')
    vote = await _open_vote(user, key)
    elector = (await _electors(vote['id']))[0]
    body = {'elector_id': elector, 'choices': [_option(vote, 'yes')], 'sheet_no': 'P-1', 'nonce': 'proxy-P-1-x',
            'proxy_resident_id': proxy.id}
    response = await user.http_client.post(f'{URL}/{vote["id"]}/ballots', json=body, headers=_headers(key))
    assert response.status_code == 201 and response.json()['channel'] == 'proxy', response.text
    ballot = await Ballot.get(vote_id=vote['id'])
    assert (ballot.channel, ballot.proxy_id, ballot.sheet_no) == ('proxy', proxy.id, 'P-1')
    again = await _enter(user, key, vote['id'], elector, [_option(vote, 'no')], 'P-2')
    assert again.status_code == 409 and again.json()['detail']['code'] == 'already_voted'
    assert await Ballot.filter(vote_id=vote['id']).count() == 1


async def test_ids_that_cannot_exist_are_refused_without_an_error_page(user: User) -> None:
    _, key, _ = await _world()
    vote = await _open_vote(user, key)
    for path in (f'{URL}/0/results', f'{URL}/99999999999/results', f'{URL}/abc'):
        assert (await user.http_client.get(path, headers=_headers(key))).status_code == 422, path
    assert (await user.http_client.get(f'{URL}/{vote["id"] + 1}', headers=_headers(key))).status_code == 404
    response = await _enter(user, key, vote['id'], 99999999999, [_option(vote, 'yes')], 'G-1')
    assert response.status_code == 422 and response.json()['detail']['code'] == 'not_in_electorate'
    response = await _enter(user, key, vote['id'], (await _electors(vote['id']))[0], [], 'G-1')
    assert response.status_code == 422 and response.json()['detail']['code'] == 'no_choice'
    assert not await Ballot.exists()


async def test_a_nonce_too_short_to_be_unique_is_refused(user: User) -> None:
    _, key, _ = await _world()
    vote = await _open_vote(user, key)
    response = await _enter(user, key, vote['id'], (await _electors(vote['id']))[0], [_option(vote, 'yes')], 'H-1',
                            nonce='1')
    assert response.status_code == 422 and response.json()['detail'] == {'code': 'invalid_nonce',
                                                                         'message': '请求编号（nonce）的格式不对'}
    assert not await Ballot.exists()
