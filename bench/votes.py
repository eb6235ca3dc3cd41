"""Votes under load: phones voting on /votes/{id} while a projector watches /votes/{id}/screen.

    python bench/votes.py [--phones 100 500 1000] [--quiet 30] [--processes K] [--database-url URL]
                          [--profile SECONDS]

For each N: a fresh database (an SQLite file, or a new PostgreSQL database beside --database-url's) with a
community of N + Q verified residents (each with an account, signed in by a NiceGUI session cookie as
bench/checkin.py does), an open yes/no vote counted per person; `main.py` started on it.
N phones GET /votes/{id} and open NiceGUI's socket.io connection like `nicegui.js` (bench/phones.py), then the
projector opens /votes/{id}/screen (last, so it is the last screen the hub pushes to). Every phone finds its
buttons in the page it was sent (the element tree NiceGUI renders into the HTML) and taps like a thumb: an
option, 投票, then 确认 in the dialog the server sends back.
1. Quiet: Q other phones vote one at a time, a second apart: 确认 tapped → the projector shows the new count.
2. Burst: all N phones, their dialogs already open, tap 确认 at once; timed until every phone's screen and the
   projector show the final count. Ballots per second: N / (last receipt − first tap).
Checks that the database holds N + Q counted ballots and that every phone got its receipt.
--processes K (default 1) spreads the phones over K worker processes (bench/vote_workers.py), each with its own
event loop and aiohttp session, so that decoding every push for 1,000 socket.io clients does not make the load
generator the limit; the coordinator keeps the projector, the quiet voters and the last phone (the one the hub
serves last, for "quiet → last phone"). All processes tap 确认 after one Barrier; time.monotonic() stamps are
system-wide on Linux, so they compare across processes. Also printed: CPU seconds during the burst (first tap →
every screen final) of the server (/proc/PID/stat), of each load-generator process (getrusage) and of the
whole machine (/proc/stat), to tell whether the server or the generator was the limit.
Prints one markdown table row per N. With --database-url postgres://…/NAME the bench creates NAME_<n>_<x> per N
(left behind for inspection: drop them when done).
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import multiprocessing
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.checkin import _free_port  # noqa: E402
from bench.phones import Phone, percentile, rss_kb, session_cookie, write_user_storage  # noqa: E402
from bench.vote_workers import cpu_seconds, run_worker  # noqa: E402

_ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
_COUNT = re.compile(r'已投 (\d+)(?:/| 人（共| 户（共)')  # the projector's and the phone page's turnout
OPTIONS = ('赞成', '反对', '弃权')


@dataclass
class VotePhone(Phone):
    """A phone that taps buttons: it keeps the element tree of its page and reads the server's updates."""
    final: str = ''  # the text that shows the final count on this screen
    elements: dict[str, dict] = field(default_factory=dict)
    confirm: tuple[int, str] | None = None  # the 确认 button of the open dialog: (element id, listener id)
    receipt_at: float | None = None
    final_at: float | None = None
    counts: dict[int, float] = field(default_factory=dict)  # projector: turnout shown → when first seen
    last_count: str = ''
    dropped: str = ''  # why the server closed the connection, if it did

    async def open(self, http: aiohttp.ClientSession) -> None:
        self._http = http
        headers = {'Cookie': f'session={self.cookie}'} if self.cookie else {}
        async with http.get(self.base + self.path, headers=headers) as response:
            response.raise_for_status()
            page = await response.text()
        found = re.search(r"""['"]client_id['"]:\s*['"]([0-9a-f-]+)['"].*?['"]next_message_id['"]:\s*(\d+)""",
                          page, re.S)
        tree = _ELEMENTS.search(page)
        if found is None or tree is None:
            raise RuntimeError(f'no NiceGUI page at {self.path}')
        self._client_id, self._next_message_id = found.group(1), int(found.group(2))
        raw = tree.group(1).replace('&#36;', '$').replace('&#96;', '`')
        self.elements = json.loads(html.unescape(raw))  # what parseElements does in the browser
        self._sio = socketio.AsyncClient(reconnection=False, http_session=http, ssl_verify=False)
        self._sio.on('*', self._on_message)
        self._sio.on('disconnect', self._on_disconnect)
        query = (f'client_id={self._client_id}&next_message_id={self._next_message_id}&implicit_handshake=true'
                 f'&document_id={uuid.uuid4()}&tab_id={uuid.uuid4()}')
        await self._sio.connect(f'{self.base}?{query}', headers=headers, transports=['websocket'],
                                socketio_path='/_nicegui_ws/socket.io', wait_timeout=30)
        self._acker = asyncio.get_running_loop().create_task(self._ack_loop())

    def _on_disconnect(self, reason: object = None) -> None:
        self.dropped = f'{reason} after {self.received} messages'

    def button(self, label: str) -> tuple[int, str]:
        """The element id and click listener of the button labelled `label` on the page as first sent."""
        for key, element in self.elements.items():
            if (element.get('props') or {}).get('label') == label or element.get('text') == label:
                for listener in element.get('events') or []:
                    if listener.get('type') == 'click':
                        return int(key), listener['listener_id']
        raise LookupError(f'no button {label!r} on {self.path}')

    async def tap(self, target: tuple[int, str]) -> None:
        element_id, listener_id = target
        await self._sio.emit('event', {'id': element_id, 'client_id': self._client_id, 'listener_id': listener_id,
                                       'args': []})

    async def _on_message(self, event: str, data: object = None) -> None:
        self.received += 1
        if not isinstance(data, dict):
            return
        if isinstance(data.get('_id'), int):  # NiceGUI 3 numbers its messages in '_id' (acknowledged every 3 s)
            self._next_message_id = max(self._next_message_id, data['_id'] + 1)
        if event != 'update':
            return
        now = time.monotonic()
        for key, element in data.items():
            if not isinstance(element, dict):
                continue
            if (element.get('props') or {}).get('label') == '确认':
                for listener in element.get('events') or []:
                    if listener.get('type') == 'click':
                        self.confirm = (int(key), listener['listener_id'])
            text = element.get('text')
            if not isinstance(text, str) or ('已投' not in text and '您已投票' not in text):
                continue
            if '您已投票' in text and self.receipt_at is None:
                self.receipt_at = now
            if text.startswith('已投'):
                self.last_count = text
                if (match := _COUNT.match(text)) is not None:
                    self.counts.setdefault(int(match.group(1)), now)
            if self.final and self.final_at is None and text.startswith(self.final):
                self.final_at = now


