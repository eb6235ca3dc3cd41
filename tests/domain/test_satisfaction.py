"""民事民评 maths: the rate is exact, 基本满意 counts as content, the threshold includes its boundary, and a round's
verdict (passed / reopened for 整改 / nobody rated) follows from the counts alone."""
from fractions import Fraction

import pytest

from domain.errors import DomainError
from domain.satisfaction import (
    Counts,
    check_comment,
    check_threshold,
    check_value,
    count,
    outcome_reason,
    passes,
    percent,
    rate,
    verdict,
)


def test_fair_counts_as_content_so_the_rate_is_satisfied_plus_fair_over_all() -> None:
    counts = Counts(satisfied=2, fair=2, unsatisfied=1)
    assert counts.content == 4 and counts.total == 5
    assert rate(counts) == Fraction(4, 5)


def test_four_of_five_is_exactly_eighty_percent_and_passes_at_eighty() -> None:
    assert passes(Counts(satisfied=3, fair=1, unsatisfied=1), 80)
    assert verdict(Counts(satisfied=3, fair=1, unsatisfied=1), 80) == 'passed'


def test_seventy_nine_of_ninety_nine_fails_at_eighty_though_it_rounds_to_eighty() -> None:
    counts = Counts(satisfied=79, unsatisfied=20)
    assert not passes(counts, 80)
    assert verdict(counts, 80) == 'reopened'
    assert percent(rate(counts)) == '79.8%'


def test_eighty_of_a_hundred_passes_and_seventy_nine_of_a_hundred_does_not() -> None:
    assert verdict(Counts(fair=80, unsatisfied=20), 80) == 'passed'
    assert verdict(Counts(fair=79, unsatisfied=21), 80) == 'reopened'


def test_all_fair_passes_even_a_hundred_percent_threshold() -> None:
    assert verdict(Counts(fair=7), 100) == 'passed'
    assert verdict(Counts(fair=7, unsatisfied=1), 100) == 'reopened'


def test_nobody_rated_is_no_verdict_and_no_rate() -> None:
    assert rate(Counts()) is None
    assert percent(None) == '—'
    assert verdict(Counts(), 80) == 'no_ratings'
    assert not passes(Counts(), 50)


def test_a_lone_unsatisfied_rating_reopens_and_a_lone_fair_one_passes() -> None:
    assert verdict(Counts(unsatisfied=1), 50) == 'reopened'
    assert verdict(Counts(fair=1), 80) == 'passed'


def test_percent_rounds_half_up_on_the_exact_fraction() -> None:
    assert percent(Fraction(2, 3)) == '66.7%'
    assert percent(Fraction(1, 8)) == '12.5%'
    assert percent(Fraction(1, 16)) == '6.3%'  # 6.25 → 6.3, half up, no float on the way
    assert percent(Fraction(1, 1)) == '100.0%'


def test_counting_values_refuses_an_unknown_value_instead_of_dropping_it() -> None:
    assert count(['satisfied', 'fair', 'fair', 'unsatisfied']) == Counts(1, 2, 1)
    with pytest.raises(ValueError):
        count(['satisfied', 'great'])


def test_the_timeline_reason_says_the_rate_and_the_threshold() -> None:
    assert outcome_reason(Counts(satisfied=3, unsatisfied=2), 80) == '满意率 60.0% 低于 80%，进入整改'
    assert outcome_reason(Counts(satisfied=4, unsatisfied=1), 80) == '满意率 80.0%，达到 80%，评价通过'


@pytest.mark.parametrize('value', [49, 101, 0, -80, 80.5, '80.5', '八十', '', None, True])
def test_a_threshold_outside_fifty_to_a_hundred_or_not_a_whole_number_is_refused(value) -> None:
    with pytest.raises(DomainError) as refused:
        check_threshold(value)
    assert refused.value.code == 'invalid_threshold'


@pytest.mark.parametrize('value', [50, 80, 100, ' 90 '])
def test_a_whole_threshold_from_fifty_to_a_hundred_is_taken(value) -> None:
    assert check_threshold(value) == int(value)


def test_a_rating_value_must_be_one_of_the_three_and_a_comment_at_most_500_characters() -> None:
    assert check_value('fair') == 'fair'
    for bad in ('good', '', None, 3):
        with pytest.raises(DomainError) as refused:
            check_value(bad)
        assert refused.value.code == 'invalid_rating'
    assert check_comment('  灯很亮  ') == '灯很亮'
    assert check_comment(None) == ''
    assert len(check_comment('好' * 500)) == 500
    with pytest.raises(DomainError) as refused:
        check_comment('好' * 501)
    assert refused.value.code == 'invalid_comment'
