"""Pledges on a real database: who may pledge and when, bad quantities, nonce replays, confirmations and races."""
import asyncio
import uuid
from decimal import Decimal as D

import pytest

from domain.errors import DomainError
from models import AuditEntry, Pledge, PledgeNeed
from services import events, pledges
from tests.support import make_account, make_community, make_project, make_resident, principal_of


def _nonce() -> str:
    return uuid.uuid4().hex


@pytest.fixture
async def world(db):
    community = await make_community()
    other = await make_community(name='夜明珠社区')
    zhang = await make_resident(community, name='张桂兰', phone='13912345678')
    li = await make_resident(community, name='李大爷')
    stranger = await make_resident(other, name='外社区居民')
    accounts = {
        'zhang': await make_account(community, name='张桂兰', resident=zhang, password=None),
        'li': await make_account(community, name='李大爷', resident=li, password=None),
        'stranger': await make_account(other, name='外社区居民', resident=stranger, password=None),
        'staff': await make_account(community, 'staff', name='李敏'),
        'staff2': await make_account(community, 'staff', name='陈刚'),
        'committee': await make_account(community, 'committee', name='书记'),
    }
    people = {key: await principal_of(account) for key, account in accounts.items()}
    project = await make_project(community)
    return {'community': community, 'project': project, 'zhang_resident': zhang, **people}


async def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await call
    return refused.value


async def _labour_need(world, quantity='20') -> PledgeNeed:
    return await pledges.add_need(world['staff'], world['project'].id, kind='labour', item='刷墙志愿者',
                                  quantity=quantity, slot='12月6日上午')


async def test_a_resident_pledges_hours_to_a_need_and_the_ledger_shows_it(world) -> None:
    heard = []
    events.subscribe('pledge.changed', heard.append)
    need = await _labour_need(world)
    row = await pledges.pledge(world['zhang'], world['project'].id, need_id=need.id, kind='labour',
                               quantity='4', thank_publicly=True, nonce=_nonce())
    assert (row.name, row.item, row.unit, row.slot, row.quantity, row.state) == \
        ('张桂兰', '刷墙志愿者', '小时', '12月6日上午', D('4.00'), 'pledged')
    (line,) = (await pledges.ledger(world['project'].id)).lines
    assert (line.needed, line.pledged, line.received, line.still_needed) == (D(20), D(4), D(0), D(16))
    assert await AuditEntry.filter(action='pledge.created', target_id=row.id).count() == 1
    assert await AuditEntry.filter(action='pledge.need.added', target_id=need.id).count() == 1
    assert [e.payload['project_id'] for e in heard] == [world['project'].id] * 2


@pytest.mark.parametrize('state', ['rating', 'closed', 'cancelled'])
async def test_no_pledge_is_taken_on_a_project_that_is_not_open_for_pledges(world, state) -> None:
    project = await make_project(world['community'], title='已完工的项目', state=state)
    error = await _refusal(pledges.pledge(world['zhang'], project.id, kind='money', quantity='100',
                                          thank_publicly=False, nonce=_nonce()))
    assert error.code == 'project_not_open_for_pledges'
    label = {'rating': '评价中', 'closed': '已办结', 'cancelled': '已撤销'}[state]
    assert error.message == f'项目{label}，现在不接受认捐'
    assert await Pledge.all().count() == 0


@pytest.mark.parametrize(('kind', 'quantity', 'code'), [
    ('money', '0', 'quantity_not_positive'), ('money', '-50', 'quantity_not_positive'),
    ('money', '99999999', 'quantity_too_large'), ('money', '10.005', 'too_many_decimals'),
    ('money', '一百', 'invalid_quantity'), ('labour', '1000', 'quantity_too_large'), ('labour', '1.2', 'labour_step'),
])
async def test_bad_quantities_are_refused_and_nothing_is_stored(world, kind, quantity, code) -> None:
    error = await _refusal(pledges.pledge(world['zhang'], world['project'].id, kind=kind, item='捐款',
                                          quantity=quantity, thank_publicly=False, nonce=_nonce()))
    assert error.code == code
    assert await Pledge.all().count() == 0
    assert await AuditEntry.filter(action='pledge.created').count() == 0


