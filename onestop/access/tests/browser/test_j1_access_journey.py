"""Journey J1: "Can my company own 70 % of a travel agency / a cinema / a restaurant in Beijing,
inside or outside the pilot free trade zone?" -> a verdict with its legal basis, in both
languages. Screenshots: test-artifacts/screenshots/test_j1_*.png."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from onestop.access.services.checker_data import checker_data_invalidate
from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import editions_import_shipped

pytestmark = pytest.mark.browser

ZH = "zh-hans"
EN = "en"


@pytest.fixture
def lists(transactional_db: None) -> None:
    industries_import_file()
    editions_import_shipped()
    checker_data_invalidate()


def _fill_proposal(page: Any, t: Callable[..., str], language: str, *, ftz: bool) -> None:
    page.get_by_label(t("Foreign share (%)", language)).fill("70")
    place = "Inside a pilot free trade zone" if ftz else "Outside a pilot free trade zone"
    page.get_by_label(t(place, language), exact=True).check()
    page.get_by_role("button", name=t("Check", language), exact=True).click()


def test_j1_travel_agency_cinema_restaurant_in_both_languages(
    lists: None, browser_page: Any, t: Callable[..., str]
) -> None:
    page = browser_page

    # 1. Chinese (the default). Travel agency, found by typing (htmx), outside the FTZ.
    page.goto("/access/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Can I invest in this business?", ZH)
    )
    page.locator("#access-q").press_sequentially("旅行社", delay=40)
    option = page.get_by_label(re.compile("7291"))
    expect(option).to_be_visible()
    page.shot("01-zh-search-travel-agency")
    option.check()
    _fill_proposal(page, t, ZH, ftz=False)
    expect(page).to_have_url(re.compile(r"/access/result/\?.*industry=7291.*foreign_share=70"))
    expect(page.locator("#verdict")).to_have_text(t("Yes, allowed", ZH))
    expect(page.get_by_role("link", name=re.compile("外商投资准入特别管理措施"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("2024年版"))).to_be_visible()
    expect(page.locator(".govuk-inset-text").last).to_contain_text(
        t("Find the licences you need", ZH)
    )
    page.shot("02-zh-travel-agency-yes")

    # 2. A cinema, inside the FTZ, by the search step that works without JS: it depends
    #    (a cinema-chain company is prohibited, a single cinema is not); answer, then allowed.
    page.goto("/access/?q=电影放映")
    page.get_by_label(re.compile("8760")).check()
    _fill_proposal(page, t, ZH, ftz=True)
    expect(page.locator("#verdict")).to_have_text(t("It depends", ZH))
    # Today the 2021 FTZ edition (Decree No. 48) answers: it is in force, so no warning.
    expect(page.get_by_role("link", name=re.compile("自由贸易试验区.*2021年版"))).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    expect(page.get_by_text("院线", exact=False).first).to_be_visible()
    page.shot("03-zh-cinema-depends")
    # "Continue" without an answer: the page says which question needs one, and its link
    # moves to the first answer.
    page.get_by_role("button", name=t("Continue", ZH)).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(t("There is a problem", ZH))
    summary.get_by_role("link").first.click()
    expect(
        page.get_by_role("group", name=re.compile("院线")).get_by_role("radio").first
    ).to_be_focused()
    page.shot("03b-zh-cinema-unanswered")
    page.get_by_role("group", name=re.compile("院线")).get_by_label("否", exact=True).check()
    page.get_by_role("button", name=t("Continue", ZH)).click()
    expect(page.locator("#verdict")).to_have_text(t("Yes, allowed", ZH))
    expect(page).to_have_url(re.compile(r"answer_film=no"))
    page.shot("04-zh-cinema-single-yes")

    # 3. English. The same cinema as a cinema-chain company: prohibited, with the item.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(page.url.replace("answer_film=no", "answer_film=yes"))
    expect(page.locator("#verdict")).to_have_text("No, not allowed as proposed")
    expect(page.get_by_role("link", name="Item 25")).to_be_visible()
    expect(page.get_by_text("Pilot Free Trade Zones (2021 Edition)").first).to_be_visible()
    page.shot("05-en-cinema-chain-no")

    # 4. A restaurant, 70 %, outside the FTZ, by its code: permitted, and the same inside.
    page.goto("/access/")
    page.get_by_text("I know the industry code").click()
    page.get_by_label("Industry code", exact=True).fill("6210")
    _fill_proposal(page, t, EN, ftz=False)
    expect(page.locator("#verdict")).to_have_text("Yes, allowed")
    expect(page.get_by_text("No item of the list covers this activity")).to_be_visible()
    expect(
        page.get_by_text(
            "Special Administrative Measures (Negative List) for Foreign "
            "Investment Access (2024 Edition)"
        ).first
    ).to_be_visible()
    page.shot("06-en-restaurant-yes")

    # 5. The printed answer leaves the menus out.
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    page.shot("07-en-restaurant-print")
