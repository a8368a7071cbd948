"""Fixtures of the register tests."""

from __future__ import annotations

import pytest

from onestop.enterprises.tests.factories import load_industry_classes


@pytest.fixture
def industries(db: None) -> int:
    """The GB/T 4754-2017 classes in the database (the register validates codes against them)."""
    return load_industry_classes()
