"""LAN HTTPS: a generated certificate phones can trust, kept up to date, and the app really serving with it."""
import os
import socket
import ssl
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cryptography import x509

from services import tls

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_the_generated_certificate_covers_localhost_the_lan_and_the_public_name(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv('GONGSHANG_TLS_CERT', raising=False)
    made = tls.ensure(tmp_path, extra_names=['gongshang.lan'], now=NOW)
    names = tls.covered_names(made.cert)
    assert {'localhost', '127.0.0.1', 'gongshang.lan', *tls.lan_addresses()} <= names
    cert = x509.load_pem_x509_certificate(made.cert.read_bytes())
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca  # installable as trusted
    assert cert.not_valid_after_utc - NOW > timedelta(days=800)
    assert (made.key.stat().st_mode & 0o777) == 0o600  # the private key is readable by the app only


def test_a_good_certificate_is_kept_and_one_near_its_end_or_missing_a_name_is_replaced(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv('GONGSHANG_TLS_CERT', raising=False)
    first = tls.ensure(tmp_path, now=NOW).cert.read_bytes()
    assert tls.ensure(tmp_path, now=NOW + timedelta(days=30)).cert.read_bytes() == first
    renewed = tls.ensure(tmp_path, now=NOW + timedelta(days=800)).cert.read_bytes()
    assert renewed != first
    moved = tls.ensure(tmp_path, extra_names=['192.168.8.8'], now=NOW + timedelta(days=800))
    assert '192.168.8.8' in tls.covered_names(moved.cert)


def test_a_deployments_own_certificate_is_used_as_given(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv('GONGSHANG_TLS_CERT', '/etc/ssl/own.pem')
    monkeypatch.setenv('GONGSHANG_TLS_KEY', '/etc/ssl/own.key')
    given = tls.ensure(tmp_path)
    assert (str(given.cert), str(given.key), given.generated) == ('/etc/ssl/own.pem', '/etc/ssl/own.key', False)
    assert not (tmp_path / tls.CERT_NAME).exists()


def test_local_addresses_are_read_from_the_routing_table(tmp_path) -> None:
    trie = tmp_path / 'fib_trie'
    trie.write_text('Main:\n  +-- 0.0.0.0/0 3 0 5\n'
                    '     |-- 127.0.0.1\n        /32 host LOCAL\n'
                    '     |-- 192.168.1.20\n        /32 host LOCAL\n'
                    '     |-- 192.168.1.255\n        /32 link BROADCAST\n')
    assert tls._local_routes(trie) == {'127.0.0.1', '192.168.1.20'}


def test_the_app_serves_https_with_the_generated_certificate_and_offers_it_for_download(tmp_path) -> None:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    env = {**os.environ, 'GONGSHANG_DATA_DIR': str(tmp_path), 'GONGSHANG_SECRET': 'tls-test',
           'DATABASE_URL': f'sqlite://{tmp_path / "db.sqlite3"}'}
    env.pop('PYTEST_CURRENT_TEST', None)
    env.pop('GONGSHANG_TLS_CERT', None)
    app = subprocess.Popen([sys.executable, 'main.py', '--https', '--port', str(port), '--host', '127.0.0.1'],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        trust = ssl.create_default_context(cafile=None)
        deadline = time.monotonic() + 60
        while not (tmp_path / tls.CERT_NAME).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        trust.load_verify_locations(tmp_path / tls.CERT_NAME)
        with httpx.Client(verify=trust, timeout=5) as client:
            while True:
                try:
                    health = client.get(f'https://127.0.0.1:{port}/api/v1/health')
                    break
                except httpx.ConnectError:
                    assert time.monotonic() < deadline, app.stdout.read1().decode() if app.stdout else ''
                    time.sleep(0.2)
            assert health.status_code == 200 and health.json()['status'] == 'ok'  # verified against our cert
            download = client.get(f'https://localhost:{port}/tls/{tls.CERT_NAME}')
            assert download.status_code == 200 and download.content.startswith(b'-----BEGIN CERTIFICATE-----')
    finally:
        app.terminate()
        app.wait(timeout=20)