async def test_only_residents_of_the_projects_community_may_pledge(world) -> None:
    for who in ('stranger', 'staff'):
        error = await _refusal(pledges.pledge(world[who], world['project'].id, kind='money', quantity='10',
                                              thank_publicly=False, nonce=_nonce()))
        assert error.code == 'forbidden'
    assert await Pledge.all().count() == 0


async def test_a_double_tap_pledges_once(world) -> None:
    nonce = _nonce()
    first = await pledges.pledge(world['zhang'], world['project'].id, kind='material', item='空调', unit='台',
                                 quantity='1', thank_publicly=False, nonce=nonce)
    again = await pledges.pledge(world['zhang'], world['project'].id, kind='material', item='空调', unit='台',
                                 quantity='1', thank_publicly=False, nonce=nonce)
    assert again.id == first.id
    both = await asyncio.gather(*(pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='50',
                                                 thank_publicly=False, nonce='same-nonce-twice') for _ in range(2)))
    assert both[0].id == both[1].id
    assert await Pledge.all().count() == 2
    stolen = await _refusal(pledges.pledge(world['li'], world['project'].id, kind='money', quantity='5',
                                           thank_publicly=False, nonce=nonce))
    assert stolen.code == 'bad_nonce'


async def test_a_pledge_to_a_need_must_be_of_its_kind(world) -> None:
    need = await _labour_need(world)
    error = await _refusal(pledges.pledge(world['zhang'], world['project'].id, need_id=need.id, kind='money',
                                          quantity='5', thank_publicly=False, nonce=_nonce()))
    assert error.code == 'need_kind_mismatch'


async def test_an_organiser_confirms_full_and_partial_arrivals_and_the_same_value_again_changes_nothing(world) -> None:
    row = await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='500',
                               thank_publicly=True, nonce=_nonce())
    partial = await pledges.confirm_received(world['staff'], row.id, received='200')
    assert (partial.state, partial.received, partial.confirmed_by_id) == \
        ('partial', D('200.00'), world['staff'].account_id)
    full = await pledges.confirm_received(world['staff'], row.id, received='500')
    assert (full.state, full.received) == ('received', D('500.00'))
    same = await pledges.confirm_received(world['staff2'], row.id, received='500.00')
    assert same.confirmed_by_id == world['staff'].account_id  # nothing changed
    assert await AuditEntry.filter(action='pledge.confirmed', target_id=row.id).count() == 2
    total = (await pledges.ledger(world['project'].id)).totals[0]
    assert (total.pledged, total.received) == (D(500), D(500))


async def test_a_resident_cannot_confirm_and_a_typo_of_ten_times_is_refused(world) -> None:
    row = await pledges.pledge(world['zhang'], world['project'].id, kind='labour', item='搬运', quantity='3',
                               thank_publicly=False, nonce=_nonce())
    assert (await _refusal(pledges.confirm_received(world['zhang'], row.id, received='3'))).code == 'forbidden'
    assert (await _refusal(pledges.confirm_received(world['staff'], row.id, received='30'))).code == \
        'received_too_much'
    more = await pledges.confirm_received(world['staff'], row.id, received='4')  # worked an hour longer
    assert (more.state, more.received) == ('received', D('4.00'))


async def test_two_organisers_confirming_different_amounts_at_once_one_wins_and_the_other_is_told(world) -> None:
    row = await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='300',
                               thank_publicly=False, nonce=_nonce())
    # both screens showed nothing received yet; whichever request the server takes first wins
    results = await asyncio.gather(pledges.confirm_received(world['staff'], row.id, received='300', seen=D('0')),
                                   pledges.confirm_received(world['staff2'], row.id, received='100', seen=D('0')),
                                   return_exceptions=True)
    won = [r for r in results if isinstance(r, Pledge)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == 'changed_meanwhile'
    assert (await Pledge.get(id=row.id)).received == won[0].received
    assert await AuditEntry.filter(action='pledge.confirmed').count() == 1


async def test_an_organiser_who_saw_an_older_amount_does_not_overwrite_a_colleagues_confirmation(world) -> None:
    row = await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='300',
                               thank_publicly=False, nonce=_nonce())
    await pledges.confirm_received(world['staff'], row.id, received='300', seen=D('0'))
    with pytest.raises(DomainError) as refused:  # a second organiser's screen still showed 0 received
        await pledges.confirm_received(world['staff2'], row.id, received='100', seen=D('0'))
    assert refused.value.code == 'changed_meanwhile'
    assert (await Pledge.get(id=row.id)).received == D('300.00')
    corrected = await pledges.confirm_received(world['staff2'], row.id, received='100', seen=D('300'))
    assert corrected.received == D('100.00')  # after a refresh, a deliberate correction goes through


