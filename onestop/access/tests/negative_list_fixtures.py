"""Fixtures for the negative-list tests: the shipped classification and editions, loaded once
per test module inside a transaction that is rolled back afterwards.

Import them into a test module: ``from onestop.access.tests.negative_list_fixtures import
access_world  # noqa: F401``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from onestop.access.models import Edition, IndustryClass
from onestop.access.services.checker_data import checker_data_invalidate
from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import editions_import_shipped


@pytest.fixture(scope="module")
def access_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Edition]]:
    """GB/T 4754-2017 and the 2020 national and FTZ editions, for the whole module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            if not IndustryClass.objects.exists():
                industries_import_file()
            editions = [result.edition for result in editions_import_shipped()]
            checker_data_invalidate()
            yield editions
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            checker_data_invalidate()
            connection.close_if_unusable_or_obsolete()


@pytest.fixture
def access_data(access_world: list[Edition], db: None) -> list[Edition]:
    """Per test: the module's data, with the checker's snapshot rebuilt from it."""
    checker_data_invalidate()
    return access_world
