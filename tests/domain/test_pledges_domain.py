"""投工投劳、出资出物 rules: sensible quantities per kind, the state a confirmation leaves, and the ledger maths."""
from decimal import Decimal as D

import pytest

from domain import pledges as rules
from domain.errors import DomainError
from domain.pledges import NeedRow, PledgeRow


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as refused:
        call(*args, **kwargs)
    return refused.value.code


@pytest.mark.parametrize('value', ['0', '-1', -3, '0.00'])
def test_zero_and_negative_quantities_are_refused(value) -> None:
    assert _code(rules.check_quantity, 'money', '元', value) == 'quantity_not_positive'


@pytest.mark.parametrize('value', ['两百', '', None, 'NaN', 'Infinity', True, '1e'])
def test_text_where_a_number_belongs_is_refused(value) -> None:
    assert _code(rules.check_quantity, 'money', '元', value) == 'invalid_quantity'


def test_money_has_at_most_two_decimals_and_an_absurd_cap() -> None:
    assert rules.check_quantity('money', '元', '1,000.5') == D('1000.50')
    assert _code(rules.check_quantity, 'money', '元', '10.001') == 'too_many_decimals'
    assert rules.check_quantity('money', '元', '1000000') == D('1000000.00')
    assert _code(rules.check_quantity, 'money', '元', '1000000.01') == 'quantity_too_large'
    assert rules.check_quantity('money', '元', '2000000', need=True) == D('2000000.00')  # a need may ask for more


def test_labour_is_in_half_hours_up_to_two_hundred_per_pledge() -> None:
    assert rules.check_quantity('labour', '小时', '2.5') == D('2.50')
    assert rules.check_quantity('labour', '小时', 200) == D('200.00')
    assert _code(rules.check_quantity, 'labour', '小时', '2.25') == 'labour_step'
    assert _code(rules.check_quantity, 'labour', '小时', '200.5') == 'quantity_too_large'


def test_a_counted_material_is_whole_but_a_measured_one_may_be_fractional() -> None:
    assert rules.check_quantity('material', '台', '2') == D('2.00')
    with pytest.raises(DomainError) as refused:
        rules.check_quantity('material', '台', '1.5')
    assert refused.value.code == 'whole_number' and '公斤' in refused.value.message
    assert rules.check_quantity('material', '公斤', '2.5') == D('2.50')


def test_a_float_from_a_number_input_is_read_as_typed_not_as_binary() -> None:
    assert rules.check_quantity('money', '元', 0.1) == D('0.10')


def test_labour_and_money_units_are_fixed_and_a_material_needs_one() -> None:
    assert rules.check_unit('labour', '天') == '小时'
    assert rules.check_unit('money', '') == '元'
    assert rules.check_unit('material', ' 本 ') == '本'
    assert _code(rules.check_unit, 'material', '') == 'invalid_unit'


def test_a_confirmation_leaves_pledged_partial_or_received() -> None:
    assert rules.state_after(D(4), D(0)) == 'pledged'
    assert rules.state_after(D(4), D('2.5')) == 'partial'
    assert rules.state_after(D(4), D(4)) == 'received'
    assert rules.state_after(D(4), D(5)) == 'received'


def test_more_than_pledged_may_arrive_up_to_twice_the_pledge() -> None:
    assert rules.check_received('labour', '小时', D(3), '4') == D('4.00')
    assert rules.check_received('labour', '小时', D(3), '6') == D('6.00')
    assert _code(rules.check_received, 'labour', '小时', D(3), '6.5') == 'received_too_much'
    assert _code(rules.check_received, 'money', '元', D(100), '-1') == 'received_negative'
    assert rules.check_received('money', '元', D(100), '0') == D('0.00')  # a correction: nothing arrived after all


def _need(id_, kind='labour', unit='小时', quantity='10', position=0) -> NeedRow:
    return NeedRow(id_, kind, f'需求{id_}', unit, D(quantity), '', position)


def _pledge(id_, need_id, quantity, received='0', state='pledged', kind='labour', unit='小时') -> PledgeRow:
    return PledgeRow(id_, need_id, kind, unit, D(quantity), D(received), state)


