"""The 五民 funnel from hand-made timelines: when each step is entered, skipped steps, and exact average days."""
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from domain.funnel import Move, Timeline, days_text, entries, funnel, month_of, series

T0 = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def issue(id_: int, moves: list[tuple[float, str | None, str]], *, project: list[tuple[float, str | None, str]] = (),
          compound: int | None = 1, created: float = 0) -> Timeline:
    return Timeline(id_, 'issue', compound, day(created), tuple(Move(day(d), a, b) for d, a, b in moves),
                    tuple(Move(day(d), a, b) for d, a, b in project))


FULL = [(1, 'submitted', 'accepted'), (2, 'accepted', 'triaged'), (4, 'triaged', 'deliberating'),
        (7, 'deliberating', 'reviewed'), (8, 'reviewed', 'decided'), (9, 'decided', 'published'),
        (10, 'published', 'in_progress'), (20, 'in_progress', 'rating'), (25, 'rating', 'closed')]


def test_a_full_issue_enters_each_step_at_its_first_move_into_that_step() -> None:
    assert entries(issue(1, FULL)) == {1: day(0), 2: day(2), 3: day(7), 4: day(20), 5: day(25)}


def test_the_projects_report_done_and_close_after_rating_count_when_the_issue_did_not_follow() -> None:
    item = issue(1, FULL[:6], project=[(0, None, 'preparing'), (15, 'underway', 'rating'),
                                         (18, 'rating', 'rectifying'), (22, 'rectifying', 'rating'),
                                         (24, 'rating', 'closed')])
    assert entries(item)[4] == day(15) and entries(item)[5] == day(24)


def test_an_issue_closed_with_the_streets_reply_reached_deliberation_but_is_not_rated() -> None:
    referred = issue(1, [(1, 'submitted', 'accepted'), (2, 'accepted', 'triaged'), (3, 'triaged', 'referred'),
                         (13, 'referred', 'closed')])
    assert entries(referred) == {1: day(0), 2: day(2)}
    figures = series([referred])
    assert figures.counts == [1, 1, 0, 0, 0]
    assert figures.steps[0].days == 2 and figures.steps[1].days is None  # it went no further: no time in 议


def test_a_cancelled_project_is_not_done_and_rated_needs_a_close_from_rating() -> None:
    item = issue(1, FULL[:6], project=[(10, 'underway', 'cancelled'), (11, 'preparing', 'closed')])
    assert max(entries(item)) == 3


def test_an_urgent_issue_skips_triage_but_not_the_deliberation_step() -> None:
    urgent = issue(1, [(0.5, 'submitted', 'accepted'), (0.75, 'accepted', 'deliberating')])
    assert entries(urgent)[2] == day(0.75)
    assert series([urgent]).steps[1].skipped == 0


def test_a_micro_wish_skips_deliberation_and_decision_explicitly() -> None:
    wish = Timeline(9, 'wish', None, day(0), (Move(day(1), 'submitted', 'open'), Move(day(2), 'open', 'claimed'),
                                              Move(day(5), 'claimed', 'fulfilled'),
                                              Move(day(6), 'fulfilled', 'confirmed')))
    figures = series([wish])
    assert figures.counts == [1, 1, 1, 1, 1]
    assert [s.skipped for s in figures.steps] == [0, 1, 1, 0, 0]
    assert [s.days for s in figures.steps] == [5, None, None, 1, None]  # raised → fulfilled counts to 民事民提


def test_counts_never_widen_and_averages_are_exact_over_those_that_went_on() -> None:
    full = issue(1, FULL)
    stopped = issue(2, FULL[:3])  # in deliberation since day 2 (triaged), still there
    rejected = issue(3, [(1, 'submitted', 'rejected')])
    slow = issue(4, [(3, 'submitted', 'accepted'), (3.5, 'accepted', 'triaged'), (10, 'triaged', 'deliberating'),
                     (12, 'deliberating', 'reviewed')], created=1)
    figures = series([full, stopped, rejected, slow])
    assert figures.items == 4
    assert figures.counts == [4, 3, 2, 1, 1]
    step1, step2, step3, step4, step5 = figures.steps
    assert (step1.went_on, step1.days) == (3, Fraction(2 + 2 + Fraction(5, 2), 3))  # 2, 2 and 2.5 days
    assert (step2.went_on, step2.days) == (2, Fraction(5 + Fraction(17, 2), 2))  # full: 2→7, slow: 3.5→12
    assert (step3.went_on, step3.days) == (1, 13)  # full only: 7 → 20 (slow is still in 决)
    assert (step4.days, step5.days) == (5, None)
    assert days_text(step1.days) == '2.2' and days_text(step2.days) == '6.8' and days_text(None) == '—'


def test_out_of_order_records_count_as_zero_days() -> None:
    odd = issue(1, [(5, 'submitted', 'accepted'), (6, 'accepted', 'triaged')],
                project=[(3, 'underway', 'rating')])
    figures = series([odd])
    assert figures.steps[1].days == 0 and figures.steps[2].skipped == 1


def test_groups_by_compound_with_none_for_no_compound_and_by_local_month() -> None:
    late = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)  # already 1 November in Beijing
    items = [issue(1, FULL, compound=1), issue(2, [], compound=None),
             Timeline(3, 'issue', 2, late)]
    result = funnel(items)
    assert result.total.counts == [3, 1, 1, 1, 1]
    assert {k: v.counts for k, v in result.by_compound.items()} == {
        1: [1, 1, 1, 1, 1], None: [1, 0, 0, 0, 0], 2: [1, 0, 0, 0, 0]}
    assert list(result.by_month) == ['2026-10', '2026-11']
    assert result.by_month['2026-11'].items == 1
    assert month_of(datetime(2026, 10, 31, 16, 0)) == '2026-11'  # naive means UTC
