"""The clock of votes: close the open votes at their deadline and make final those whose 公示 period ended with
every objection answered. `keep_up` runs for as long as the app serves (services.background)."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from domain.errors import DomainError
from domain.votes import VoteState
from models import Vote
from services import audit
from services.meetings import db_time
from services.votes import close_vote, finalise_vote

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0


async def tick(*, at: datetime | None = None) -> tuple[int, int]:
    """Close the open votes past their deadline, make final those whose 公示 ended with every objection answered.

    Returns (closed, finalised); a vote someone else moved meanwhile is skipped.
    """
    at = at or audit.now()
    closed = finalised = 0
    for vote_id in await Vote.filter(state=VoteState.OPEN, closes_at__lte=db_time(at)).values_list('id', flat=True):
        try:
            await close_vote(None, vote_id, at=at)
            closed += 1
        except DomainError as e:
            log.info('vote %s not closed by the clock: %s', vote_id, e.code)
    due = await Vote.filter(state=VoteState.CLOSED, publicity_ends_at__lte=db_time(at)).values_list('id', flat=True)
    for vote_id in due:
        try:
            await finalise_vote(None, vote_id, at=at)
            finalised += 1
        except DomainError as e:
            log.info('vote %s not made final by the clock: %s', vote_id, e.code)
    return closed, finalised


async def keep_up(*, every: float = TICK_SECONDS) -> None:
    """Run `tick` forever (once per deployment); a failure is logged and waits a round."""
    while True:
        try:
            await tick()
        except Exception:
            log.exception('closing or finalising votes failed')
        await asyncio.sleep(every)
