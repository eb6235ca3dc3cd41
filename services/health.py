"""Is the app healthy: which database it runs on, whether it answers, how many migrations are applied."""
from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from functools import cache

from aerich.models import Aerich
from tortoise import connections

from domain.errors import DomainError
from services import config, db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    database: str  # 'sqlite' | 'postgresql'
    version: str
    migrations: int


@cache
def version() -> str:
    """The app's version from pyproject.toml."""
    try:
        with (config.ROOT / 'pyproject.toml').open('rb') as f:
            return str(tomllib.load(f)['project']['version'])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return 'unknown'


def configured_database_kind() -> str:
    """The kind the settings name, for when the live connection cannot tell."""
    return config.current().database_kind


async def check() -> Health:
    """Ask the live database a trivial question and count the applied migrations. Errors: database_unreachable."""
    try:
        kind = db.database_kind()
        await connections.get('default').execute_query('SELECT 1')
        migrations = await Aerich.filter(app='models').count()
    except Exception as e:  # any driver or configuration failure means the same thing to a monitor
        log.warning('health check failed: %s', e)
        raise DomainError('database_unreachable', '数据库无法连接，请联系系统管理员') from e
    return Health(database=kind, version=version(), migrations=migrations)
