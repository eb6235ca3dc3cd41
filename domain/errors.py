"""The one error type services raise: a stable code for tests and integrations, a Chinese message for people."""
from __future__ import annotations

from domain.i18n import t


class DomainError(Exception):
    """`code` is stable (tests assert it); `message` is plain Chinese (pages show it, translated)."""

    def __init__(self, code: str, message: str, /, **params: object) -> None:
        self.code = code
        self.template = message
        self.params = params
        super().__init__(f'{code}: {message.format(**params) if params else message}')

    @property
    def message(self) -> str:
        return t(self.template, **self.params)
