"""Start time and memory of the app with the demo community loaded.

    python bench/startup.py [--database-url URL] [--runs 3]

For PostgreSQL, create an empty database first (the app migrates it but does not create it):
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE gs_bench'
    python bench/startup.py --database-url postgres://postgres@127.0.0.1:5432/gs_bench

Starts `python main.py --demo` on a fresh database (a temporary SQLite file unless --database-url),
measures the time until /api/v1/health answers, the resident memory (VmRSS) of the process then, and
the same for a second start on the already-loaded database (the idempotent demo check). Prints a table.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    return float('nan')


def start_once(env: dict[str, str]) -> tuple[float, float]:
    port = _free_port()
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, 'main.py', '--demo', '--port', str(port), '--host', '127.0.0.1'],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = began + 180
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f'app exited: {proc.stderr.read().decode()[-2000:]}')
            try:
                with urllib.request.urlopen(f'http://127.0.0.1:{port}/api/v1/health', timeout=2) as response:
                    if response.status == 200:
                        elapsed = time.perf_counter() - began
                        time.sleep(1.0)  # let the first page-independent allocations settle
                        return elapsed, _rss_mb(proc.pid)
            except OSError:
                time.sleep(0.05)
        raise TimeoutError('the app did not answer within 180 s')
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database-url', default='')
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    rows = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, 'GONGSHANG_DATA_DIR': tmp, 'GONGSHANG_SECRET': 'bench'}
            env['DATABASE_URL'] = args.database_url or f'sqlite://{tmp}/bench.sqlite3'
            if args.database_url and run > 0:
                break  # a shared server database only gives one cold start
            first = start_once(env)
            second = start_once(env)
            rows.append((first, second))
    kind = 'postgresql' if args.database_url.startswith(('postgres', 'asyncpg')) else 'sqlite'
    print(f'database: {kind}; runs: {len(rows)}')
    print('| start | time to first answer (s, median) | memory RSS (MB, median) |')
    print('|---|---|---|')
    for label, index in (('first start: migrate + load demo', 0), ('restart: demo already loaded', 1)):
        times = [r[index][0] for r in rows]
        memory = [r[index][1] for r in rows]
        print(f'| {label} | {statistics.median(times):.2f} | {statistics.median(memory):.0f} |')


if __name__ == '__main__':
    main()