async def test_two_organisers_confirming_the_same_amount_at_once_both_succeed_and_it_counts_once(world) -> None:
    row = await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='300',
                               thank_publicly=False, nonce=_nonce())
    results = await asyncio.gather(pledges.confirm_received(world['staff'], row.id, received='300'),
                                   pledges.confirm_received(world['staff2'], row.id, received='300'))
    assert {r.received for r in results} == {D('300.00')}
    assert await AuditEntry.filter(action='pledge.confirmed').count() == 1


async def test_the_pledger_withdraws_before_anything_arrived_but_not_after(world) -> None:
    first = await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='100',
                                 thank_publicly=False, nonce=_nonce())
    gone = await pledges.withdraw(world['zhang'], first.id, '临时有事')
    assert gone.state == 'withdrawn'
    entry = await AuditEntry.get(action='pledge.withdrawn', target_id=first.id)
    assert entry.data['reason'] == '临时有事'
    assert (await pledges.ledger(world['project'].id)).lines == ()
    second = await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='100',
                                  thank_publicly=False, nonce=_nonce())
    await pledges.confirm_received(world['staff'], second.id, received='40')
    assert (await _refusal(pledges.withdraw(world['zhang'], second.id, '不捐了'))).code == 'already_received'
    assert (await _refusal(pledges.withdraw(world['li'], second.id, '不是我的'))).code == 'forbidden'
    assert (await _refusal(pledges.withdraw(world['staff'], second.id, ' '))).code == 'reason_required'
    closed = await pledges.withdraw(world['staff'], second.id, '剩下的不来了')
    assert closed.state == 'withdrawn'
    (line,) = (await pledges.ledger(world['project'].id)).lines
    assert (line.pledged, line.received) == (D(40), D(40))  # what arrived stays counted
    assert (await _refusal(pledges.confirm_received(world['staff'], second.id, received='100'))).code == \
        'pledge_withdrawn'


async def test_staff_record_a_pledge_for_someone_without_a_phone(world) -> None:
    by_name = await pledges.record_for_resident(world['staff'], world['project'].id, name='王奶奶', kind='material',
                                                item='图书', unit='本', quantity='20', thank_publicly=True,
                                                nonce=_nonce())
    assert (by_name.name, by_name.resident_id, by_name.recorded_by_id) == ('王奶奶', None, world['staff'].account_id)
    for_resident = await pledges.record_for_resident(world['staff'], world['project'].id,
                                                     resident_id=world['zhang_resident'].id, kind='money',
                                                     quantity='50', nonce=_nonce())
    assert for_resident.name == '张桂兰'
    assert (await _refusal(pledges.record_for_resident(world['committee'], world['project'].id, name='某人',
                                                       kind='money', quantity='5', nonce=_nonce()))).code == \
        'forbidden'
    mine = await pledges.my_pledges(world['zhang'], world['project'].id)
    assert [p.id for p in mine] == [for_resident.id]


async def test_thanks_name_only_consenting_pledgers_and_only_for_what_arrived(world) -> None:
    yes = await pledges.pledge(world['zhang'], world['project'].id, kind='labour', item='刷墙', quantity='4',
                               thank_publicly=True, nonce=_nonce())
    no = await pledges.pledge(world['li'], world['project'].id, kind='money', quantity='100',
                              thank_publicly=False, nonce=_nonce())
    assert await pledges.thanks(world['project'].id) == []  # nothing arrived yet
    await pledges.confirm_received(world['staff'], yes.id, received='4')
    await pledges.confirm_received(world['staff'], no.id, received='100')
    (thank,) = await pledges.thanks(world['project'].id)
    assert (thank.name, thank.text) == ('张桂兰', '刷墙 4 小时')
    assert '139' not in repr(thank)


async def test_organisers_see_names_with_phones_masked_unless_they_may_read_phones(world) -> None:
    await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='10', thank_publicly=False,
                         nonce=_nonce())
    (staff_view,) = await pledges.project_pledges(world['staff'], world['project'].id)
    assert (staff_view.name, staff_view.phone) == ('张桂兰', '13912345678')
    assert (await _refusal(pledges.project_pledges(world['zhang'], world['project'].id))).code == 'forbidden'


