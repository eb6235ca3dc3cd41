"""Signed tokens: genuine ones verify; tampered, re-purposed or expired ones are refused with a stable code."""
from datetime import UTC, datetime, timedelta

import pytest

from domain import tokens
from domain.errors import DomainError

SECRET = 'unit-test-secret'
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def test_a_signed_payload_verifies_back_unchanged() -> None:
    token = tokens.sign(SECRET, 'code', {'r': 7, 'c': 2, 'v': 1})
    assert tokens.verify(SECRET, 'code', token) == {'r': 7, 'c': 2, 'v': 1}


def test_a_token_with_a_changed_payload_is_invalid() -> None:
    token = tokens.sign(SECRET, 'code', {'r': 7, 'c': 2, 'v': 1})
    other_body = tokens.sign(SECRET, 'code', {'r': 8, 'c': 2, 'v': 1}).split('.')[0]
    forged = other_body + '.' + token.split('.')[1]
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'code', forged)
    assert _code(e) == 'token_invalid'


def test_a_token_with_one_changed_character_in_the_signature_is_invalid() -> None:
    token = tokens.sign(SECRET, 'code', {'r': 7, 'c': 2, 'v': 1})
    flipped = token[:-1] + ('A' if token[-1] != 'A' else 'B')
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'code', flipped)
    assert _code(e) == 'token_invalid'


def test_a_token_signed_with_another_secret_is_invalid() -> None:
    token = tokens.sign('another deployment', 'code', {'r': 7, 'c': 2, 'v': 1})
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'code', token)
    assert _code(e) == 'token_invalid'


def test_a_personal_code_cannot_be_used_as_a_sign_in_link() -> None:
    token = tokens.sign(SECRET, 'code', {'r': 7, 'v': 1, 'exp': int((NOW + timedelta(days=1)).timestamp())})
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'login', token, at=NOW)
    assert _code(e) == 'token_invalid'


@pytest.mark.parametrize('garbage', ['', 'abc', 'a.b.c', '.', 'x' * 500, None, 42])
def test_garbage_is_invalid_not_a_crash(garbage: object) -> None:
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'code', garbage)  # type: ignore[arg-type]
    assert _code(e) == 'token_invalid'


def test_a_valid_signature_over_something_that_is_not_an_object_is_invalid() -> None:
    body = tokens._b64(b'[1, 2]')
    token = f'{body}.{tokens._mac(SECRET, "code", body)}'
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'code', token)
    assert _code(e) == 'token_invalid'


def test_a_sign_in_link_works_up_to_the_second_it_expires_and_not_after() -> None:
    expires = NOW + tokens.LOGIN_LINK_LIFETIME
    token = tokens.sign(SECRET, 'login', {'r': 7, 'v': 1, 'exp': int(expires.timestamp())})
    assert tokens.verify(SECRET, 'login', token, at=expires)['r'] == 7
    with pytest.raises(DomainError) as e:
        tokens.verify(SECRET, 'login', token, at=expires + timedelta(seconds=1))
    assert _code(e) == 'token_expired'
    assert '过期' in e.value.message


def test_sign_in_links_last_fourteen_days() -> None:
    assert timedelta(days=14) == tokens.LOGIN_LINK_LIFETIME


def test_unknown_purposes_cannot_be_signed() -> None:
    with pytest.raises(ValueError):
        tokens.sign(SECRET, 'admin', {'r': 1})
