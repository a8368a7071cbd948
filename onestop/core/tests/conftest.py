"""Core tests keep uploaded documents in a temporary folder, never in ./var/private."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def _private_media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, _private_media_dir: Path) -> None:
    settings.ONESTOP_PRIVATE_MEDIA_ROOT = _private_media_dir
