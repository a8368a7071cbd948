"""A city administrator imports a negative-list edition in the back office: a file with errors
is refused with every problem listed (in Chinese, then in English), then a good file opens the
new edition's page. Screenshots: test-artifacts/screenshots/test_edition_import_*.png."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from onestop.access.models import Edition
from onestop.access.services.checker_data import checker_data_invalidate
from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import SHIPPED_DIR, editions_import_shipped
from onestop.access.tests.negative_list_fixtures import matrix_edition_data
from onestop.conftest import Cast, build_cast

TITLE_ZH = "试点负面清单（2021年版）"  # noqa: RUF001 - Chinese titles use full-width brackets

pytestmark = pytest.mark.browser

ZH = "zh-hans"
EN = "en"


@pytest.fixture
def world(transactional_db: None) -> Cast:
    industries_import_file()
    editions_import_shipped()
    checker_data_invalidate()
    return build_cast()


def _signed_in(new_browser_page: Any, live_server: Any, user: Any, language: str) -> Any:
    client = Client()
    client.force_login(user)
    page = new_browser_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return page


def _bad_file(folder: Path) -> Path:
    data = json.loads((SHIPPED_DIR / "negative_list_national_2020.json").read_text("utf-8"))
    data["items"][3]["measure"] = "forbidden"
    data["items"][0]["industries"].append({"code": "9999", "coverage": "full"})
    path = folder / "有错误的清单.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _good_file(folder: Path) -> Path:
    data = matrix_edition_data("pilot-2021")
    data["edition"]["title"] = {
        "zh": TITLE_ZH,
        "en": "Pilot negative list (2021)",
    }
    path = folder / "试点清单.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _upload(page: Any, t: Callable[..., str], language: str, path: Path) -> None:
    page.get_by_label(t("Edition file", language)).set_input_files(str(path))
    page.get_by_role("button", name=t("Check and import", language)).click()


def _expect_problems(page: Any, t: Callable[..., str], language: str) -> None:
    """The refused file's page (status 422, which Chromium logs as a console error: that one
    is expected and taken off the page's problems)."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(t("There is a problem", language))
    expect(summary).to_contain_text(
        t("The edition file was not imported: it has errors.", language)
    )
    expect(summary).to_contain_text("items.3.measure")
    expect(summary).to_contain_text("items.0.industries.3.code")
    expect(summary.locator("li")).to_have_count(3)
    logged = [p for p in page.problems if "status of 422" in p]
    assert len(logged) == 1, page.problems
    page.problems.remove(logged[0])


def test_edition_import_bad_file_then_good_file(
    world: Cast, new_browser_page: Any, live_server: Any, t: Callable[..., str], tmp_path: Path
) -> None:
    national = Edition.objects.get(code="national-2020")
    items_before = list(national.items.order_by("pk").values_list("pk", "measure"))
    page = _signed_in(new_browser_page, live_server, world.city_admin, ZH)

    # 1. From the editions list (Chinese), to the import page.
    page.goto("/access/editions/")
    page.get_by_role("button", name=t("Import an edition", ZH)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Import a negative-list edition", ZH)
    )
    page.shot("01-zh-form")

    # 2. A file with errors: every problem listed, in Chinese; nothing changed.
    _upload(page, t, ZH, _bad_file(tmp_path))
    _expect_problems(page, t, ZH)
    expect(page.locator(".govuk-error-summary")).to_contain_text("9999")
    expect(page).to_have_title(re.compile("^" + re.escape(t("Error:", ZH))))
    page.shot("02-zh-errors")

    # 3. The same in English.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _upload(page, t, EN, _bad_file(tmp_path))
    _expect_problems(page, t, EN)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "9999 is not a GB/T 4754-2017 code."
    )
    page.shot("03-en-errors")
    assert list(national.items.order_by("pk").values_list("pk", "measure")) == items_before
    assert not Edition.objects.filter(code="pilot-2021").exists()

    # 4. A good file: the new edition's page, with the success banner (back in Chinese).
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    _upload(page, t, ZH, _good_file(tmp_path))
    edition = Edition.objects.get(code="pilot-2021")
    expect(page).to_have_url(re.compile(rf"/access/editions/{edition.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_ZH)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(
        t("The edition %(code)s is imported, with %(count)s item.", ZH, code="pilot-2021", count=1)
    )
    page.shot("04-zh-imported")
