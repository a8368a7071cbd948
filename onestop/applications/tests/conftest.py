"""Fixtures of the applications tests: private media in a temporary folder, the small
two-agency catalogue, officers with each level, and the shipped catalogue and editions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401
from onestop.applications.tests.helpers import Mini, mini_catalogue
from onestop.conftest import Cast, make_user
from onestop.core.models import User
from onestop.core.roles import OfficerLevel, Role


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.ONESTOP_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def english(settings: Any) -> Any:
    """For tests that read English wording."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mini(cast: Cast) -> Mini:
    return mini_catalogue(cast.agency_a, cast.agency_b)


@dataclass
class Officers:
    clerk_a: User
    reviewer_a: User
    head_a: User
    clerk_b: User
    reviewer_b: User
    head_b: User


@pytest.fixture
def officers(cast: Cast) -> Officers:
    def officer(name: str, agency: Any, level: str) -> User:
        return make_user(f"{name}@example.com", Role.OFFICER, agency=agency, officer_level=level)

    return Officers(
        clerk_a=cast.officer_a,
        reviewer_a=officer("reviewer-a", cast.agency_a, OfficerLevel.REVIEWER),
        head_a=officer("head-a", cast.agency_a, OfficerLevel.HEAD),
        clerk_b=cast.officer_b,
        reviewer_b=officer("reviewer-b", cast.agency_b, OfficerLevel.REVIEWER),
        head_b=officer("head-b", cast.agency_b, OfficerLevel.HEAD),
    )


@pytest.fixture
def catalogue(db: None) -> None:
    """The shipped catalogue (50 Beijing procedures, 10 journeys)."""
    from onestop.catalogue.importer import catalogue_import

    catalogue_import(actor=None)
