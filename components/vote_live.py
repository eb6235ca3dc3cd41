"""The live tally of one vote on every open screen: one recount per change, shared by every phone and projector.

Pushing every ballot to every open phone is O(ballots × phones): 500 phones voting once meant 250,000 pushes.
So each vote has one hub per process. A ballot or state change marks it stale; the hub recounts once (a few queries)
and hands the same TallyView to every watcher, which only changes the text of elements it already has.
When quiet the recount starts at once. While a recount and its push run, further changes only book one trailing
recount, started a gap after the previous one; the gap grows with what a round costs (recount + push), from
MIN_GAP to MAX_GAP, so the server spends at most about a quarter of its time on one vote's screens under load.
The trailing recount reads the database after the last change it was booked for, so the final state always
reaches every screen.
Each push to a phone costs the server about a millisecond of socket work; with a thousand phones that is time
taken from the ballots themselves. So the projector (`watch(..., first=True)`, served before the phones) gets every
round, while the phones hear of a change after a quiet spell at once but of a burst only once it has settled (quiet
for SETTLE), and never more often than their last push cost allows (a thousand: once a second).
"""
from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from nicegui import context
from nicegui.client import Client

from services import events

if TYPE_CHECKING:
    from services.tallies import TallyView

log = logging.getLogger(__name__)

MIN_GAP = 0.1  # seconds between the starts of two recounts, at least
MAX_GAP = 0.5  # … and at most: under any load a screen is at most this stale (plus one round)
COST_FACTOR = 4  # the gap is this many times the last round's cost, within the bounds above
# Phones are pushed to again only after pushed × PHONE_COST seconds (at most OTHERS_GAP): about twice what sending
# to them costs the server (bench/votes.py), so a thousand phones get one push a second, a hundred five.
OTHERS_GAP = 1.0
PHONE_COST = 0.002
# A change after a quiet spell reaches the phones at once. Changes that follow it within SETTLE seconds make a burst:
# then the phones wait until the vote has been quiet for SETTLE (at most MAX_PHONE_WAIT after the burst began), so
# a burst costs about two pushes per phone (its first change and its end) instead of one a second.
SETTLE = 0.3
MAX_PHONE_WAIT = 3.0
HEAD_START = 0.005  # seconds the projector's update has to itself before a big push to phones starts
PUSH_BATCH = 50  # watchers updated between two yields to the loop, so ballots are answered during a big push
RECENT = 5.0  # seconds: a page that starts watching this soon after a change gets a catch-up recount

Update = Callable[['TallyView'], None]


async def _recount(vote_id: int) -> TallyView:
    from services import tallies  # imported late: services.tallies imports models, this module loads with pages
    return await tallies.current_tally(vote_id)


def _shown(tally: TallyView) -> tuple:
    """What a screen shows: two tallies equal in this need no push (the clock `at` alone changes nothing)."""
    return tally.state, tally.hidden, tally.counted, tally.closes_at, tally.result


class _Watcher:
    __slots__ = ('client', 'first', 'shown', 'update')

    def __init__(self, client: Client, update: Update, first: bool) -> None:
        self.client = client
        self.update = update
        self.first = first
        self.shown: tuple | None = None


