"""The committed migrations create exactly what the models describe, on the database under test."""
import shutil
from pathlib import Path

from aerich import Command

from services.db import MIGRATIONS, database_kind, tortoise_config


async def test_models_and_migrations_agree_so_no_new_migration_is_needed(db: str, tmp_path: Path) -> None:
    location = tmp_path / 'migrations'
    shutil.copytree(MIGRATIONS, location)
    command = Command(tortoise_config(db), app='models', location=str(location))
    await command.init()
    before = sorted(p.name for p in (location / 'models').glob('*.py'))
    await command.migrate('drift_check', no_input=True)
    after = sorted(p.name for p in (location / 'models').glob('*.py'))
    assert after == before, f'models changed without a migration on {database_kind()}: run scripts/make_migration.py'


async def test_applying_migrations_again_changes_nothing(db: str) -> None:
    from services.db import migrate
    assert await migrate(db) == []