async def prepare(url: str, secret: str, voters: int, storage: Path) -> tuple[int, str, list[str]]:
    """A community of `voters` verified residents with accounts, an open yes/no vote counted per person;
    returns the vote id, the organiser's session cookie and one session cookie per resident."""
    from domain.votes import Definition
    from models import Account, Community, Resident, RoleGrant, Street
    from services import accounts, config, db, votes
    config.use(config.Settings(database_url=url, secret=secret, data_dir=storage.parent))
    async with db.connected(url):
        street, _ = await Street.get_or_create(name='西陵街道')
        community = await Community.create(street=street, name='压力测试社区', kind='urban')
        residents = [Resident(community=community, name=f'居民{n + 1}', phone=f'1770{n:07d}', status='verified',
                              birth_year=1960, relation='owner') for n in range(voters)]
        await Resident.bulk_create(residents, batch_size=500)
        residents = await Resident.filter(community=community).order_by('id')
        await Account.bulk_create([Account(name=r.name, phone=r.phone, resident_id=r.id) for r in residents],
                                  batch_size=500)
        account_ids = await Account.filter(resident_id__in=[r.id for r in residents]).order_by('resident_id') \
            .values_list('id', flat=True)
        organiser = await Account.create(name='表决组织人', phone='19900000001')
        await RoleGrant.create(account=organiser, community=community, role='staff')
        now = datetime.now(UTC)
        definition = Definition(
            title='三栋加装电梯', description='压力测试', ballot_type='yes_no', options=(), max_choices=1,
            electorate='community', counting='person', rule='simple_majority', custom_turnout=None,
            custom_approval=None, channels=frozenset({'online'}), max_principals=3, results_live=True, secret=False,
            allow_change=False, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=2),
            publicity_days=7)
        actor = await accounts.principal(organiser.id)
        vote = await votes.create_vote(actor, community.id, votes.VoteDraft(definition), at=now - timedelta(minutes=1))
        await votes.open_vote(actor, vote.id, at=now - timedelta(minutes=1))

        def signed_in(account_id: int) -> str:
            session_id = str(uuid.uuid4())
            write_user_storage(storage, session_id, {'account_id': account_id})
            return session_cookie(secret, session_id)
        return vote.id, signed_in(organiser.id), [signed_in(a) for a in account_ids]


