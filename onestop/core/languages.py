"""Saying one thing in every language of the site.

Messages that are stored and read later (an import's row errors, say) are kept in each
language, so an officer reading in English sees English even when the import ran in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def each_language(render: Callable[[], str]) -> dict[str, str]:
    """``render()`` called once per site language, with that language active."""
    texts = {}
    for language in site_languages():
        with translation.override(language):
            texts[language] = str(render())
    return texts


def in_language(texts: dict[str, str] | None, fallback: str = "") -> str:
    """The text for the active language out of ``texts`` (from ``each_language``), else the
    default language's, else ``fallback`` (records stored before texts were kept per language)."""
    if not texts:
        return fallback
    active = translation.get_language() or settings.LANGUAGE_CODE
    return texts.get(active) or texts.get(settings.LANGUAGE_CODE) or fallback
