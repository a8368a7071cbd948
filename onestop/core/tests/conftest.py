"""Fixtures of the core tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def private_root(settings: Any, tmp_path: Path) -> Path:
    """A private files folder of the test's own (the document tests look inside it)."""
    root = tmp_path / "private"
    settings.ONESTOP_PRIVATE_MEDIA_ROOT = root
    return root
