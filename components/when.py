"""Dates and times as a person in the community reads them: local time (Asia/Shanghai), minutes."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo('Asia/Shanghai')


def local_time(value: datetime | None, *, empty: str = '') -> str:
    """'2026-03-01 17:30' in local time; `empty` for None."""
    if value is None:
        return empty
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo('UTC'))
    return value.astimezone(LOCAL).strftime('%Y-%m-%d %H:%M')
