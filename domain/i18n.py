"""One translation function: Simplified Chinese is the key and the default; English comes from a catalogue.

The catalogue is the package `domain.locale_en`: every module in it defines `EN: dict[str, str]`, so each
feature keeps its own strings. The UI layer tells us the current language with `set_language_source`.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

LANGUAGES = {'zh': '简体中文', 'en': 'English'}

_language_source: Callable[[], str] = lambda: 'zh'  # noqa: E731
_catalogue: dict[str, str] | None = None


def catalogue() -> dict[str, str]:
    """The merged English catalogue (zh → en)."""
    global _catalogue
    if _catalogue is None:
        from domain import locale_en
        merged: dict[str, str] = {}
        for info in pkgutil.iter_modules(locale_en.__path__):
            merged.update(importlib.import_module(f'domain.locale_en.{info.name}').EN)
        _catalogue = merged
    return _catalogue


def set_language_source(source: Callable[[], str]) -> None:
    """Register how to find the current user's language ('zh' or 'en')."""
    global _language_source
    _language_source = source


def current_language() -> str:
    try:
        language = _language_source()
    except Exception:  # no user context (a script, a background task): fall back to Chinese
        return 'zh'
    return language if language in LANGUAGES else 'zh'


def t(text: str, /, *, lang: str | None = None, **params: object) -> str:
    """Translate a Chinese UI string and fill in `{named}` parameters."""
    language = lang or current_language()
    if language == 'en':
        text = catalogue().get(text, text)
    return text.format(**params) if params else text
