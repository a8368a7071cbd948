from __future__ import annotations

import pytest

from onestop.catalogue.importer import catalogue_import


@pytest.fixture
def catalogue(db: None) -> None:
    """The demo catalogue (50 Beijing procedures, 10 journeys)."""
    catalogue_import(actor=None)
