"""Live updates on a page: subscribe to domain events for as long as this browser tab exists.

Pushing every change to every open phone is O(changes × clients). A page that only redraws from the database
passes `at_most_every=`: the first event after a quiet spell redraws at once; events during the interval after
it are folded into one trailing redraw, which reads the latest state anyway.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from nicegui import context

from services import events


class Coalescer:
    """Run `action` now when quiet, else once at the end of the interval, however many calls came meanwhile."""

    def __init__(self, action: Callable[[], Awaitable[None]], interval: float) -> None:
        self.action = action
        self.interval = interval
        self._last = float('-inf')
        self._pending: asyncio.Task | None = None

    async def __call__(self) -> None:
        if self._pending is not None and not self._pending.done():
            return  # a trailing run is already booked; it will see this change too
        wait = self._last + self.interval - time.monotonic()
        if wait <= 0:
            await self._run()
        else:
            self._pending = asyncio.get_running_loop().create_task(self._later(wait))

    async def _later(self, wait: float) -> None:
        await asyncio.sleep(wait)
        await self._run()

    async def _run(self) -> None:
        self._last = time.monotonic()
        await self.action()

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()


def on_event(pattern: str, handler: Callable[[events.Event], Awaitable[None] | None], *,
             community_id: int | None = None, at_most_every: float | None = None,
             where: Callable[[events.Event], bool] | None = None) -> None:
    """Call `handler` in this page's client context for matching events (of `community_id` when given).

    `where` narrows further (one meeting, one issue) before coalescing, so a burst about something else never
    hides the event this page waits for.

    With `at_most_every` (seconds) the handler is coalesced as described above and receives the latest event.
    The subscription ends when the client is deleted, so closed tabs leave nothing behind.
    """
    client = context.client
    latest: list[events.Event] = []

    async def run() -> None:
        if client.is_deleted or not latest:
            return
        with client:
            result = handler(latest[-1])
            if result is not None and hasattr(result, '__await__'):
                await result

    coalesced = Coalescer(run, at_most_every) if at_most_every else None

    async def deliver(event: events.Event) -> None:
        if client.is_deleted:
            return
        if community_id is not None and event.community_id != community_id:
            return
        if where is not None and not where(event):
            return
        latest[:] = [event]
        await (coalesced() if coalesced else run())

    unsubscribe = events.subscribe(pattern, deliver)
    client.on_delete(unsubscribe)
    if coalesced:
        client.on_delete(coalesced.cancel)
