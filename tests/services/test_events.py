"""The event bus: pattern matching, unsubscribing, isolation of failing subscribers, and real services publishing."""
import logging

import pytest

from services import events, roles
from services.events import Event, InProcessBus, matches
from tests.support import make_account, make_community, make_resident, principal_of


@pytest.mark.parametrize(('pattern', 'name', 'expected'), [
    ('wish.created', 'wish.created', True),
    ('wish.created', 'wish.claimed', False),
    ('wish.created', 'wish.created.more', False),
    ('wish.*', 'wish.created', True),
    ('wish.*', 'wish.claim.done', True),
    ('wish.*', 'wishlist.created', False),
    ('wish.*', 'wish', False),
    ('*', 'anything.at.all', True),
])
def test_patterns_match_exact_names_dotted_prefixes_and_everything(pattern, name, expected) -> None:
    assert matches(pattern, name) is expected


async def test_sync_and_async_handlers_receive_matching_events_only() -> None:
    bus = InProcessBus()
    received: list[tuple[str, str]] = []

    def sync_handler(event: Event) -> None:
        received.append(('sync', event.name))

    async def async_handler(event: Event) -> None:
        received.append(('async', event.name))

    bus.subscribe('vote.*', sync_handler)
    bus.subscribe('vote.cast', async_handler)
    await bus.publish('vote.cast', {'community_id': 7})
    await bus.publish('vote.closed', {'community_id': 7})
    await bus.publish('wish.created', {'community_id': 7})
    assert received == [('sync', 'vote.cast'), ('async', 'vote.cast'), ('sync', 'vote.closed')]


async def test_an_event_carries_its_payload_and_community() -> None:
    bus = InProcessBus()
    got: list[Event] = []
    bus.subscribe('*', got.append)
    payload = {'community_id': 3, 'wish_id': 11}
    await bus.publish('wish.created', payload)
    payload['wish_id'] = 99  # the publisher changing its dict later does not change the delivered event
    assert got[0].community_id == 3 and got[0].payload == {'community_id': 3, 'wish_id': 11}


async def test_unsubscribe_stops_delivery_and_is_safe_to_call_twice() -> None:
    bus = InProcessBus()
    got: list[str] = []
    unsubscribe = bus.subscribe('*', lambda e: got.append(e.name))
    await bus.publish('a.b', {})
    unsubscribe()
    unsubscribe()
    await bus.publish('a.c', {})
    assert got == ['a.b'] and bus.subscriber_count == 0


async def test_a_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    bus = InProcessBus()
    got: list[str] = []

    def broken(event: Event) -> None:
        raise RuntimeError('page gone')

    async def broken_async(event: Event) -> None:
        raise RuntimeError('socket closed')

    bus.subscribe('*', broken)
    bus.subscribe('*', broken_async)
    bus.subscribe('*', lambda e: got.append(e.name))
    with caplog.at_level(logging.ERROR, logger='services.events'):
        await bus.publish('resident.verified', {'community_id': 1})
    assert got == ['resident.verified']
    assert sum('resident.verified' in r.getMessage() for r in caplog.records) == 2


async def test_a_subscriber_may_unsubscribe_while_an_event_is_delivered() -> None:
    bus = InProcessBus()
    got: list[str] = []
    unsubscribers = []

    def once(event: Event) -> None:
        got.append('once')
        unsubscribers[0]()

    unsubscribers.append(bus.subscribe('*', once))
    bus.subscribe('*', lambda e: got.append('always'))
    await bus.publish('x.y', {})
    await bus.publish('x.y', {})
    assert got == ['once', 'always', 'always']


async def test_the_app_bus_can_be_swapped_for_another_implementation() -> None:
    class Recording:
        def __init__(self) -> None:
            self.published: list[tuple[str, dict]] = []

        async def publish(self, name: str, payload: dict) -> None:
            self.published.append((name, payload))

        def subscribe(self, pattern, handler):
            return lambda: None

    original = events.bus
    try:
        recording = events.use(Recording())
        await events.publish('meeting.checkin.created', community_id=2, resident_id=5)
        assert recording.published == [('meeting.checkin.created', {'community_id': 2, 'resident_id': 5})]
    finally:
        events.use(original)


async def test_granting_a_role_publishes_role_granted_to_subscribers(db) -> None:
    community = await make_community()
    actor = await principal_of(await make_account(community, 'admin'))
    resident = await make_resident(community, name='张桂兰')
    got: list[Event] = []
    unsubscribe = events.subscribe('role.granted', got.append)
    try:
        await roles.grant_to_resident(actor, resident.id, 'volunteer')
    finally:
        unsubscribe()
    assert len(got) == 1
    assert got[0].community_id == community.id and got[0].payload['role'] == 'volunteer'
