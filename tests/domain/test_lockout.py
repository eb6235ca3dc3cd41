"""Wrong passwords and PINs: a few free tries, then short waits, then locks that double up to a day."""
from datetime import timedelta

import pytest

from domain import lockout


@pytest.mark.parametrize(('failures', 'wait'), [
    (0, timedelta(0)),
    (1, timedelta(0)),
    (2, timedelta(0)),
    (3, timedelta(seconds=30)),
    (4, timedelta(seconds=60)),
    (5, timedelta(minutes=15)),
    (6, timedelta(minutes=30)),
    (7, timedelta(hours=1)),
    (10, timedelta(hours=8)),
    (11, timedelta(hours=16)),
    (12, timedelta(hours=24)),
    (40, timedelta(hours=24)),
])
def test_the_backoff_table(failures: int, wait: timedelta) -> None:
    assert lockout.wait_after(failures) == wait


def test_the_wait_never_shrinks_as_failures_grow() -> None:
    waits = [lockout.wait_after(n) for n in range(60)]
    assert waits == sorted(waits)


def test_ten_wrong_tries_lock_for_hours() -> None:
    assert lockout.wait_after(10) >= timedelta(hours=1)


@pytest.mark.parametrize(('delta', 'text'), [
    (timedelta(seconds=0), '1 秒'),
    (timedelta(seconds=0.2), '1 秒'),
    (timedelta(seconds=30), '30 秒'),
    (timedelta(seconds=59), '59 秒'),
    (timedelta(seconds=60), '1 分钟'),
    (timedelta(seconds=61), '2 分钟'),
    (timedelta(minutes=15), '15 分钟'),
    (timedelta(hours=8), '480 分钟'),
])
def test_the_remaining_time_is_said_in_chinese_and_rounded_up(delta: timedelta, text: str) -> None:
    assert lockout.minutes_text(delta) == text
