"""Fixtures of the policy tests."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture
def english(settings: object) -> object:
    """For tests that read English wording: services in English, pages default to English."""
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield
