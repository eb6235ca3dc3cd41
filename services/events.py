"""Domain events: services publish, pages subscribe. One interface; in-process now, Redis-shaped for later.

An event is a dotted name ('wish.created', 'resident.verified') and a JSON-able payload that carries at
least `community_id`. Subscribers give a pattern: an exact name, a prefix ending in '.*', or '*'.
A Redis implementation publishes `json.dumps({'name':…, 'payload':…})` on one channel per community and
runs the same dispatch in every process; pages never know which one is in use.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)

Handler = Callable[['Event'], Awaitable[None] | None]


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict = field(default_factory=dict)

    @property
    def community_id(self) -> int | None:
        return self.payload.get('community_id')


class EventBus(Protocol):
    async def publish(self, name: str, payload: dict) -> None: ...

    def subscribe(self, pattern: str, handler: Handler) -> Callable[[], None]:
        """Call `handler` for matching events until the returned function is called."""
        ...


def matches(pattern: str, name: str) -> bool:
    if pattern == '*':
        return True
    if pattern.endswith('.*'):
        return name.startswith(pattern[:-1])
    return pattern == name


class InProcessBus:
    """Delivers to the subscribers of this process; a failing subscriber never stops the others."""

    def __init__(self) -> None:
        self._subscribers: list[tuple[str, Handler]] = []

    async def publish(self, name: str, payload: dict) -> None:
        event = Event(name, dict(payload))
        for pattern, handler in list(self._subscribers):
            if not matches(pattern, name):
                continue
            try:
                result = handler(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception('event subscriber failed for %s', name)

    def subscribe(self, pattern: str, handler: Handler) -> Callable[[], None]:
        entry = (pattern, handler)
        self._subscribers.append(entry)

        def unsubscribe() -> None:
            if entry in self._subscribers:
                self._subscribers.remove(entry)
        return unsubscribe

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)


bus: EventBus = InProcessBus()


async def publish(name: str, **payload: object) -> None:
    """Publish on the app's bus (the one place services call)."""
    await bus.publish(name, payload)


def subscribe(pattern: str, handler: Handler) -> Callable[[], None]:
    return bus.subscribe(pattern, handler)


def use(new_bus: EventBus) -> EventBus:
    """Swap the implementation (e.g. a Redis bus when several processes serve one deployment)."""
    global bus
    bus = new_bus
    return bus


def publish_soon(name: str, **payload: object) -> None:
    """Publish from sync code inside the running loop."""
    asyncio.get_running_loop().create_task(publish(name, **payload))
