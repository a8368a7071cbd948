from __future__ import annotations

import pytest
from django.utils import translation

from onestop.catalogue.importer import catalogue_import


@pytest.fixture
def catalogue(db: None) -> None:
    """The demo catalogue (50 Beijing procedures, 10 journeys)."""
    catalogue_import(actor=None)


@pytest.fixture
def english(settings: object) -> object:
    """For tests that read English wording: services in English, pages default to English."""
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield
