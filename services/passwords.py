"""Password and PIN hashing with argon2id (argon2-cffi's recommended defaults)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(hashed: str | None, secret: str) -> bool:
    """True when `secret` matches; False for a wrong secret, a missing or a corrupt hash."""
    if not hashed:
        _hasher.hash(secret)  # spend the same time as a real check: no timing hint that the account has none
        return False
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    return _hasher.check_needs_rehash(hashed)
