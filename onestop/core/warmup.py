"""Work a web server does once before it forks its workers, so a new worker answers its first
request as fast as its hundredth.

Apps register a callable in their ``AppConfig.ready()``; ``onestop serve`` runs them all in the
master process after loading the application, then closes every database connection (a
connection must never cross a fork). A failing warm-up is logged and skipped: the worker then
does the same work on its first request, as it would without warming.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import translation

logger = logging.getLogger(__name__)

_registered: list[Callable[[], object]] = []


def register(warm: Callable[[], object]) -> None:
    if warm not in _registered:
        _registered.append(warm)


def warm_languages() -> None:
    """Load the translation catalogues of every language."""
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("OneStop")


def run_all() -> list[str]:
    """Run every warm-up; the names of those that failed."""
    failed = []
    for warm in [warm_languages, *_registered]:
        name = getattr(warm, "__qualname__", repr(warm))
        try:
            warm()
        except Exception:
            logger.warning(
                "Warm-up %s failed; workers will do it on first use.", name, exc_info=True
            )
            failed.append(name)
    return failed
