"""Check the hash chain of every vote (or one) and name the first entry that was altered.

    python scripts/verify_chain.py [--vote N] [--database-url URL]

The database is --database-url, else DATABASE_URL, else the app's own (./data/gongshang.sqlite3, as main.py).
Prints one line per vote: 完好（N 条）, or the first altered entry with its number, kind and what is wrong.
Exits 1 when any chain is broken, 2 when the vote does not exist.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise

from services.db import tortoise_config


def database_url(given: str | None) -> str:
    if given:
        return given
    if os.environ.get('DATABASE_URL'):
        return os.environ['DATABASE_URL']
    from services import config
    return config.load().database_url


async def run(url: str, vote_id: int | None) -> int:
    from services import vote_chain
    await Tortoise.init(config=tortoise_config(url))
    try:
        reports = await vote_chain.verify(vote_id)
    finally:
        await Tortoise.close_connections()
    if vote_id is not None and not reports:
        print(f'找不到表决 #{vote_id}')
        return 2
    for report in reports:
        if report.broken is None:
            print(f'表决 #{report.vote_id}《{report.title}》：完好（{report.entries} 条）')
        else:
            kind = f'（{report.broken_kind}）' if report.broken_kind else ''
            print(f'表决 #{report.vote_id}《{report.title}》：有问题，第 {report.broken.seq} 条{kind}：'
                  f'{report.broken.reason}')
    return 1 if any(r.broken is not None for r in reports) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description='核对表决的哈希链，指出第一条被改动的记录')
    parser.add_argument('--vote', type=int, help='只核对这一次表决（编号）')
    parser.add_argument('--database-url', help='数据库地址，默认 DATABASE_URL 或 ./data 下的 SQLite')
    args = parser.parse_args(argv)
    return asyncio.run(run(database_url(args.database_url), args.vote))


if __name__ == '__main__':
    sys.exit(main())
