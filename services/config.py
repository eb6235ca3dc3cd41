"""Settings from the environment (and an optional .env), with safe defaults for a laptop or a LAN box."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: str
    host: str = '0.0.0.0'
    port: int = 8080
    data_dir: Path = field(default=ROOT / 'data')
    public_url: str = ''  # e.g. https://192.168.1.20:8443 — used in printed QR codes; empty: derive from the request

    @property
    def database_kind(self) -> str:
        pg = self.database_url.startswith(('postgres://', 'postgresql://', 'asyncpg://'))
        return 'postgresql' if pg else 'sqlite'


def _secret(data_dir: Path) -> str:
    """The signing secret: GONGSHANG_SECRET, else one generated once and kept in data/secret.key."""
    if value := os.environ.get('GONGSHANG_SECRET'):
        return value
    path = data_dir / 'secret.key'
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(value)
    return value


def load(*, env_file: Path | None = None) -> Settings:
    """Read the settings; values already in the environment win over the .env file."""
    load_dotenv(env_file or ROOT / '.env', override=False)
    data_dir = Path(os.environ.get('GONGSHANG_DATA_DIR', ROOT / 'data')).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    url = os.environ.get('DATABASE_URL') or f'sqlite://{data_dir / "gongshang.sqlite3"}'
    return Settings(
        database_url=url,
        secret=_secret(data_dir),
        host=os.environ.get('HOST', '0.0.0.0'),
        port=int(os.environ.get('PORT', '8080')),
        data_dir=data_dir,
        public_url=os.environ.get('PUBLIC_URL', '').rstrip('/'),
    )


_current: Settings | None = None


def current() -> Settings:
    """The settings the running app was built with."""
    global _current
    if _current is None:
        _current = load()
    return _current


def use(settings: Settings) -> Settings:
    """Make these the running app's settings (main.py and tests call this)."""
    global _current
    _current = settings
    return settings
