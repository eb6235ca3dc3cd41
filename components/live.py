"""Live updates on a page: subscribe to domain events for as long as this browser tab exists."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import context

from services import events


def on_event(pattern: str, handler: Callable[[events.Event], Awaitable[None] | None], *,
             community_id: int | None = None) -> None:
    """Call `handler` in this page's client context for matching events (of `community_id` when given).

    The subscription ends when the client is deleted, so closed tabs leave nothing behind.
    """
    client = context.client

    async def deliver(event: events.Event) -> None:
        if client.is_deleted:
            return
        if community_id is not None and event.community_id != community_id:
            return
        with client:
            result = handler(event)
            if result is not None and hasattr(result, '__await__'):
                await result

    unsubscribe = events.subscribe(pattern, deliver)
    client.on_delete(unsubscribe)
