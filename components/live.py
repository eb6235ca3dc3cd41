"""Live updates on a page: subscribe to domain events for as long as this browser tab exists.

Pushing every change to every open phone is O(changes × clients). A page that only redraws from the database
passes `at_most_every=`: the first event after a quiet spell redraws at once; events during the interval after
it are folded into one trailing redraw, which reads the latest state anyway.
"""
from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable

from nicegui import context

from services import events

log = logging.getLogger(__name__)


class Coalescer:
    """Run `action` now when quiet, else once at the end of the interval, however many calls came meanwhile."""

    def __init__(self, action: Callable[[], Awaitable[None]], interval: float) -> None:
        self.action = action
        self.interval = interval
        self._last = float('-inf')
        self._pending: asyncio.Task | None = None

    @property
    def booked(self) -> bool:
        """A trailing run is waiting: it will read the latest state, so a new change needs nothing more."""
        return self._pending is not None and not self._pending.done()

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
        # no longer pending once it starts: a change that arrives while the action runs books the next run
        # (else it would be folded into a run that had already read the state before it)
        self._pending = None
        await self._run()

    async def _run(self) -> None:
        self._last = time.monotonic()
        await self.action()

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()


_running: set[asyncio.Task] = set()  # strong references until done (the loop keeps only weak ones)
# At most this many page redraws run at once. An event watched by hundreds of phones starts hundreds of redraws
# together; the rest wait on the semaphore instead of queueing ahead of every request's next step, so a
# volunteer's scan or a ballot is answered between small batches of redraws (bench/checkin.py).
REDRAWS_AT_ONCE = 8
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _redraw_slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(REDRAWS_AT_ONCE)
    return _slots[loop]


def _spawn(work: Awaitable[None]) -> None:
    task = asyncio.get_running_loop().create_task(work, name='live redraw')
    _running.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task) -> None:
    _running.discard(task)
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error('a live redraw failed', exc_info=error)


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
        async with _redraw_slot():
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
        if coalesced is not None and coalesced.booked:
            return  # the booked redraw reads `latest` when it runs: no task per event under load
        # a task, not awaited here: the service that published (a volunteer's scan, a ballot) answers its caller
        # without waiting for hundreds of open pages to redraw
        _spawn(coalesced() if coalesced else run())

    unsubscribe = events.subscribe(pattern, deliver)
    client.on_delete(unsubscribe)
    if coalesced:
        client.on_delete(coalesced.cancel)
