"""J2, first half: an investor plans a wholly foreign-owned restaurant in Chaoyang with the
licence finder, one question per page, and gets the procedures in stages, in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from onestop.catalogue.importer import catalogue_import
from onestop.catalogue.models import Journey

pytestmark = pytest.mark.browser

ANSWERS: dict[str, Any] = {
    "district": "110105",  # Chaoyang
    "foreign_share": "100",
    "small_restaurant": "no",
    "chain_restaurant": "no",
    "public_gathering_place": "yes",
    "renovation": "yes",
    "discharges_sewage_to_network": "yes",
    "employs_staff": "yes",
    "activities": [],
    "annual_vat_sales_cny": "2000000",
}


@pytest.fixture
def catalogue(transactional_db: None) -> None:
    catalogue_import(actor=None)


def _label(question: dict[str, Any], language: str) -> str:
    return str(question["label_en"] if language == "en" else question["label_zh"])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_wfoe_restaurant_in_chaoyang(
    catalogue: None, browser_page: Any, t: Any, language: str
) -> None:
    page = browser_page
    journey = Journey.objects.get(code="open_restaurant")
    page.goto("/services/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    # The link's words sit inside a longer translated sentence: find it by where it goes.
    page.locator("main a[href='/services/finder/']").first.click()

    # What do you want to do? -> open a restaurant
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("What do you want to do?", language)
    )
    page.get_by_label(journey.name_en if language == "en" else journey.name_zh).check()
    page.shot(f"{language}-01-start")
    page.get_by_role("button", name=t("Start", language)).click()

    # One question per page.
    for step, question in enumerate(journey.questions, start=1):
        expect(page).to_have_url(re.compile(rf"/services/finder/open_restaurant/{step}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(_label(question, language))
        answer = ANSWERS[question["key"]]
        if question["type"] in ("number", "percent"):
            page.get_by_label(_label(question, language)).fill(answer)
        elif question["type"] in ("bool", "choice"):
            page.locator(f"input[name='{question['key']}'][value='{answer}']").check()
        if step in (1, 2):
            page.shot(f"{language}-02-question-{step}")
        page.get_by_role("button", name=t("Continue", language)).click()

    # Check your answers.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your answers", language))
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "朝阳区" if language != "en" else "Chaoyang District"
    )
    page.shot(f"{language}-03-check")
    page.get_by_role("button", name=t("Show my procedures", language)).click()

    # The plan: stages, reasons, time on the critical path, documents once each.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your procedures", language))
    expect(page.get_by_test_id("step-count")).to_have_text("17")
    expect(page.get_by_test_id("days")).to_contain_text("23")
    expect(
        page.get_by_role("heading", name=t("Stage %(number)s", language, number=4))
    ).to_be_visible()
    food = "Food business licence (catering)" if language == "en" else "食品经营许可（餐饮服务）"  # noqa: RUF001
    card = page.locator(".govuk-summary-card").filter(has=page.get_by_role("link", name=food))
    expect(card).to_contain_text("catering")
    expect(card.locator(".govuk-tag--red")).to_be_visible()  # on the critical path
    licence = "Business licence" if language == "en" else "营业执照"
    rows = page.locator("table.govuk-table tbody tr").filter(
        has=page.get_by_role("cell", name=re.compile(rf"^{licence}"))
    )
    expect(rows).to_have_count(1)
    page.shot(f"{language}-04-plan", full_page=False)
    card.scroll_into_view_if_needed()
    page.shot(f"{language}-05-stage", full_page=False)
    rows.first.scroll_into_view_if_needed()
    page.shot(f"{language}-06-documents", full_page=False)