def test_the_ledger_adds_up_per_need_and_leaves_withdrawn_pledges_out() -> None:
    book = rules.ledger([_need(1), _need(2, 'money', '元', '5000', position=1)], [
        _pledge(1, 1, '4', '4', 'received'),
        _pledge(2, 1, '3', '1', 'partial'),
        _pledge(3, 1, '8', state='withdrawn'),
        _pledge(4, 2, '200', kind='money', unit='元'),
    ])
    labour, money = book.lines
    assert (labour.needed, labour.pledged, labour.received, labour.pledges) == (D(10), D(7), D(5), 2)
    assert labour.still_needed == D(3)
    assert (money.pledged, money.received, money.still_needed) == (D(200), D(0), D(4800))
    assert [(t.kind, t.unit, t.needed, t.pledged, t.received) for t in book.totals] == \
        [('labour', '小时', D(10), D(7), D(5)), ('money', '元', D(5000), D(200), D(0))]


def test_still_needed_never_goes_below_zero() -> None:
    (line,) = rules.ledger([_need(1, quantity='5')], [_pledge(1, 1, '8')]).lines
    assert (line.pledged, line.still_needed) == (D(8), D(0))


def test_pledges_without_a_need_are_grouped_as_other_per_kind_and_unit() -> None:
    book = rules.ledger([_need(1)], [
        _pledge(1, None, '2', kind='material', unit='台'),
        _pledge(2, None, '3', '3', 'received', kind='material', unit='台'),
        _pledge(3, None, '10', kind='material', unit='本'),
        _pledge(4, 99, '2'),  # its need was deleted: 其他 too
    ])
    assert [(line.item, line.kind, line.unit, line.needed, line.pledged) for line in book.lines] == [
        ('需求1', 'labour', '小时', D(10), D(0)), ('其他', 'labour', '小时', None, D(2)),
        ('其他', 'material', '台', None, D(5)), ('其他', 'material', '本', None, D(10))]
    assert book.totals[0] == rules.Total('labour', '小时', D(10), D(2), D(0))


def test_more_than_pledged_counts_as_pledged_so_received_never_exceeds_pledged() -> None:
    (line,) = rules.ledger([_need(1)], [_pledge(1, 1, '3', '4', 'received')]).lines
    assert (line.pledged, line.received) == (D(4), D(4))


def test_a_partial_pledge_withdrawn_by_staff_counts_only_what_arrived() -> None:
    (line,) = rules.ledger([_need(1)], [_pledge(1, 1, '6', '2', 'withdrawn')]).lines
    assert (line.pledged, line.received, line.pledges) == (D(2), D(2), 0)


def test_exact_decimals_add_without_float_drift() -> None:
    need = _need(1, 'money', '元', '0.30')
    (line,) = rules.ledger([need], [_pledge(i, 1, '0.1', kind='money', unit='元') for i in range(3)]).lines
    assert line.pledged == D('0.3') and line.still_needed == 0


def test_shares_and_quantities_read_plainly() -> None:
    assert rules.share(D(5), D(10)) == 50
    assert rules.share(D(15), D(10)) == 100
    assert rules.share(D(1), D(0)) == 0
    assert [rules.format_quantity(D(x)) for x in ('3.00', '2.50', '1234.56')] == ['3', '2.5', '1234.56']


def test_labour_and_money_without_a_name_are_work_and_a_donation_but_a_material_must_say_what() -> None:
    assert rules.check_item('', 'money') == '捐款'
    assert rules.check_item(' ', 'labour') == '出工'
    assert rules.check_item('空调', 'material') == '空调'
    assert _code(rules.check_item, '', 'material') == 'invalid_item'
    assert _code(rules.check_item, '书' * 41, 'material') == 'invalid_item'


def test_a_nonce_is_letters_and_digits_of_sensible_length_and_a_withdrawal_needs_a_reason() -> None:
    assert rules.check_nonce('a1b2c3d4') == 'a1b2c3d4'
    for bad in ('short', None, 'x' * 65, 'has space 123'):
        assert _code(rules.check_nonce, bad) == 'bad_nonce'
    assert _code(rules.check_reason, '  ') == 'reason_required'
    assert _code(rules.check_reason, '长' * 201) == 'invalid_reason'
