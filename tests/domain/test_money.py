"""A project's money as pure maths: amounts read exactly, totals that always add up, overspend, the allowance."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from domain import money
from domain.errors import DomainError
from domain.money import Line, Paid, overspend, parse_amount, summarise

D = Decimal


@pytest.mark.parametrize(('text', 'expected'), [
    ('1,200.50', D('1200.50')), ('1200', D('1200.00')), (' 80 ', D('80.00')), ('0.01', D('0.01')),
    ('￥80', D('80.00')), ('80元', D('80.00')), ('1,234,567', D('1234567.00')), ('1.5', D('1.50')),
    ('１２', D('12.00')), ('１，２００．５', D('1200.50')),  # full-width digits from a Chinese keyboard are read
    (D('99.9'), D('99.90')), (300, D('300.00')), ('5,000,000', D('5000000.00')),
])
def test_an_amount_is_read_exactly_with_thousands_separators_and_full_width_digits(text, expected) -> None:
    value = parse_amount(text)
    assert value == expected and isinstance(value, Decimal) and value.as_tuple().exponent == -2


@pytest.mark.parametrize(('value', 'code'), [
    ('-5', 'amount_not_positive'), ('0', 'amount_not_positive'), ('0.00', 'amount_not_positive'),
    (0, 'amount_not_positive'), (D('-1'), 'amount_not_positive'),
    ('1.234', 'amount_too_precise'), (D('0.001'), 'amount_too_precise'),
    ('1e9', 'invalid_amount'), ('abc', 'invalid_amount'), ('', 'invalid_amount'), ('  ', 'invalid_amount'),
    ('NaN', 'invalid_amount'), ('inf', 'invalid_amount'), (D('NaN'), 'invalid_amount'),
    (D('Infinity'), 'invalid_amount'), (1.5, 'invalid_amount'), (True, 'invalid_amount'), (None, 'invalid_amount'),
    ('12,34', 'invalid_amount'), ('1,2000', 'invalid_amount'), ('1.2.3', 'invalid_amount'), ('一百', 'invalid_amount'),
    ('5000000.01', 'amount_too_large'), ('99999999999999999999999999999999999', 'amount_too_large'),
    (D('1E+40'), 'amount_too_large'), ('5,000,001', 'amount_too_large'),
])
def test_a_bad_amount_is_refused_with_a_stable_code_and_plain_chinese(value, code) -> None:
    with pytest.raises(DomainError) as refused:
        parse_amount(value, field='支出金额')
    assert refused.value.code == code
    assert '支出金额' in refused.value.message


def test_the_too_large_message_names_the_limit_with_separators() -> None:
    with pytest.raises(DomainError) as refused:
        parse_amount('50000000')
    assert '5,000,000.00 元' in refused.value.message


def test_yuan_shows_thousands_separators_and_two_decimals() -> None:
    assert money.yuan(D('1234567.5')) == '1,234,567.50'
    assert money.yuan(D('0')) == '0.00'
    assert money.yuan(D('-300')) == '-300.00'


def test_totals_are_the_sums_of_the_source_rows_in_source_order() -> None:
    summary = summarise([Line('residents', D('3000')), Line('huimin', D('20000')), Line('huimin', D('5000.50'))],
                        [Paid('huimin', D('12000')), Paid('residents', D('3500'))])
    assert [r.source for r in summary.sources] == ['huimin', 'residents']
    huimin, residents = summary.sources
    assert (huimin.label, huimin.budget, huimin.spent, huimin.remaining, huimin.over) == \
        ('惠民资金', D('25000.50'), D('12000.00'), D('13000.50'), False)
    assert (residents.remaining, residents.over) == (D('-500.00'), True)
    assert (summary.budget, summary.spent, summary.remaining) == (D('28000.50'), D('15500.00'), D('12500.50'))
    assert summary.over_budget


def test_a_voided_spending_counts_for_nothing() -> None:
    summary = summarise([Line('award', D('1000'))], [Paid('award', D('800')), Paid('award', D('900'), voided=True)])
    assert (summary.spent, summary.remaining, summary.over_budget) == (D('800.00'), D('200.00'), False)


def test_a_row_with_voided_at_set_counts_as_voided_too() -> None:
    class Row:
        source, amount, voided_at = 'other', D('50'), object()
    assert summarise([], [Row()]).spent == 0


def test_spending_from_a_source_without_a_budget_line_shows_as_over() -> None:
    summary = summarise([], [Paid('property', D('10'))])
    row = summary.source('property')
    assert (row.budget, row.spent, row.remaining, row.over) == (D('0.00'), D('10.00'), D('-10.00'), True)


def test_nothing_at_all_is_all_zero_and_a_missing_source_reads_as_a_zero_row() -> None:
    summary = summarise([], [])
    assert summary == money.EMPTY
    assert summary.source('huimin').budget == 0 and summary.source('huimin').label == '惠民资金'


def test_random_lines_and_spendings_always_add_up_exactly() -> None:
    rng = random.Random(20261130)
    keys = list(money.SOURCES)
    for _ in range(300):
        lines = [Line(rng.choice(keys), D(rng.randint(1, 10_000_000)) / 100) for _ in range(rng.randint(0, 8))]
        paid = [Paid(rng.choice(keys), D(rng.randint(1, 5_000_000)) / 100, rng.random() < 0.25)
                for _ in range(rng.randint(0, 12))]
        summary = summarise(lines, paid)
        live = [p for p in paid if not p.voided]
        assert summary.budget == sum((x.amount for x in lines), D(0))
        assert summary.spent == sum((p.amount for p in live), D(0))
        assert summary.remaining == summary.budget - summary.spent
        assert summary.budget == sum((r.budget for r in summary.sources), D(0))
        assert summary.spent == sum((r.spent for r in summary.sources), D(0))
        assert summary.remaining == sum((r.remaining for r in summary.sources), D(0))
        for row in summary.sources:
            assert row.remaining == row.budget - row.spent
            assert row.over == (row.spent > row.budget)
            assert row.spent == sum((p.amount for p in live if p.source == row.source), D(0))
        assert summary.over_budget == any(r.over for r in summary.sources)


def test_overspend_is_the_part_of_a_new_spending_its_source_cannot_cover() -> None:
    summary = summarise([Line('huimin', D('1000')), Line('residents', D('500'))],
                        [Paid('huimin', D('700')), Paid('residents', D('600'))])
    assert overspend(summary, 'huimin', D('300')) == 0  # exactly what is left
    assert overspend(summary, 'huimin', D('300.01')) == D('0.01')
    assert overspend(summary, 'residents', D('50')) == D('50.00')  # already over: all of it is uncovered
    assert overspend(summary, 'social', D('20')) == D('20.00')  # no budget from that source at all


def test_the_huimin_allowance_is_200k_for_a_city_community_and_100k_for_a_village() -> None:
    assert money.huimin_allowance('urban') == D('200000')
    assert money.huimin_allowance('village') == D('100000')
    use = money.allowance_use('village', 2026, committed=D('120000'), spent=D('30000'))
    assert (use.left, use.over) == (D('-20000'), True)
    assert not money.allowance_use('urban', 2026, committed=D('200000'), spent=D('0')).over


def test_a_reason_is_required_and_bounded() -> None:
    assert money.check_reason('  重复录入  ') == '重复录入'
    with pytest.raises(DomainError, match='reason_required'):
        money.check_reason('  ')
    with pytest.raises(DomainError, match='invalid_reason'):
        money.check_reason('长' * (money.MAX_REASON + 1))


def test_only_known_sources_are_accepted() -> None:
    assert money.check_source('award') == 'award'
    with pytest.raises(DomainError, match='invalid_source'):
        money.check_source('bank')
