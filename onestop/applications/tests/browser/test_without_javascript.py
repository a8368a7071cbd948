"""The applications pages work without JavaScript and by keyboard alone: an applicant uploads
a document and submits; an officer opens the case and returns it for correction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from onestop.applications.models import Application, CaseState
from onestop.applications.tests.helpers import (
    MINI_ANSWERS,
    mini_catalogue,
    pdf_bytes,
    submitted_mini,
)
from onestop.conftest import build_cast

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    settings.ONESTOP_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cast = build_cast()
    return cast, mini_catalogue(cast.agency_a, cast.agency_b)


def _signed_in(new_browser_page: Any, live_server: Any, user: Any, **options: Any) -> Any:
    client = Client()
    client.force_login(user)
    page = new_browser_page(**options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    return page


def test_apply_and_return_a_case_without_javascript_by_keyboard(
    world: Any, new_browser_page: Any, live_server: Any, t: Any
) -> None:
    cast, mini = world
    from onestop.applications import services

    draft = services.application_start(
        actor=cast.owner, journey=mini.journey, answers=dict(MINI_ANSWERS)
    )
    page = _signed_in(new_browser_page, live_server, cast.owner, java_script_enabled=False)
    page.goto(f"/applications/{draft.reference}/")
    # Keyboard only: tab to the first document's link and follow it with Enter.
    first = draft.documents.filter(obtainable_from_other_agency=False).order_by("pk").first()
    assert first is not None
    link = page.locator(f"a[href$='/documents/{first.pk}/']")
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the document link cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    expect(page.locator("input[type='file']")).to_be_visible()
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "id.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("id")}]
    )
    page.locator("input[type='file']").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Upload button
    expect(page.get_by_test_id("documents")).to_contain_text("id.pdf")
    page.shot("task-list-no-js")

    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = application.cases.get(agency=cast.agency_a)
    officer = _signed_in(new_browser_page, live_server, cast.officer_a, java_script_enabled=False)
    officer.goto(f"/officer/cases/{case.pk}/")
    officer.locator("summary", has_text=t("Return for correction", "en")).click()
    officer.get_by_label(t("What the applicant must correct", "en")).fill("Sign the form.")
    officer.locator("form:has(input[value='return']) button[type='submit']").press("Enter")
    expect(officer.get_by_test_id("state")).to_have_text(t("Correction requested", "en"))
    officer.shot("returned-no-js")
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED
    assert Application.objects.count() == 2