async def count_ballots(url: str, vote_id: int) -> tuple[int, int]:
    """(ballot rows, electors with a ballot) of the vote."""
    from models import Ballot
    from services import db
    async with db.connected(url):
        rows = await Ballot.filter(vote_id=vote_id).count()
        electors = len(set(await Ballot.filter(vote_id=vote_id).values_list('elector_id', flat=True)))
        return rows, electors


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process `pid` (all its threads) so far."""
    fields = Path(f'/proc/{pid}/stat').read_text().rpartition(')')[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')  # utime, stime: fields 14 and 15


def server_main_thread_cpu_s(pid: int) -> float:
    """User + system CPU seconds of the main thread (the event loop) of process `pid` so far."""
    fields = Path(f'/proc/{pid}/task/{pid}/stat').read_text().rpartition(')')[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def machine_busy_s() -> float:
    """CPU seconds all cores of the machine spent not idle so far."""
    ticks = [int(t) for t in Path('/proc/stat').read_text().splitlines()[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf('SC_CLK_TCK')  # without idle and iowait


def _shares(items: list, k: int) -> list[list]:
    size, extra = divmod(len(items), k)
    bounds = [i * size + min(i, extra) for i in range(k + 1)]
    return [items[bounds[i]:bounds[i + 1]] for i in range(k)]


async def _receive(conn, timeout: float) -> object:
    """The next message from a worker, without blocking the coordinator's phones."""
    def wait() -> object:
        if not conn.poll(timeout):
            raise TimeoutError('a load-generator worker did not answer')
        return conn.recv()
    return await asyncio.get_running_loop().run_in_executor(None, wait)


async def _until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def _connect(phones: list[VotePhone], http: aiohttp.ClientSession) -> int:
    failed = 0
    for start in range(0, len(phones), 25):  # people arrive over some seconds, not in one instant
        results = await asyncio.gather(*(p.open(http) for p in phones[start:start + 25]), return_exceptions=True)
        failed += sum(1 for r in results if isinstance(r, BaseException))
    return failed


async def _stage(phone: VotePhone, option: str) -> None:
    """The first two taps: an option, then 投票; the server answers with the confirmation dialog."""
    await phone.tap(phone.button(option))
    await phone.tap(phone.button('投票'))
    if not await _until(lambda: phone.confirm is not None, 30):
        raise TimeoutError('no confirmation dialog')


