"""HTTPS on a community centre's LAN: phones only open the camera and install the app from a secure origin.

A deployment either names its own certificate (GONGSHANG_TLS_CERT and GONGSHANG_TLS_KEY) or gets a self-signed
one generated into the data folder, valid for localhost and this machine's LAN addresses (plus PUBLIC_URL's host).
It is regenerated when it nears its end or when the machine gets an address it does not cover. Phones accept it
once (浏览器提示“不安全”时选“高级 → 继续访问”), or staff install `/tls/gongshang-lan.crt` as a trusted certificate.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LIFETIME = timedelta(days=825)  # the longest validity phones accept for a certificate
RENEW_BEFORE = timedelta(days=30)
CERT_NAME, KEY_NAME = 'gongshang-lan.crt', 'gongshang-lan.key'


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path
    generated: bool  # False when the deployment named its own certificate
    names: tuple[str, ...]  # what it is valid for


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, read locally (nothing is sent on the network)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    found.update(_local_routes(Path('/proc/net/fib_trie')))
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback)


def _local_routes(fib_trie: Path) -> set[str]:
    """Linux lists each address of this host in the routing trie as '|-- a.b.c.d' followed by '/32 host LOCAL'."""
    try:
        lines = fib_trie.read_text().splitlines()
    except OSError:
        return set()
    return {lines[i - 1].split()[-1] for i, line in enumerate(lines)
            if i and '/32 host LOCAL' in line and _is_ip(lines[i - 1].split()[-1])}


def ensure(data_dir: Path, *, extra_names: list[str] | None = None, now: datetime | None = None) -> Certificate:
    """The certificate to serve HTTPS with: the configured one, else a generated one kept up to date."""
    given_cert, given_key = os.environ.get('GONGSHANG_TLS_CERT'), os.environ.get('GONGSHANG_TLS_KEY')
    if given_cert and given_key:
        return Certificate(Path(given_cert), Path(given_key), False, ())
    now = now or datetime.now(UTC)
    names = tuple(dict.fromkeys(['localhost', '127.0.0.1', *lan_addresses(), *(extra_names or [])]))
    cert_path, key_path = data_dir / CERT_NAME, data_dir / KEY_NAME
    if cert_path.exists() and key_path.exists() and _still_good(cert_path, names, now):
        return Certificate(cert_path, key_path, True, names)
    _generate(cert_path, key_path, names, now)
    return Certificate(cert_path, key_path, True, names)


def covered_names(cert_path: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(v) for v in san.get_values_for_type(x509.IPAddress)} | set(san.get_values_for_type(x509.DNSName))


def _still_good(cert_path: Path, names: tuple[str, ...], now: datetime) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        return cert.not_valid_after_utc - RENEW_BEFORE > now and set(names) <= covered_names(cert_path)
    except (ValueError, x509.ExtensionNotFound):
        return False


def _generate(cert_path: Path, key_path: Path, names: tuple[str, ...], now: datetime) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, '共商 Gongshang LAN'),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, '共商 Gongshang')])
    alt = [x509.IPAddress(ipaddress.ip_address(n)) if _is_ip(n) else x509.DNSName(n) for n in names]
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + LIFETIME)
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)  # installable as trusted
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    _write(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()), mode=0o600)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)


def _write(path: Path, data: bytes, *, mode: int) -> None:
    temporary = path.with_suffix(path.suffix + '.tmp')
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'wb') as f:
        f.write(data)
    os.replace(temporary, path)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
