"""民事民评 at the site: residents scan the poster, the public board opens, one tap on 满意 — how long does it take?

    python bench/rating_site.py [--residents 300] [--per-second 10] [--database-url URL]

A fresh database (SQLite file, or a new PostgreSQL database beside --database-url's) with a community of
`--residents` verified residents (each signed in by a NiceGUI session cookie, as bench/votes.py does) and one
project reported done, so its rating round is open. `main.py` serves it. Residents arrive `--per-second` a second
(the crowd after an evening meeting at the site); each one, like the phone after scanning the poster's QR:
GETs /board/project/{id} and opens NiceGUI's socket.io connection (bench/phones.py), finds the 满意 / 基本满意 /
不满意 buttons in the page it was sent, taps one, and waits until its screen says 已评价. Reports, per resident, the
time from the scan to a usable page and from the tap to 已评价 (p50 / p95 / max), server memory, and checks that
the database holds exactly one rating per resident. Human reading time is not included: the figure is what the
app adds to the resident's ten seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.checkin import _free_port  # noqa: E402
from bench.phones import percentile, rss_kb, session_cookie, write_user_storage  # noqa: E402
from bench.votes import VotePhone, _fresh_pg, _until, _wait_for_server  # noqa: E402

CHOICES = ('满意', '基本满意', '不满意')


@dataclass
class RatingPhone(VotePhone):
    """A phone on the public board that notices when its screen says 已评价."""
    rated_at: float | None = None

    async def _on_message(self, event: str, data: object = None) -> None:
        await super()._on_message(event, data)
        if event == 'update' and isinstance(data, dict) and self.rated_at is None:
            for element in data.values():
                if isinstance(element, dict) and str(element.get('text') or '').startswith('已评价'):
                    self.rated_at = time.monotonic()


async def prepare(url: str, secret: str, residents: int, storage: Path) -> tuple[int, list[str]]:
    """Residents with accounts and a project whose rating round is open; the project id and their cookies."""
    from models import Account, Community, Project, Resident, RoleGrant, Street
    from services import accounts, config, db, project_moves
    config.use(config.Settings(database_url=url, secret=secret, data_dir=storage.parent))
    async with db.connected(url):
        street, _ = await Street.get_or_create(name='西陵街道')
        community = await Community.create(street=street, name='压力测试社区', kind='urban')
        await Resident.bulk_create([Resident(community=community, name=f'居民{n + 1}', phone=f'1770{n:07d}',
                                             status='verified', birth_year=1960, relation='owner')
                                    for n in range(residents)], batch_size=500)
        people = await Resident.filter(community=community).order_by('id').values_list('id', flat=True)
        await Account.bulk_create([Account(name=f'居民{n + 1}', phone=f'1770{n:07d}', resident_id=r)
                                   for n, r in enumerate(people)], batch_size=500)
        account_ids = await Account.filter(resident_id__in=list(people)).order_by('resident_id') \
            .values_list('id', flat=True)
        staff = await Account.create(name='李敏', phone='19900000001')
        await RoleGrant.create(account=staff, community=community, role='staff')
        now = datetime.now(UTC)
        project = await Project.create(community=community, title='3栋楼道照明改造', origin='outcome',
                                       lead_org='船柴社区居委会', lead_phone='13912345678', site='嘉明花园3栋',
                                       state='underway', progress=100, created_at=now - timedelta(days=30),
                                       updated_at=now, started_at=now - timedelta(days=20))
        await project_moves.move(await accounts.principal(staff.id), project.id, 'rating')

        def signed_in(account_id: int) -> str:
            session_id = str(uuid.uuid4())
            write_user_storage(storage, session_id, {'account_id': account_id})
            return session_cookie(secret, session_id)
        return project.id, [signed_in(a) for a in account_ids]


async def count_ratings(url: str, project_id: int) -> tuple[int, int]:
    """(rating rows, residents who rated) of the project."""
    from models import Rating
    from services import db
    async with db.connected(url):
        rows = await Rating.filter(survey__project_id=project_id).values_list('resident_id', flat=True)
        return len(rows), len(set(rows))


async def visit(phone: RatingPhone, http: aiohttp.ClientSession, choice: str, row: dict) -> None:
    scanned = time.monotonic()
    try:
        await phone.open(http)
        ready = time.monotonic()
        button = phone.button(choice)
        await phone.tap(button)
        tapped = time.monotonic()
        if await _until(lambda: phone.rated_at is not None, 30):
            row['page'].append(ready - scanned)
            row['tap'].append(phone.rated_at - tapped)
            row['whole'].append(phone.rated_at - scanned)
        else:
            row['timeouts'] += 1
    except Exception as e:  # counted and shown: the run goes on
        row['errors'].append(f'{type(e).__name__}: {e}'[:120])


async def run(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix='gs-bench-rating-'))
    url = await _fresh_pg(args.database_url, args.residents) if args.database_url \
        else f'sqlite://{work / "bench.sqlite3"}'
    secret = secrets.token_urlsafe(32)
    storage = work / 'nicegui'
    project_id, cookies = await prepare(url, secret, args.residents + 1, storage)
    port = _free_port()
    env = {**os.environ, 'DATABASE_URL': url, 'GONGSHANG_SECRET': secret, 'GONGSHANG_DATA_DIR': str(work),
           'NICEGUI_STORAGE_PATH': str(storage)}
    log = (work / 'server.log').open('wb')
    server = subprocess.Popen([sys.executable, 'main.py', '--port', str(port), '--host', '127.0.0.1'], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f'http://127.0.0.1:{port}'
    path = f'/board/project/{project_id}'
    row: dict = {'page': [], 'tap': [], 'whole': [], 'timeouts': 0, 'errors': []}
    phones = [RatingPhone(base, path, cookie=c) for c in cookies[:args.residents]]
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                         cookie_jar=aiohttp.DummyCookieJar()) as http:
            await _wait_for_server(http, base)
            warm = RatingPhone(base, path, cookie=cookies[-1])  # imports and first render, not per resident
            await warm.open(http)
            await warm.close()
            rss_before = rss_kb(server.pid)
            began = time.monotonic()
            visits = []
            for n, phone in enumerate(phones):
                visits.append(asyncio.create_task(visit(phone, http, CHOICES[n % 7 % 3], row)))
                await asyncio.sleep(1 / args.per_second)
            await asyncio.gather(*visits)
            row['span'] = time.monotonic() - began
            row['rss_mb'] = (rss_kb(server.pid) - rss_before) / 1024
            for phone in phones:
                await phone.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    stored, raters = await count_ratings(url, project_id)
    kind = 'PostgreSQL' if args.database_url else 'SQLite'
    print(f'{args.residents} residents, {args.per_second}/s, {kind}: all done in {row["span"]:.1f} s; '
          f'server memory +{row["rss_mb"]:.0f} MB while their pages were open')
    for key, what in (('page', 'scan → board usable'), ('tap', 'tap → 已评价'), ('whole', 'scan → 已评价')):
        values = row[key]
        print(f'  {what}: p50 {percentile(values, .5) * 1000:.0f} ms, p95 {percentile(values, .95) * 1000:.0f} ms,'
              f' max {max(values, default=float("nan")) * 1000:.0f} ms')
    print(f'  ratings stored {stored} from {raters} residents (expected {args.residents}); '
          f'timeouts {row["timeouts"]}; errors {len(row["errors"])} {row["errors"][:2]}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--residents', type=int, default=300)
    parser.add_argument('--per-second', type=float, default=10.0)
    parser.add_argument('--database-url', default='')
    asyncio.run(run(parser.parse_args()))


if __name__ == '__main__':
    main()
