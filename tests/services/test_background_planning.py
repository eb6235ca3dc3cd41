"""The running app keeps 周周碰/月月议 planned by itself: a series nobody planned gets its next meeting on start."""
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_started_app_plans_the_next_meeting_of_a_weekly_series_without_anyone_asking(tmp_path) -> None:
    database = tmp_path / 'db.sqlite3'
    env = {**os.environ, 'GONGSHANG_DATA_DIR': str(tmp_path), 'GONGSHANG_SECRET': 'background-test',
           'DATABASE_URL': f'sqlite://{database}'}
    env.pop('PYTEST_CURRENT_TEST', None)  # a real start, not NiceGUI's test fixtures
    subprocess.run([sys.executable, 'main.py', '--migrate'], cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(database) as db:  # a series as an earlier version left it: never planned
        db.execute("INSERT INTO street (name, created_at) VALUES ('西陵街道', '2026-11-01 00:00:00+00:00')")
        db.execute("INSERT INTO community (name, kind, join_version, created_at, street_id) "
                   "VALUES ('船柴社区', 'urban', 1, '2026-11-01 00:00:00+00:00', 1)")
        db.execute("INSERT INTO meeting_series (title, cadence, weekday, start_minute, duration_minutes, format, mode, "
                   "level, place, active, created_at, community_id) VALUES ('嘉明花园周周碰', 'weekly', 2, 1140, 60, "
                   "'onsite', 'offline', 'community', '党群服务站', 1, '2026-11-01 00:00:00+00:00', 1)")
    with socket_port() as port:
        app = subprocess.Popen([sys.executable, 'main.py', '--port', str(port), '--host', '127.0.0.1'], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        planned: list = []
        while not planned and time.monotonic() < deadline:
            assert app.poll() is None, app.stderr.read().decode()[-2000:] if app.stderr else ''
            time.sleep(0.2)
            with sqlite3.connect(database) as db:
                planned = db.execute("SELECT title, regular FROM meeting WHERE series_id = 1").fetchall()
        assert planned and planned[0] == ('嘉明花园周周碰', 1)
    finally:
        app.terminate()
        app.wait(timeout=20)


class socket_port:
    """A free local port (closed again before the app binds it)."""

    def __enter__(self) -> int:
        import socket
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            return s.getsockname()[1]

    def __exit__(self, *_: object) -> None:
        return None
