"""Fixtures: a fresh real database per test (SQLite file, or PostgreSQL when GONGSHANG_TEST_DATABASE_URL is set).

Each test gets its own database cloned from a template that the migrations built once per session:
a file copy on SQLite, `CREATE DATABASE … TEMPLATE …` on PostgreSQL. NiceGUI's `user` fixture re-runs
main.py per test; main.py reads DATABASE_URL, which the autouse fixture below sets first.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from nicegui import app

from services import config, events
from services import db as database

os.environ.setdefault('GONGSHANG_SECRET', 'test-secret-not-for-production')
PG_URL = os.environ.get('GONGSHANG_TEST_DATABASE_URL', '')
NEEDS_DB = {'db', 'user', 'create_user', 'screen', 'db_url'}
_spent_databases: list[str] = []


def _pg_parts(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition('/')
    return base, name


async def _pg_admin(*statements: str) -> None:
    import asyncpg
    conn = await asyncpg.connect(PG_URL.replace('asyncpg://', 'postgres://'))
    try:
        for sql in statements:  # one by one: CREATE/DROP DATABASE refuse to run inside a transaction block
            await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    async with database.connected(url):
        pass


@pytest.fixture(scope='session')
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database to clone: a file path (SQLite) or a database name (PostgreSQL)."""
    if PG_URL:
        name = f'gs_template_{uuid.uuid4().hex[:8]}'
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        base, _ = _pg_parts(PG_URL)
        asyncio.run(_migrate(f'{base}/{name}'))
        yield name
        asyncio.run(_pg_admin(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in [*_spent_databases, name])))
    else:
        path = tmp_path_factory.mktemp('template') / 'template.sqlite3'
        asyncio.run(_migrate(f'sqlite://{path}'))
        yield str(path)


@pytest.fixture
def db_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database for this test."""
    if PG_URL:
        name = f'gs_test_{uuid.uuid4().hex[:10]}'
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{database_template}"'))
        base, _ = _pg_parts(PG_URL)
        yield f'{base}/{name}'
        _spent_databases.append(name)  # dropped together at the end of the session: a drop costs 1–3 s
    else:
        path = tmp_path / 'test.sqlite3'
        shutil.copy(database_template, path)
        yield f'sqlite://{path}'


@pytest.fixture(autouse=True)
def _isolated_app(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Per test: fresh database and data dir for main.py, and NiceGUI's lifespan restored afterwards."""
    monkeypatch.setenv('GONGSHANG_DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.delenv('GONGSHANG_DEMO', raising=False)
    if NEEDS_DB & set(request.fixturenames):
        monkeypatch.setenv('DATABASE_URL', request.getfixturevalue('db_url'))
    original_lifespan = app.router.lifespan_context
    events.use(events.InProcessBus())  # no subscriber of an earlier test's pages hears this test's events
    yield
    app.router.lifespan_context = original_lifespan
    config._current = None


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[str]:
    """The ORM connected to this test's fresh database (for service tests)."""
    config.use(config.load())
    async with database.connected(db_url):
        yield db_url
