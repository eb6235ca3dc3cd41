"""One module per screen or screen group; each exposes `register()`, called by main.py on every build.

Routes are registered from a function (not at import time) because NiceGUI's test fixtures reset the app
between tests while Python keeps the imported modules.
"""
from __future__ import annotations

import importlib
import pkgutil


def register_all() -> None:
    """Import every page module first (API modules add endpoints to the shared router), then register each."""
    modules = [importlib.import_module(f'{__name__}.{info.name}')
               for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)]
    for module in modules:
        register = getattr(module, 'register', None)
        if callable(register):
            register()
