"""Check-in under load: volunteers scanning personal codes while phones watch the meeting page.

    python bench/checkin.py [--volunteers 5] [--phones 300] [--scans 60] [--interval 1.0] [--database-url URL]

Sets up a fresh database (the demo community, 5 volunteer accounts, a meeting open now), starts `main.py` on it,
connects `--phones` phones to the public meeting page `/meetings/{id}` (bench/phones.py: the same GET and
socket.io connection a browser makes), then lets each volunteer POST `--scans` personal codes to
`/meetings/{id}/scans` (what the camera scanner's JS sends), one every `--interval` seconds, all at once.
Reports scan → answer p50/p95/max, the time until every watching phone shows the final count, memory per
connected phone, and checks that the database holds exactly one check-in per scanned resident.
For PostgreSQL give an empty database: --database-url postgres://postgres@127.0.0.1:5432/gs_bench
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.phones import Phone, percentile, rss_kb, session_cookie, write_user_storage  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


async def prepare(url: str, secret: str, volunteers: int, storage: Path) -> tuple[int, list[str], list[str]]:
    """Demo community, volunteer accounts signed in by storage files, a meeting open now; returns its id,
    the volunteers' session cookies and every verified resident's personal code token."""
    from models import Account, Community, Meeting, Resident, RoleGrant
    from services import codes, config, db, demo
    config.use(config.Settings(database_url=url, secret=secret, data_dir=storage.parent))
    async with db.connected(url):
        await demo.load()
        community = await Community.get(name='船柴社区')
        now = datetime.now(UTC)
        meeting = await Meeting.create(
            community=community, title='小板凳、大民生：压力测试', format='onsite', mode='offline', regular=False,
            level='community', place='社区广场', starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(hours=2), state='open', created_at=now, updated_at=now)
        cookies = []
        for n in range(volunteers):
            account = await Account.create(name=f'志愿者{n + 1}', phone=f'1990000{n:04d}')
            await RoleGrant.create(account=account, community=community, role='volunteer')
            session_id = str(uuid.uuid4())
            write_user_storage(storage, session_id, {'account_id': account.id})
            cookies.append(session_cookie(secret, session_id))
        residents = await Resident.filter(community=community, status='verified').order_by('id')
        tokens = [codes.personal_code(r) for r in residents]
        return meeting.id, cookies, tokens


async def count_checkins(url: str, meeting_id: int) -> int:
    from models import CheckIn
    from services import db
    async with db.connected(url):
        return await CheckIn.filter(meeting_id=meeting_id).count()


async def volunteer(http: aiohttp.ClientSession, base: str, meeting_id: int, cookie: str, tokens: list[str],
                    interval: float, latencies: list[float], answers: list[dict], retries: list[str]) -> None:
    for token in tokens:
        began = time.monotonic()
        body = {'token': token, 'nonce': secrets.token_hex(16),
                'scanned_at': datetime.now(UTC).isoformat()}
        for attempt in range(5):  # like scanner.js: a dropped connection keeps the scan and sends it again
            try:
                async with http.post(f'{base}/meetings/{meeting_id}/scans', json=body,
                                     headers={'Cookie': f'session={cookie}'}) as response:
                    answer = await response.json()
                    answer['status'] = response.status
                break
            except aiohttp.ClientError:
                retries.append(token)
                if attempt == 4:
                    raise
        latencies.append(time.monotonic() - began)
        answers.append(answer)
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - began)))


async def run(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix='gs-bench-checkin-'))
    url = args.database_url or f'sqlite://{work / "bench.sqlite3"}'
    secret = secrets.token_urlsafe(32)
    storage = work / 'nicegui'
    meeting_id, cookies, tokens = await prepare(url, secret, args.volunteers, storage)
    per_volunteer = [tokens[i::args.volunteers][:args.scans] for i in range(args.volunteers)]
    expected = sum(len(chunk) for chunk in per_volunteer)

    port = _free_port()
    env = {**os.environ, 'DATABASE_URL': url, 'GONGSHANG_SECRET': secret, 'GONGSHANG_DATA_DIR': str(work),
           'NICEGUI_STORAGE_PATH': str(storage)}
    gc_log = work / 'gc-pauses.txt'
    command = [sys.executable, *(['bench/gc_pauses.py', str(gc_log)] if args.gc_log else []), 'main.py',
               '--port', str(port), '--host', '127.0.0.1']
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f'http://127.0.0.1:{port}'
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
        try:
            for _ in range(600):
                try:
                    async with http.get(f'{base}/api/v1/health') as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            await asyncio.sleep(1)
            rss_before = rss_kb(server.pid)
            final_text = args.watch.format(n=expected)
            phones = [Phone(base, f'/meetings/{meeting_id}', watch=final_text) for _ in range(args.phones)]
            opened = time.monotonic()
            failed = 0
            for start in range(0, len(phones), 25):  # people arrive over some seconds, not in one instant
                results = await asyncio.gather(*(p.open(http) for p in phones[start:start + 25]),
                                               return_exceptions=True)
                failed += sum(1 for r in results if isinstance(r, BaseException))
            connect_s = time.monotonic() - opened
            await asyncio.sleep(2)
            phones = [p for p in phones if p.connected]  # a phone whose page was dropped would reload in a browser
            rss_phones = rss_kb(server.pid)
            if args.profile:
                subprocess.Popen(['py-spy', 'record', '-p', str(server.pid), '-d', str(args.profile),
                                             '-f', 'speedscope', '-o', args.profile_out, '--nonblocking'],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            latencies: list[float] = []
            answers: list[dict] = []
            retries: list[str] = []
            began = time.monotonic()
            await asyncio.gather(*(volunteer(http, base, meeting_id, cookie, chunk, args.interval, latencies, answers,
                                             retries)
                                   for cookie, chunk in zip(cookies, per_volunteer, strict=True)))
            scans_done = time.monotonic()
            deadline = scans_done + 30
            while time.monotonic() < deadline and not all(final_text in p.seen for p in phones):
                await asyncio.sleep(0.05)
            settled = [p.seen.get(final_text) for p in phones]
            rss_after = rss_kb(server.pid)
            lagging = [(p.last_text, p.connected) for p in phones if final_text not in p.seen]
            for p in phones:
                await p.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    stored = await count_checkins(url, meeting_id)
    ok = sum(1 for a in answers if a.get('result') == 'checked_in')
    other = [a for a in answers if a.get('result') != 'checked_in']
    shown = [s for s in settled if s is not None]
    ms = [x * 1000 for x in latencies]
    print(f'database: {"PostgreSQL" if url.startswith("postgres") else "SQLite"}; '
          f'{args.volunteers} volunteers × {args.scans} scans every {args.interval:g} s; {args.phones} phones watching')
    print(f'{len(phones)} phones connected ({failed} failed to open) in {connect_s:.1f} s; '
          f'server RSS {rss_before / 1024:.0f} MB before phones, '
          f'{rss_phones / 1024:.0f} MB with them ({(rss_phones - rss_before) / max(1, args.phones):.0f} KB per phone), '
          f'{rss_after / 1024:.0f} MB at the end')
    print(f'scan → answer: p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, '
          f'max {max(ms):.0f} ms over {len(ms)} scans; {len(ms) / (scans_done - began):.1f} scans/s in all')
    print(f'{len(retries)} scans sent again after a dropped connection (same nonce)')
    print(f'answers: {ok} checked in, {len(other)} other {[(a.get("status"), a.get("code")) for a in other[:5]]}; '
          f'check-ins stored: {stored} (expected {expected})')
    if shown:
        print(f'last scan → final count "{final_text}" on every phone: {len(shown)}/{len(phones)} phones, '
              f'slowest {(max(shown) - scans_done) * 1000:.0f} ms after the last answer')
    else:
        print(f'no phone showed "{final_text}" within 30 s')
    if lagging:
        print(f'{len(lagging)} phones never showed it; the last they got (text, still connected): {lagging[:3]}')
    if args.gc_log:
        pauses = [line.split() for line in gc_log.read_text().splitlines()] if gc_log.exists() else []
        print(f'garbage-collection pauses of 20 ms or more in the server: {len(pauses)}'
              + (f', longest {max(int(p[1]) for p in pauses)} ms (generations {sorted({p[0] for p in pauses})})'
                 if pauses else ''))
    if stored != expected or ok != expected:
        sys.exit('check-ins lost or doubled')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--volunteers', type=int, default=5)
    parser.add_argument('--phones', type=int, default=300)
    parser.add_argument('--scans', type=int, default=60, help='scans per volunteer')
    parser.add_argument('--interval', type=float, default=1.0, help='seconds between one volunteer\'s scans')
    parser.add_argument('--database-url', default='')
    parser.add_argument('--gc-log', action='store_true', help='report the server\'s garbage-collection pauses')
    parser.add_argument('--profile', type=int, default=0, help='seconds of py-spy sampling during the scans')
    parser.add_argument('--profile-out', default='/tmp/checkin-profile.json')
    parser.add_argument('--watch', default='{n}', help='the text on the meeting page that shows the final count')
    asyncio.run(run(parser.parse_args()))


if __name__ == '__main__':
    main()
