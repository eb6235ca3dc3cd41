"""吹哨报到 assessment maths: last closed round's rate, rectifications, on time in local days, score, organisations."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from domain.assessment import WEIGHTS, ProjectFacts, Round, assess, by_org, mean, rounded
from domain.satisfaction import Counts

T0 = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)


def facts(**changes) -> ProjectFacts:
    values = dict(id=1, title='3栋楼道照明改造', lead_org='船柴社区居委会', state='closed', created_at=T0,
                  done_at=T0 + timedelta(days=10, hours=12), due_on=date(2026, 9, 15),
                  rounds=(Round(1, Counts(4, 1, 0), T0 + timedelta(days=12), 'passed'),),
                  budget=Decimal('1200.50'), spent=Decimal('1100.25'))
    return ProjectFacts(**{**values, **changes})


def test_weights_add_up_to_100() -> None:
    assert sum(WEIGHTS.values()) == 100


def test_a_project_passed_first_time_on_time_scores_its_rate_plus_both_bonuses() -> None:
    result = assess(facts(rounds=(Round(1, Counts(3, 1, 1), T0 + timedelta(days=12), 'passed'),)))
    assert result.rate == Fraction(4, 5)
    assert (result.rounds, result.rectifications, result.on_time, result.passed_first_time) == (1, 0, True, True)
    assert result.days_to_done == Fraction(21, 2)
    assert result.score == 60 * Fraction(4, 5) + 20 + 20 == 88


def test_after_a_rectification_the_last_closed_round_counts_and_the_first_time_bonus_is_lost() -> None:
    rounds = (Round(1, Counts(1, 0, 2), T0 + timedelta(days=11), 'reopened'),
              Round(2, Counts(5, 1, 0), T0 + timedelta(days=20), 'passed'))
    result = assess(facts(rounds=rounds, done_at=T0 + timedelta(days=18)))  # reported done again: after the date
    assert result.rate == 1 and result.rounds == 2 and result.rectifications == 1
    assert result.on_time is False and result.passed_first_time is False
    assert result.score == 60


def test_on_time_compares_the_local_day_with_the_planned_date() -> None:
    late_evening = datetime(2026, 9, 15, 15, 59, tzinfo=UTC)  # 23:59 on the 15th in Beijing
    just_after = datetime(2026, 9, 15, 16, 0, tzinfo=UTC)  # 00:00 on the 16th
    assert assess(facts(done_at=late_evening)).on_time is True
    assert assess(facts(done_at=just_after)).on_time is False


def test_without_a_planned_date_that_part_is_left_out_and_the_rest_scaled_to_100() -> None:
    result = assess(facts(due_on=None, rounds=(Round(1, Counts(3, 1, 1), T0, 'passed'),)))
    assert result.on_time is None
    assert result.score == (60 * Fraction(4, 5) + 20) * 100 / 80 == 85


def test_projects_not_closed_get_no_score_but_show_their_figures() -> None:
    under_way = assess(facts(state='underway', done_at=None, rounds=()))
    assert (under_way.score, under_way.rate, under_way.on_time, under_way.passed_first_time) == (None,) * 4
    assert under_way.rounds == 0 and under_way.rectifications == 0 and under_way.days_to_done is None
    rating = assess(facts(state='rating', rounds=(Round(1, Counts(), None),)))
    assert rating.rate is None and rating.rounds == 1 and rating.score is None


def test_organisations_average_over_the_projects_that_have_each_figure() -> None:
    a = assess(facts(id=1, rounds=(Round(1, Counts(4, 0, 1), T0, 'passed'),)))  # 80 %, on time, first time: 88
    b = assess(facts(id=2, lead_org='船柴社区居委会 ', due_on=date(2026, 9, 1),
                     rounds=(Round(1, Counts(0, 0, 1), T0, 'reopened'), Round(2, Counts(2, 1, 0), T0, 'passed'))))
    c = assess(facts(id=3, lead_org='西陵区住建局', state='underway', done_at=None, rounds=(), due_on=None,
                     budget=Decimal('0.10'), spent=Decimal('0.20')))
    rows = by_org([a, b, c])
    assert [r.lead_org for r in rows] == ['船柴社区居委会', '西陵区住建局']
    office, bureau = rows
    assert (office.projects, office.closed, office.rectifications) == (2, 2, 1)
    assert office.rate == Fraction(9, 10)  # (4/5 + 1) / 2
    assert (office.on_time, office.judged_on_time, office.on_time_share) == (1, 2, Fraction(1, 2))
    assert office.score == (88 + 60) / Fraction(2) == 74
    assert office.budget == Decimal('2401.00') and office.spent == Decimal('2200.50')
    assert (bureau.rate, bureau.score, bureau.on_time_share, bureau.days_to_done) == (None,) * 4
    assert bureau.budget == Decimal('0.10') and bureau.spent == Decimal('0.20')


def test_mean_and_rounding_are_exact_and_half_up() -> None:
    assert mean([Fraction(1, 3), None, Fraction(2, 3)]) == Fraction(1, 2) and mean([None]) is None
    assert rounded(Fraction(1, 20)) == Decimal('0.1') and rounded(Fraction(249, 100)) == Decimal('2.5')
    assert rounded(Fraction(200, 3)) == Decimal('66.7') and rounded(None) is None
