"""Fixtures of the access tests: the industry search index starts empty for every test, and
``classification`` imports the whole shipped GB/T 4754-2017 table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onestop.access.selectors.industries import industry_index_invalidate
from onestop.access.services.industries import IndustryImportReport, industries_import_file


@pytest.fixture(autouse=True)
def _fresh_industry_index() -> Iterator[None]:
    """The in-memory index outlives a test's database transaction: start and end clean."""
    industry_index_invalidate()
    yield
    industry_index_invalidate()


@pytest.fixture
def classification(db: None) -> IndustryImportReport:
    return industries_import_file()
