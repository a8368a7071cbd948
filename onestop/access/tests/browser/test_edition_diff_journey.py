"""Comparing two editions in a browser: a policy officer picks the FTZ lists of 2020 and 2021 and
sees what was removed, and the social-survey ban that moved into the market-research item as a
33 % cap, in both languages. Screenshots: test-artifacts/screenshots/test_edition_diff_*.png."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import editions_import_shipped

pytestmark = pytest.mark.browser


@pytest.fixture
def lists(transactional_db: None) -> None:
    industries_import_file()
    editions_import_shipped()


def _compare(page: Any, t: Callable[..., str], language: str) -> None:
    page.get_by_label(t("Earlier edition", language), exact=True).select_option("ftz-2020")
    page.get_by_label(t("Later edition", language), exact=True).select_option("ftz-2021")
    page.get_by_role("button", name=t("Compare", language), exact=True).click()


def _item_row(page: Any, key: str) -> Any:
    per_item = page.get_by_role("table").first
    return per_item.get_by_role("row").filter(has=page.locator("code", has_text=key))


def _code_row(page: Any, code: str) -> Any:
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=code, exact=True))


def test_edition_diff_shows_a_moved_measure_in_both_languages(
    lists: None, browser_page: Any, t: Callable[..., str]
) -> None:
    page = browser_page

    page.goto("/access/diff/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Compare two editions", "zh-hans"))
    _compare(page, t, "zh-hans")
    moved = _item_row(page, "social_survey")
    expect(moved).to_contain_text("改列他条")
    expect(moved).to_contain_text("现为第14条的一部分。措施本身：放宽。")  # noqa: RUF001 - Chinese punctuation
    # The code the measure covers moved with it: one row, relaxed, naming both items.
    code_row = _code_row(page, "7249")
    expect(code_row).to_have_count(1)
    expect(code_row).to_contain_text("放宽")
    # Each item by its number in the edition that has it, linked.
    expect(code_row).to_contain_text("#14 market_research")
    expect(code_row).to_contain_text("#17 social_survey (较早版本)")
    expect(code_row).to_contain_text("其他专业咨询与调查")
    page.shot("01-zh-ftz-2020-to-2021")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/access/diff/")
    _compare(page, t, "en")
    moved = _item_row(page, "social_survey")
    expect(moved).to_contain_text("moved")
    expect(moved).to_contain_text("Now a part of item #14. The measure itself: relaxed.")
    english_code_row = _code_row(page, "7249")
    expect(english_code_row).to_contain_text("relaxed")
    # GB/T 4754 gives no English name for 7249: the Chinese one, and the page says so.
    expect(english_code_row).to_contain_text("No official English name")
    # Its other side links to the item that holds it now.
    moved.get_by_role("link", name="#14").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("14")
    page.shot("02-en-item-14")
