"""Worker processes for bench/votes.py --processes K: each holds a share of the phones in its own event loop.

One python-socketio client per phone decodes every push the server sends (about four a phone in a burst), so
1,000 phones in one load-generator process can make the generator, not the server, the limit of the burst.
A worker (started with the spawn method) opens its phones with its own aiohttp session, stages their dialogs
when the coordinator asks, waits on a Barrier shared with every other process, taps 确认 on all its phones and
sends back time.monotonic() stamps (CLOCK_MONOTONIC is system-wide on Linux, so stamps from different processes
compare) and its own CPU seconds from the tap until its phones settled.

Protocol over the worker's Pipe (coordinator → worker / worker → coordinator):
  worker → {'failed', 'connect_s'} once its phones are connected
  → 'stage'                         ← {'staged'}: option + 投票 tapped, dialog open on every live phone
  → {'phone_final'}                 then Barrier; ← the burst's stamps once every phone settled or `timeout`
  → 'close'                         ← 'closed'
"""
from __future__ import annotations

import asyncio
import random
import resource
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier

import aiohttp


def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_worker(index: int, base: str, path: str, cookies: list[str], seed: int, timeout: float,
               conn: Connection, barrier: Barrier) -> None:
    asyncio.run(_work(index, base, path, cookies, seed, timeout, conn, barrier))


async def _work(index: int, base: str, path: str, cookies: list[str], seed: int, timeout: float,
                conn: Connection, barrier: Barrier) -> None:
    from bench.votes import OPTIONS, VotePhone, _connect, _stage, _until
    loop = asyncio.get_running_loop()

    async def receive() -> object:  # the loop keeps serving the phones' sockets while the coordinator decides
        return await loop.run_in_executor(None, conn.recv)

    rng = random.Random(seed)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        phones = [VotePhone(base, path, cookie=c) for c in cookies]
        began = time.monotonic()
        failed = await _connect(phones, http)
        conn.send({'failed': failed, 'connect_s': time.monotonic() - began})
        try:
            assert await receive() == 'stage'
            live = [p for p in phones if p.connected]
            for start in range(0, len(live), 50):
                await asyncio.gather(*(_stage(p, rng.choice(OPTIONS)) for p in live[start:start + 50]),
                                     return_exceptions=True)
            ready = [p for p in live if p.confirm is not None]
            conn.send({'staged': len(ready)})
            message = await receive()
            for p in live:
                p.final = message['phone_final']
            await loop.run_in_executor(None, barrier.wait)
            cpu_before, received = cpu_seconds(), sum(p.received for p in phones)
            first_tap = time.monotonic()
            await asyncio.gather(*(p.tap(p.confirm) for p in ready))
            tapped = time.monotonic()
            await _until(lambda: all(p.final_at for p in live), timeout)
            settled_at = time.monotonic()
            conn.send({
                'index': index, 'first_tap': first_tap, 'tap_s': tapped - first_tap,
                'cpu_s': cpu_seconds() - cpu_before, 'wall_s': settled_at - first_tap,
                'messages': sum(p.received for p in phones) - received,
                'receipts': [p.receipt_at for p in live if p.receipt_at],
                'settled': [p.final_at for p in live if p.final_at], 'phones': len(live),
                'lagging': [p.last_count for p in live if not p.final_at][:3],
                'dropped': [p.dropped for p in phones if not p.connected][:3]})
            assert await receive() == 'close'
        finally:
            for p in phones:
                await p.close()
    conn.send('closed')
