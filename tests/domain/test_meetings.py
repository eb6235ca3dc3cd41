"""domain.meetings: the state tables, the check-in window, the scan time of offline scans, series dates."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import meetings as rules
from domain.errors import DomainError

LOCAL = rules.LOCAL
START = datetime(2026, 6, 3, 19, 0, tzinfo=LOCAL)
END = START + timedelta(minutes=90)


def refusal(**kw) -> str | None:
    values = {'state': 'open', 'starts_at': START, 'ends_at': END, 'closed_at': None} | kw
    try:
        rules.check_checkin_time(values['state'], values['starts_at'], values['ends_at'], values['closed_at'],
                                 values['scanned_at'])
    except DomainError as e:
        return e.code
    return None


# ---- lifecycle tables ----

@pytest.mark.parametrize(('current', 'target'), [('scheduled', 'open'), ('scheduled', 'cancelled'),
                                                 ('scheduled', 'closed'), ('open', 'closed')])
def test_a_meeting_moves_along_the_table(current, target):
    rules.check_move(current, target)


@pytest.mark.parametrize(('current', 'target'), [('open', 'cancelled'), ('closed', 'open'), ('cancelled', 'open'),
                                                 ('open', 'scheduled'), ('nonsense', 'open')])
def test_a_move_the_table_lacks_is_refused_in_words(current, target):
    with pytest.raises(DomainError) as e:
        rules.check_move(current, target)
    assert e.value.code == 'bad_move'
    assert '不能改为' in e.value.message


def test_every_state_in_the_table_has_a_label_and_every_target_is_a_state():
    assert set(rules.MOVES) == set(rules.STATES)
    assert all(targets <= set(rules.STATES) for targets in rules.MOVES.values())
    assert set(rules.OUTCOME_MOVES) == set(rules.OUTCOME_STATES)
    assert all(targets <= set(rules.OUTCOME_STATES) for targets in rules.OUTCOME_MOVES.values())


def test_an_outcome_goes_to_review_and_a_return_needs_a_reason():
    rules.check_outcome_move('draft', 'submitted')
    rules.check_outcome_move('submitted', 'returned', note='请写明经费来源')
    with pytest.raises(DomainError) as e:
        rules.check_outcome_move('submitted', 'returned', note='  ')
    assert e.value.code == 'reason_required'
    with pytest.raises(DomainError) as e:
        rules.check_outcome_move('approved', 'draft')
    assert e.value.code == 'bad_move'


# ---- the check-in window ----

def test_check_in_opens_exactly_one_hour_before_the_start():
    assert refusal(scanned_at=START - timedelta(hours=1)) is None
    assert refusal(scanned_at=START - timedelta(hours=1, seconds=1)) == 'checkin_not_open'


def test_a_meeting_nobody_closed_takes_check_ins_until_two_hours_after_its_planned_end():
    assert refusal(scanned_at=END + timedelta(hours=2)) is None
    assert refusal(scanned_at=END + timedelta(hours=2, seconds=1)) == 'meeting_over'


def test_a_closed_meeting_takes_check_ins_made_before_it_closed_only():
    closed = START + timedelta(minutes=40)
    assert refusal(state='closed', closed_at=closed, scanned_at=closed) is None
    assert refusal(state='closed', closed_at=closed, scanned_at=closed + timedelta(seconds=1)) == 'meeting_over'


def test_a_cancelled_meeting_takes_no_check_in_at_any_time():
    assert refusal(state='cancelled', scanned_at=START) == 'meeting_cancelled'


def test_the_too_late_message_names_the_local_scan_time():
    with pytest.raises(DomainError) as e:
        rules.check_checkin_time('closed', START, END, END, datetime(2026, 6, 3, 13, 5, tzinfo=UTC))
    assert '06-03 21:05' in e.value.message


# ---- the time of a scan ----

def test_an_offline_scan_keeps_the_time_the_phone_made_it():
    received = START + timedelta(hours=3)
    assert rules.scan_time(START, received) == START


def test_a_scan_without_a_phone_time_takes_the_servers():
    assert rules.scan_time(None, START) == START


def test_a_phone_clock_slightly_ahead_is_believed_but_never_later_than_arrival():
    assert rules.scan_time(START + timedelta(minutes=1), START) == START


def test_a_phone_time_far_in_the_future_is_replaced_by_the_servers():
    assert rules.scan_time(START + timedelta(minutes=3), START) == START
    assert rules.scan_time(START + timedelta(days=1), START) == START


# ---- series ----

def test_weekly_meetings_fall_on_the_chosen_weekday_at_the_chosen_local_time():
    after = datetime(2026, 6, 1, 8, 0, tzinfo=LOCAL)  # a Monday
    found = rules.occurrences('weekly', weekday=2, day_of_month=None, start_minute=19 * 60, after=after, count=3)
    assert found == [datetime(2026, 6, d, 19, 0, tzinfo=LOCAL) for d in (3, 10, 17)]


def test_a_weekly_meeting_later_today_counts_and_one_already_started_does_not():
    monday = datetime(2026, 6, 1, 18, 0, tzinfo=LOCAL)
    assert rules.occurrences('weekly', weekday=0, day_of_month=None, start_minute=19 * 60, after=monday,
                             count=1) == [datetime(2026, 6, 1, 19, 0, tzinfo=LOCAL)]
    assert rules.occurrences('weekly', weekday=0, day_of_month=None, start_minute=19 * 60,
                             after=monday + timedelta(hours=1), count=1) == [datetime(2026, 6, 8, 19, 0, tzinfo=LOCAL)]


def test_the_local_day_decides_even_when_after_is_given_in_utc():
    after = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)  # already Tuesday 01:00 in 宜昌
    found = rules.occurrences('weekly', weekday=1, day_of_month=None, start_minute=9 * 60, after=after, count=1)
    assert found == [datetime(2026, 6, 2, 9, 0, tzinfo=LOCAL)]


def test_monthly_meetings_roll_over_the_year_end():
    after = datetime(2026, 11, 20, tzinfo=LOCAL)
    found = rules.occurrences('monthly', weekday=None, day_of_month=15, start_minute=14 * 60 + 30, after=after,
                              count=3)
    assert found == [datetime(2026, 12, 15, 14, 30, tzinfo=LOCAL), datetime(2027, 1, 15, 14, 30, tzinfo=LOCAL),
                     datetime(2027, 2, 15, 14, 30, tzinfo=LOCAL)]


@pytest.mark.parametrize(('cadence', 'weekday', 'day', 'minute', 'code'), [
    ('daily', None, None, 600, 'bad_cadence'),
    ('weekly', None, None, 600, 'bad_weekday'),
    ('weekly', 7, None, 600, 'bad_weekday'),
    ('monthly', None, 29, 600, 'bad_day'),
    ('monthly', None, 0, 600, 'bad_day'),
    ('weekly', 1, None, 24 * 60, 'bad_time'),
    ('weekly', 1, None, -1, 'bad_time'),
])
def test_a_series_that_cannot_be_scheduled_is_refused_in_words(cadence, weekday, day, minute, code):
    with pytest.raises(DomainError) as e:
        rules.occurrences(cadence, weekday=weekday, day_of_month=day, start_minute=minute, after=START, count=1)
    assert e.value.code == code


def test_a_series_reads_as_people_say_it():
    assert rules.describe_series('weekly', 2, None, 19 * 60) == '每周三 19:00'
    assert rules.describe_series('monthly', None, 15, 9 * 60 + 5) == '每月 15 日 09:05'
