"""Group commit: callers storing ballots of one vote queue up in this process, and one writer task per vote
stores what is queued in one transaction, so a burst of phones costs a few transactions instead of one each.

Nothing waits for a batch to fill: the writer takes what is queued now (at most `BATCH`), so a lone ballot is
written at once and a burst is written in the batches that pile up while the previous one commits. Queues are
kept per event loop (tests run a loop each); the writer ends when its queue is empty and the next ballot starts
a new one. Every caller's future is resolved, whatever happens to the batch.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Any
from weakref import WeakKeyDictionary

log = logging.getLogger(__name__)
BATCH = 200

# write(items) -> one outcome per item, in order: a result, or the exception that item's caller should get
Write = Callable[[list[Any]], Awaitable[list[Any]]]


class _Queue:
    def __init__(self, write: Write) -> None:
        self.write = write
        self.items: list[tuple[Any, asyncio.Future]] = []
        self.task: asyncio.Task | None = None  # held here so the running writer is never garbage collected


_queues: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Hashable, _Queue]] = WeakKeyDictionary()


async def submit(key: Hashable, item: Any, write: Write) -> Any:
    """Queue `item` under `key` (one writer per key and loop) and wait for its outcome from `write`."""
    loop = asyncio.get_running_loop()
    queues = _queues.setdefault(loop, {})
    queue = queues.get((write, key))
    if queue is None:
        queue = queues[(write, key)] = _Queue(write)
        queue.task = loop.create_task(_drain(queues, (write, key), queue))
    future = loop.create_future()
    queue.items.append((item, future))
    return await future


def pending(key: Hashable, write: Write) -> int:
    """How many items wait under `key` in this loop (for tests and logs)."""
    queue = _queues.get(asyncio.get_running_loop(), {}).get((write, key))
    return len(queue.items) if queue else 0


async def _drain(queues: dict[Hashable, _Queue], key: Hashable, queue: _Queue) -> None:
    batch: list[tuple[Any, asyncio.Future]] = []
    try:
        while queue.items:  # no await between this check and the removal below: a later submit starts a new writer
            batch, queue.items = queue.items[:BATCH], queue.items[BATCH:]
            try:
                outcomes = await queue.write([item for item, _ in batch])
                if len(outcomes) != len(batch):
                    raise RuntimeError(f'ballot writer got {len(outcomes)} outcomes for {len(batch)} items')
            except Exception as e:
                log.exception('writing a batch of %d failed', len(batch))
                outcomes = [e] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                _resolve(future, outcome)
            batch = []
    finally:
        if queues.get(key) is queue:
            del queues[key]
        stopped = RuntimeError('ballot writer stopped')  # cancelled with the loop: nobody is left waiting forever
        for _, future in [*batch, *queue.items]:
            _resolve(future, stopped)


def _resolve(future: asyncio.Future, outcome: Any) -> None:
    if future.done():  # the caller gave up (cancelled); the ballot is stored all the same, as before batching
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