async def run_once(args: argparse.Namespace, n: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix='gs-bench-votes-'))
    url = await _fresh_pg(args.database_url, n) if args.database_url else f'sqlite://{work / "bench.sqlite3"}'
    secret = secrets.token_urlsafe(32)
    storage = work / 'nicegui'
    total = n + args.quiet
    vote_id, organiser, cookies = await prepare(url, secret, total, storage)
    port = _free_port()
    env = {**os.environ, 'DATABASE_URL': url, 'GONGSHANG_SECRET': secret, 'GONGSHANG_DATA_DIR': str(work),
           'NICEGUI_STORAGE_PATH': str(storage)}
    log = (work / 'server.log').open('wb')  # closed with the server below
    server = subprocess.Popen([sys.executable, 'main.py', '--port', str(port), '--host', '127.0.0.1'], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f'http://127.0.0.1:{port}'
    row: dict = {'n': n}
    rng = random.Random(n)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        workers: list[tuple[multiprocessing.Process, object]] = []
        try:
            await _wait_for_server(http, base)
            warm = VotePhone(base, f'/votes/{vote_id}', cookie=cookies[-1])  # imports and first render, not per phone
            await warm.open(http)
            await warm.close()
            await asyncio.sleep(4)  # NiceGUI drops the warm-up client after its reconnect timeout
            rss_before = rss_kb(server.pid)
            k = args.processes
            # with workers the coordinator keeps only the last phone, connected after theirs: the hub serves it last
            local = cookies[:n] if k == 1 else cookies[n - 1:n]
            phones = [VotePhone(base, f'/votes/{vote_id}', cookie=c) for c in local]
            began = time.monotonic()
            barrier = None
            if k > 1:
                spawn = multiprocessing.get_context('spawn')
                barrier = spawn.Barrier(k + 1)
                for i, share in enumerate(_shares(cookies[:n - 1], k)):
                    ours, theirs = spawn.Pipe()
                    process = spawn.Process(target=run_worker, daemon=True, args=(
                        i, base, f'/votes/{vote_id}', share, n * 100 + i, args.timeout, theirs, barrier))
                    process.start()
                    workers.append((process, ours))
            row['failed'] = 0
            for _, conn in workers:
                row['failed'] += (await _receive(conn, 600))['failed']
            row['failed'] += await _connect(phones, http)
            row['connect_s'] = time.monotonic() - began
            await asyncio.sleep(2)
            row['kb_per_phone'] = (rss_kb(server.pid) - rss_before) / n
            projector = VotePhone(base, f'/votes/{vote_id}/screen', cookie=organiser)
            await projector.open(http)

            # 1. quiet: one ballot at a time, a second apart, the projector last in the hub's list
            latencies: list[float] = []
            last_phone: list[float] = []
            for cookie in cookies[n:]:
                voter = VotePhone(base, f'/votes/{vote_id}', cookie=cookie)
                await voter.open(http)
                await _stage(voter, rng.choice(OPTIONS))
                shown = len(projector.counts)
                tapped = time.monotonic()
                await voter.tap(voter.confirm)
                if await _until(lambda s=shown: len(projector.counts) > s, 10):
                    latencies.append(max(projector.counts.values()) - tapped)
                    count = max(projector.counts)
                    if await _until(lambda c=count: c in phones[-1].counts, 10):  # the phone the hub serves last
                        last_phone.append(phones[-1].counts[count] - tapped)
                await voter.close()
                await asyncio.sleep(1.0)
            row['quiet_p50'] = percentile(latencies, 0.5) * 1000
            row['quiet_p95'] = percentile(latencies, 0.95) * 1000
            row['quiet_n'] = len(latencies)
            row['quiet_phone_p95'] = percentile(last_phone, 0.95) * 1000
            row['elements'] = len(phones[0].elements)

            # 2. burst: every phone's dialog open, then every 确认 at once
            for _, conn in workers:
                conn.send('stage')
            live = [p for p in phones if p.connected]
            for start in range(0, len(live), 50):
                await asyncio.gather(*(_stage(p, rng.choice(OPTIONS)) for p in live[start:start + 50]),
                                     return_exceptions=True)
            ready = [p for p in live if p.confirm is not None]
            row['staged'] = len(ready)
            for _, conn in workers:
                row['staged'] += (await _receive(conn, 600))['staged']
            final = max(projector.counts, default=0) + row['staged']  # every screen must end on this count
            phone_final = args.phone_final.format(n=final, total=total)
            for p in live:
                p.final = phone_final
            projector.final = args.screen_final.format(n=final, total=total)
            for _, conn in workers:
                conn.send({'phone_final': phone_final})
            profiler = None
            if args.profile:
                profiler = subprocess.Popen(
                    ['py-spy', 'record', '-p', str(server.pid), '-d', str(args.profile), '-r', '100', '-f', 'raw',
                     '-o', f'{args.profile_out}-{n}.txt', '--nonblocking'],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                await asyncio.sleep(1)
            server_before, machine_before = server_cpu_s(server.pid), machine_busy_s()
            loop_before = server_main_thread_cpu_s(server.pid)
            if barrier is not None:
                await asyncio.get_running_loop().run_in_executor(None, barrier.wait, 60)
            own_before, received = cpu_seconds(), sum(p.received for p in [*phones, projector])
            first_tap = time.monotonic()
            await asyncio.gather(*(p.tap(p.confirm) for p in ready))
            row['tap_s'] = time.monotonic() - first_tap
            await _until(lambda: all(p.final_at for p in live) and projector.final_at, args.timeout)
            own_cpu, own_wall = cpu_seconds() - own_before, time.monotonic() - first_tap
            results = [await _receive(conn, args.timeout + 60) for _, conn in workers]
            server_cpu, machine_cpu = server_cpu_s(server.pid) - server_before, machine_busy_s() - machine_before
            row['server_loop_cpu_s'] = server_main_thread_cpu_s(server.pid) - loop_before
            window = time.monotonic() - first_tap  # what the server and machine CPU seconds were measured over
            first_tap = min([first_tap, *(r['first_tap'] for r in results)])
            row['tap_s'] = max([row['tap_s'], *(r['tap_s'] for r in results)])
            receipts = [p.receipt_at for p in live if p.receipt_at] + [t for r in results for t in r['receipts']]
            row['receipts'] = len(receipts)
            row['ballots_per_s'] = len(receipts) / (max(receipts) - first_tap) if receipts else 0.0
            settled = [p.final_at for p in live if p.final_at] + [t for r in results for t in r['settled']]
            row['phones_final'] = len(settled)
            row['phones'] = len(live) + sum(r['phones'] for r in results)
            row['projector_s'] = projector.final_at - first_tap if projector.final_at else float('nan')
            row['burst_s'] = (max([*settled, projector.final_at]) - first_tap
                              if len(settled) == row['phones'] and projector.final_at else float('nan'))
            row['last_receipt_s'] = max(receipts) - first_tap if receipts else float('nan')
            row['lagging'] = ([p.last_count for p in live if not p.final_at] +
                              [c for r in results for c in r['lagging']])[:3]
            row['dropped'] = ([p.dropped for p in phones if not p.connected] +
                              [d for r in results for d in r['dropped']])[:3]
            row['processes'] = k
            row['cpu_window_s'] = window
            row['server_cpu_s'] = server_cpu
            row['machine_cpu_s'] = machine_cpu
            # per load-generator process: (CPU seconds, seconds from its first tap until its phones settled)
            row['messages'] = (sum(p.received for p in [*phones, projector]) - received
                               + sum(r['messages'] for r in results))  # socket.io messages the phones decoded
            row['generator_cpu'] = [(own_cpu, own_wall), *((r['cpu_s'], r['wall_s']) for r in results)]
            row['rss_end_mb'] = rss_kb(server.pid) / 1024
            if profiler is not None:
                profiler.wait(timeout=args.profile + 30)
            for _, conn in workers:
                conn.send('close')
            for p in [*phones, projector]:
                await p.close()
            for _, conn in workers:
                await _receive(conn, 60)
        finally:
            for process, _ in workers:
                process.join(timeout=10)
                if process.is_alive():
                    process.kill()
            server.terminate()
            server.wait(timeout=30)
            log.close()
    row['db_rows'], row['db_electors'] = await count_ballots(url, vote_id)
    row['expected'] = total
    row['lost'] = total - row['db_electors']
    return row


async def _fresh_pg(url: str, n: int) -> str:
    """A new empty PostgreSQL database beside the one `url` names, for one N (each run starts from nothing)."""
    import asyncpg
    base, _, name = url.rpartition('/')
    fresh = f'{name}_{n}_{uuid.uuid4().hex[:6]}'
    conn = await asyncpg.connect(url.replace('asyncpg://', 'postgres://'))
    try:
        await conn.execute(f'CREATE DATABASE "{fresh}"')
    finally:
        await conn.close()
    return f'{base}/{fresh}'


async def _wait_for_server(http: aiohttp.ClientSession, base: str) -> None:
    for _ in range(600):
        try:
            async with http.get(f'{base}/api/v1/health') as response:
                if response.status == 200:
                    await asyncio.sleep(1)
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError('the server did not start')


HEADER = ('| phones | KB per phone | ballots/s | burst → final on every screen | projector final | '
          'quiet → projector p50 / p95 | quiet → last phone p95 | lost |\n|---:|---:|---:|---:|---:|---:|---:|---:|')


def table_row(r: dict) -> str:
    lost = f'{r["lost"]} (DB {r["db_electors"]}/{r["expected"]}, receipts {r["receipts"]}/{r["phones"]})'
    burst = f'{r["burst_s"]:.2f} s' if r['burst_s'] == r['burst_s'] else \
        f'not settled in time ({r["phones_final"]}/{r["phones"]} phones)'
    return (f'| {r["n"]} | {r["kb_per_phone"]:.0f} | {r["ballots_per_s"]:.0f} | {burst} | '
            f'{r["projector_s"]:.2f} s | {r["quiet_p50"]:.0f} / {r["quiet_p95"]:.0f} ms | '
            f'{r["quiet_phone_p95"]:.0f} ms | {lost} |')


CPU_HEADER = ('| phones | generator processes | burst → final | server CPU | generator CPU (busiest process) | '
              'machine busy |\n|---:|---:|---:|---:|---:|---:|')


def cpu_row(r: dict) -> str:
    """CPU seconds from the first tap until every screen was final (and the workers had reported), and as cores."""
    w = r['cpu_window_s']
    generator = sum(cpu for cpu, _ in r['generator_cpu'])
    busiest = max(cpu / wall for cpu, wall in r['generator_cpu'] if wall > 0)
    burst = f'{r["burst_s"]:.2f} s' if r['burst_s'] == r['burst_s'] else 'not settled'
    return (f'| {r["n"]} | {r["processes"]} | {burst} | {r["server_cpu_s"]:.2f} s ({r["server_cpu_s"] / w:.0%}) | '
            f'{generator:.2f} s ({generator / w:.0%}; {busiest:.0%}) | '
            f'{r["machine_cpu_s"]:.2f} s of {w * os.cpu_count():.2f} ({r["machine_cpu_s"] / w:.2f} cores) |')


async def run(args: argparse.Namespace) -> None:
    rows = []
    for n in args.phones:
        row = await run_once(args, n)
        rows.append(row)
        print(f'N={n}: {row["phones"]} phones connected ({row["failed"]} failed) in {row["connect_s"]:.1f} s; '
              f'{row["elements"]} elements per phone page; '
              f'{row["staged"]} dialogs open; taps sent in {row["tap_s"]:.2f} s; last receipt '
              f'{row["last_receipt_s"]:.2f} s after the first tap; {row["quiet_n"]} quiet ballots timed; '
              f'DB rows {row["db_rows"]}; server RSS at the end {row["rss_end_mb"]:.0f} MB'
              + (f'; lagging phones last saw {row["lagging"]}' if row['lagging'] else '')
              + (f'; dropped connections: {row["dropped"]}' if row['dropped'] else ''), flush=True)
        print(f'  burst CPU over {row["cpu_window_s"]:.2f} s: server {row["server_cpu_s"]:.2f} s '
              f'({row["server_loop_cpu_s"]:.2f} s in its main thread), load generator '
              + ', '.join(f'{cpu:.2f} s in {wall:.2f} s' for cpu, wall in row['generator_cpu'])
              + f' (coordinator first), machine {row["machine_cpu_s"]:.2f} s busy; {row["messages"]} socket.io '
              f'messages received by the phones and projector from the first tap on', flush=True)
    print(f'\ndatabase: {"PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"}; '
          f'{args.quiet} quiet ballots one a second; phones in {args.processes} load-generator process(es)\n')
    print(HEADER)
    for row in rows:
        print(table_row(row))
    print(f'\nCPU during the burst ({os.cpu_count()} cores; % of one core)\n')
    print(CPU_HEADER)
    for row in rows:
        print(cpu_row(row))
    if any(r['lost'] for r in rows):
        sys.exit('ballots lost')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--phones', type=int, nargs='+', default=[100, 500, 1000])
    parser.add_argument('--quiet', type=int, default=30, help='ballots cast one at a time for the quiet latency')
    parser.add_argument('--processes', type=int, default=1,
                        help='load-generator processes to spread the phones over')
    parser.add_argument('--database-url', default='')
    parser.add_argument('--timeout', type=float, default=60, help='seconds to wait for the burst to settle')
    parser.add_argument('--profile', type=int, default=0, help='py-spy seconds from the burst on')
    parser.add_argument('--profile-out', default='/tmp/votes-profile')
    parser.add_argument('--phone-final', default='已投 {n} 人（共 {total} 人）',
                        help='the phone page text that shows the final count')
    parser.add_argument('--screen-final', default='已投 {n}/{total} 人', help='the projector text of the final count')
    asyncio.run(run(parser.parse_args()))


if __name__ == '__main__':
    main()
