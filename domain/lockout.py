"""Back off and lock after repeated wrong passwords or PINs."""
from __future__ import annotations

from datetime import timedelta

from domain.i18n import t

FREE_ATTEMPTS = 3  # the first wrong tries cost nothing: old fingers mistype
LOCK_AFTER = 5  # from the fifth failure on, the account is locked for a while
MAX_LOCK = timedelta(hours=24)


def wait_after(failures: int) -> timedelta:
    """How long to refuse further attempts after `failures` consecutive failures."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    if failures < LOCK_AFTER:
        return timedelta(seconds=30 * (failures - FREE_ATTEMPTS + 1))  # 30 s, 60 s
    doublings = min(failures - LOCK_AFTER, 10)  # 15 min · 2¹⁰ is past the cap; more would overflow timedelta
    return min(timedelta(minutes=15) * 2 ** doublings, MAX_LOCK)  # 15 min, 30 min, 1 h …


def minutes_text(delta: timedelta) -> str:
    """'3 分钟' / '45 秒' for a message a person reads."""
    seconds = max(1, int(delta.total_seconds() + 0.999))
    return t('{n} 秒', n=seconds) if seconds < 60 else t('{n} 分钟', n=(seconds + 59) // 60)
