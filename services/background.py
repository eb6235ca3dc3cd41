"""The work a real server does on its own while it serves: plan meetings and send reminders, close votes at their
deadline and make them final when the 公示 period ends cleanly, close the rating rounds that are due. Each loop
logs its failures and carries on."""
from __future__ import annotations

import asyncio


async def run() -> None:
    """Run every background loop until cancelled (db.register cancels it before the database closes)."""
    from services import meeting_series, ratings, vote_clock
    await asyncio.gather(meeting_series.keep_up(), vote_clock.keep_up(), ratings.keep_up())