class Hub:
    """Recounts one vote for every watcher in this process; gone with its last watcher."""

    def __init__(self, vote_id: int, registry: dict[int, Hub]) -> None:
        self.vote_id = vote_id
        self.registry = registry
        self.watchers: dict[int, _Watcher] = {}
        self.recounts = 0
        self.gap = MIN_GAP
        self._stale = False
        self._task: asyncio.Task | None = None
        self._last_start = float('-inf')
        self._last_change = float('-inf')
        self._next_key = 0
        self._shown: tuple | None = None  # what the last round pushed
        self._tally: TallyView | None = None  # … and the tally it came from
        self._others_due = float('-inf')  # when the phones may be pushed to again (paced by what a push cost)
        self._owed = False  # the phones have not been shown the latest tally yet
        self._burst_since: float | None = None  # changes keep coming less than SETTLE apart since then
        self._phones_due = float('-inf')  # when the owed phones are pushed to
        self._unsubscribe = events.subscribe('vote.*', self._on_event)

    def add(self, client: Client, update: Update, *, first: bool = False) -> int:
        key = self._next_key
        self._next_key += 1
        watcher = _Watcher(client, update, first)
        if first:  # the room's big screens before the phones: a push to a thousand phones takes a while
            self.watchers = {key: watcher, **self.watchers}
        else:
            self.watchers[key] = watcher
        if time.monotonic() - self._last_change < RECENT or self._task is not None:
            # the page read its first tally while ballots were arriving: the push it missed may be newer
            self.touch()
        return key

    def remove(self, key: int) -> None:
        self.watchers.pop(key, None)
        if not self.watchers:
            self.close()

    def close(self) -> None:
        self._unsubscribe()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self.registry.get(self.vote_id) is self:
            del self.registry[self.vote_id]

    def _on_event(self, event: events.Event) -> None:
        if event.name in ('vote.ballot', 'vote.changed') and event.payload.get('vote_id') == self.vote_id:
            now = time.monotonic()
            if now - self._last_change >= SETTLE:
                self._burst_since = None  # after a quiet spell: the phones hear of this one at once
            elif self._burst_since is None:
                self._burst_since = self._last_change
            self._last_change = now
            self.touch()

    def touch(self) -> None:
        """The tally may have changed: recount now, or once after the round in flight."""
        self._stale = True
        if self._task is None:
            # a task: the ballot service that published answers its voter without waiting for the screens
            self._task = asyncio.get_running_loop().create_task(self._pump(), name=f'vote {self.vote_id} live')

    async def _pump(self) -> None:
        try:
            while (self._stale or self._owed) and self.watchers:
                now = time.monotonic()
                if self._stale:
                    wait = self._last_start + self.gap - now
                    if wait > 0:
                        await asyncio.sleep(wait)  # changes arriving now join this round
                elif now < self._phones_due:  # only the phones are owed: look again soon, a change may come first
                    await asyncio.sleep(min(self._phones_due - now, MIN_GAP))
                    continue
                recount = self._stale
                self._stale = False  # from here on a change books the next round: this one may read too early
                self._last_start = start = time.monotonic()
                await self._round(recount)
                if recount:
                    self.gap = min(MAX_GAP, max(MIN_GAP, COST_FACTOR * (time.monotonic() - start)))
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _round(self, recount: bool) -> None:
        if recount or self._tally is None:
            try:
                self._tally = await _recount(self.vote_id)
            except Exception:
                log.exception('recounting vote %s for its screens failed', self.vote_id)
                return
            self.recounts += 1
        tally = self._tally
        shown = _shown(tally)
        if shown == self._shown:
            shown = self._shown  # the same object: each watcher that already shows it is skipped by identity
        self._shown = shown
        now = time.monotonic()
        # the phones: paced by what their last push cost; during a burst only once it has settled
        self._phones_due = self._others_due if self._burst_since is None else max(
            self._others_due, min(self._last_change + SETTLE, self._burst_since + MAX_PHONE_WAIT))
        others = now >= self._phones_due
        if others:
            self._owed = False
        pushed = 0
        head_start = False  # a projector was just updated: let its message leave before the phones' work
        for index, (key, watcher) in enumerate(list(self.watchers.items())):
            if index and index % PUSH_BATCH == 0:
                await asyncio.sleep(0)
            if key not in self.watchers or watcher.client.is_deleted or watcher.shown is shown:
                continue
            if not watcher.first:
                if not others:
                    self._owed = True  # served by a later round
                    continue
                if head_start:
                    head_start = False
                    await asyncio.sleep(HEAD_START)
                pushed += 1
            else:
                head_start = True
            watcher.shown = shown
            try:
                with watcher.client:
                    watcher.update(tally)
            except Exception:
                log.exception('a screen of vote %s failed to show the tally', self.vote_id)
        if pushed:
            self._others_due = now + min(OTHERS_GAP, pushed * PHONE_COST)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, Hub]] = weakref.WeakKeyDictionary()


def hubs() -> dict[int, Hub]:
    """The hubs of this event loop by vote id (tests and the benchmark look at them)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = {}
    return _hubs[loop]


def watch(vote_id: int, update: Update, *, first: bool = False, initial: bool = False) -> None:
    """Call `update(tally)` in this page's client context whenever the vote's tally changes, until the page closes.

    Call it in a page's client context after drawing the first tally. `update` runs synchronously and should only
    change existing elements (text, width, visibility): no database, no awaits — the tally is counted once for all.
    `first`: served before the other screens of the vote (the projector the whole room is looking at).
    `initial`: the page drew without a tally of its own and gets its first one from the hub's next round, so that
    hundreds of phones opening the page at once share one recount instead of one each.
    """
    client = context.client
    registry = hubs()
    hub = registry.get(vote_id)
    if hub is None:
        hub = registry[vote_id] = Hub(vote_id, registry)
    key = hub.add(client, update, first=first)
    if initial:
        hub.touch()
    client.on_delete(lambda: hub.remove(key))
