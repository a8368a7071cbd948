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
from django.utils import timezone

from onestop.access.models import Edition, IndustryClass, Item
from onestop.access.services.checker_data import checker_data_invalidate
from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import edition_import, editions_import_shipped


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


def item_number_today(key: str) -> int:
    """The number of the national item ``key`` in the edition in force today (numbers change
    from edition to edition; tests that check against today's date ask for it by key)."""
    today = timezone.localdate()
    number = (
        Item.objects.filter(key=key, edition__scope="national", edition__effective__lte=today)
        .order_by("-edition__effective")
        .values_list("number", flat=True)
        .first()
    )
    assert number is not None, f"no national item {key!r} in force on {today}"
    return number


def _bi(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def matrix_edition_data(code: str = "matrix-national") -> dict[str, Any]:
    """A one-item edition on class 8760 (the permission matrix's industry branch)."""
    return {
        "format": "onestop.negative-list/1",
        "edition": {
            "code": code,
            "scope": "national",
            "title": _bi("Matrix edition", "矩阵版"),
            "decree": _bi("Decree No. 0", "第0号令"),
            "effective": "2020-07-23",
            "notes": [],
        },
        "items": [
            {
                "number": 1,
                "key": "film",
                "section": _bi("Culture", "文化"),
                "measure": "prohibited",
                "max_foreign_share": 0,
                "summary": _bi("No cinema chains.", "禁止院线公司。"),
                "industries": [{"code": "8760", "coverage": "partial"}],
                "question": {
                    "key": "film",
                    "text": _bi("A cinema chain?", "是否为院线公司"),
                    "options": [
                        {"value": "yes", "label": _bi("Yes", "是"), "applies": "item"},
                        {"value": "no", "label": _bi("No", "否"), "applies": None},
                    ],
                },
            }
        ],
    }


def matrix_edition() -> Edition:
    """Import the one-item edition (the industries of its code must be loaded)."""
    from onestop.access.services.negative_lists import edition_import

    return edition_import(actor=None, data=matrix_edition_data()).edition


def small_item(number: int, key: str, code: str, measure: str, cap: int | None) -> dict[str, Any]:
    """An item that covers the whole class ``code`` (no clarifying question)."""
    return {
        "number": number,
        "key": key,
        "section": _bi("Test section", "测试门类"),
        "measure": measure,
        "max_foreign_share": cap,
        "summary": _bi(f"Test item {key}.", f"测试条目{key}。"),
        "industries": [{"code": code, "coverage": "full"}],
    }


def small_edition_data(
    code: str,
    scope: str,
    effective: str,
    items: list[dict[str, Any]],
    *,
    repeal: str | None = None,
    successor_decree: tuple[str, str] = ("Decree No. 99", "第99号令"),
) -> dict[str, Any]:
    """A throwaway edition for tests of which edition answers (imported inside the test's
    transaction, so it is rolled back afterwards). With ``repeal``, the successor named in
    ``superseded_by`` has the decree ``successor_decree`` (English, Chinese); it is never
    loaded."""
    edition: dict[str, Any] = {
        "code": code,
        "scope": scope,
        "title": _bi(f"Test edition {code}", f"测试版{code}"),
        "decree": _bi(f"Test decree {code}", f"测试令{code}"),
        "effective": effective,
        "notes": [],
    }
    if repeal is not None:
        edition["repeal"] = repeal
        edition["superseded_by"] = {
            "edition": repeal[:4],
            "decree": _bi(*successor_decree),
            "effective": repeal,
            "uncertain": False,
        }
    return {"format": "onestop.negative-list/1", "edition": edition, "items": items}


def import_out_of_date_ftz() -> None:
    """A throwaway FTZ edition in force 2030-01-01, repealed 2031-01-01 by a successor that is
    never loaded ("Decree No. 99"), capping car making (3611) at 50 %."""
    edition_import(
        actor=None,
        data=small_edition_data(
            "ftz-test",
            "ftz",
            "2030-01-01",
            [small_item(1, "auto", "3611", "equity_cap", 50)],
            repeal="2031-01-01",
        ),
    )