async def test_needs_are_added_by_organisers_only_and_with_sensible_quantities(world) -> None:
    assert (await _refusal(pledges.add_need(world['zhang'], world['project'].id, kind='money', item='资金',
                                            quantity='100'))).code == 'forbidden'
    assert (await _refusal(pledges.add_need(world['staff'], world['project'].id, kind='material', item='空调',
                                            unit='台', quantity='0.5'))).code == 'whole_number'
    need = await pledges.add_need(world['staff'], world['project'].id, kind='money', item='建设资金', unit='块',
                                  quantity='5000')
    assert need.unit == '元'
    (view,) = await pledges.needs(world['project'].id)
    assert (view.item, view.still_needed) == ('建设资金', D(5000))


async def _read(data: bytes) -> list[tuple]:
    import io

    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(min_row=3, values_only=True))


async def test_the_excel_ledger_lists_every_pledge_and_its_totals_equal_the_ledger(world) -> None:
    from services import pledge_export
    need = await _labour_need(world)
    a = await pledges.pledge(world['zhang'], world['project'].id, need_id=need.id, kind='labour', quantity='4',
                             thank_publicly=True, nonce=_nonce())
    b = await pledges.pledge(world['li'], world['project'].id, kind='money', quantity='123.45',
                             thank_publicly=False, nonce=_nonce())
    c = await pledges.pledge(world['li'], world['project'].id, kind='money', quantity='10',
                             thank_publicly=False, nonce=_nonce())
    await pledges.withdraw(world['li'], c.id, '算错了')
    await pledges.confirm_received(world['staff'], a.id, received='5')
    await pledges.confirm_received(world['staff'], b.id, received='100')
    name, data = await pledge_export.project_xlsx(world['staff'], world['project'].id)
    assert name.startswith('3栋楼道照明改造-认捐台账-') and name.endswith('.xlsx')
    rows = await _read(data)
    people = [r for r in rows if r[1] != '合计']
    assert [(r[1], r[2], r[3], r[12], r[13]) for r in people] == [
        ('张桂兰', '13912345678', '投工投劳', '已到位', '是'), ('李大爷', people[1][2], '出资', '部分到位', '否'),
        ('李大爷', people[2][2], '出资', '已撤回', '否')]
    assert '****' not in people[1][2]  # staff may read phones
    assert people[2][15] == '算错了'  # the withdrawal's reason
    assert people[0][10] == '李敏' and people[0][11] is not None
    totals = {(r[3], r[6]): (r[5], r[9]) for r in rows if r[1] == '合计'}
    book = await pledges.ledger(world['project'].id)
    assert totals == {(kind, t.unit): (float(t.pledged), float(t.received)) for t in book.totals
                      for kind in [{'labour': '投工投劳', 'money': '出资'}[t.kind]]}
    assert totals[('投工投劳', '小时')] == (5, 5)  # an hour more than pledged counts as pledged too
    assert totals[('出资', '元')] == (123.45, 100)  # the withdrawn 10 yuan is left out
    assert await AuditEntry.filter(action='pledge.exported').count() == 1


async def test_the_community_wide_excel_holds_each_project_with_its_own_totals(world) -> None:
    from services import pledge_export
    second = await make_project(world['community'], title='小区健身角')
    await pledges.pledge(world['zhang'], world['project'].id, kind='money', quantity='50', thank_publicly=False,
                         nonce=_nonce())
    await pledges.pledge(world['zhang'], second.id, kind='material', item='哑铃', unit='副', quantity='2',
                         thank_publicly=False, nonce=_nonce())
    _, data = await pledge_export.community_xlsx(world['staff'], world['community'].id)
    rows = await _read(data)
    assert [(r[0], r[1]) for r in rows] == [('3栋楼道照明改造', '张桂兰'), ('3栋楼道照明改造', '合计'),
                                           ('小区健身角', '张桂兰'), ('小区健身角', '合计')]
    assert rows[3][5:7] == (2, '副')
    refused = await _refusal(pledge_export.community_xlsx(world['committee'], world['community'].id))
    assert refused.code == 'forbidden'
