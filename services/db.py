"""Database wiring: Tortoise config, aerich migrations applied on start, and the app lifespan."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aerich import Command
from fastapi import FastAPI
from fastapi.routing import _merge_lifespan_context
from tortoise import Tortoise
from tortoise.contrib.fastapi import RegisterTortoise

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / 'migrations'
TIMEZONE = 'Asia/Shanghai'


def _url(database_url: str) -> str:
    """Tortoise spells PostgreSQL as asyncpg://; accept the usual postgres:// and postgresql:// too."""
    for prefix in ('postgresql://', 'postgres://'):
        if database_url.startswith(prefix):
            return 'asyncpg://' + database_url[len(prefix):]
    return database_url


def tortoise_config(database_url: str) -> dict:
    return {
        'connections': {'default': _url(database_url)},
        'apps': {'models': {'models': ['models', 'aerich.models'], 'default_connection': 'default'}},
        'use_tz': True,
        'timezone': TIMEZONE,
    }


def database_kind() -> str:
    """'sqlite' or 'postgresql', as the live connection reports it."""
    from tortoise import connections
    dialect = connections.get('default').schema_generator.DIALECT
    return 'postgresql' if dialect == 'postgres' else dialect


async def migrate(database_url: str) -> list[str]:
    """Apply every migration not yet applied; Tortoise must already be initialised with this config."""
    command = Command(tortoise_config=tortoise_config(database_url), app='models', location=str(MIGRATIONS))
    await command.init()
    applied = await command.upgrade(run_in_transaction=True)
    if applied:
        log.info('applied migrations: %s', ', '.join(applied))
    return applied


@asynccontextmanager
async def connected(database_url: str, *, create_db: bool = False) -> AsyncIterator[None]:
    """Open the ORM on this database, bring the schema up to date, and close it afterwards."""
    await Tortoise.init(config=tortoise_config(database_url), _create_db=create_db)
    try:
        await migrate(database_url)
        yield
    finally:
        await Tortoise.close_connections()


def register(app: FastAPI, database_url: str, *, after_start: Callable[[], Awaitable[None]] | None = None,
             background: Callable[[], Awaitable[None]] | None = None) -> None:
    """Wrap the app's lifespan: open Tortoise, migrate, run `after_start` (e.g. the demo loader), serve, close.

    `background` runs for as long as the app serves (inside the database context) and is cancelled before it closes.
    """

    @asynccontextmanager
    async def lifespan(app_instance: FastAPI) -> AsyncIterator[None]:
        async with RegisterTortoise(app_instance, config=tortoise_config(database_url)):
            await migrate(database_url)
            if after_start is not None:
                await after_start()
            task = asyncio.get_running_loop().create_task(background(), name='background') if background else None
            try:
                yield
            finally:
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    app.router.lifespan_context = _merge_lifespan_context(lifespan, app.router.lifespan_context)
