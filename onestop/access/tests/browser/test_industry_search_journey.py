"""Someone looks up the catering industry by typing pinyin, opens it, and reads it in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from onestop.access.services.industries import industries_import_file

pytestmark = pytest.mark.browser

ZH = "zh-hans"
EN = "en"
SEARCH_LABEL = "Search by code, Chinese name, pinyin or English"


@pytest.fixture
def classification(transactional_db: None) -> None:
    industries_import_file()


def test_type_pinyin_open_catering_see_children_switch_to_english(classification, browser_page, t):
    page = browser_page

    # 1. The classification, in Chinese by default: a search box and the 20 sections.
    page.goto("/industries/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Industry classification", ZH))
    expect(page.get_by_role("link", name="住宿和餐饮业")).to_be_visible()
    page.shot("01-index-zh")

    # 2. Typing pinyin updates the results as you type (htmx), without submitting the form.
    box = page.get_by_label(t(SEARCH_LABEL, ZH))
    page.evaluate("window.samePage = true")  # gone if the browser loaded a new page
    box.press_sequentially("canyin", delay=40)
    results = page.locator("#industry-results")
    expect(results.get_by_role("link", name="餐饮业", exact=True)).to_be_visible()
    # The address shows the query (replaced, not a new history entry), so a reload keeps it.
    expect(page).to_have_url(re.compile(r"/industries/\?q=canyin$"))
    assert page.evaluate("window.samePage === true")
    first_row = results.locator("tbody tr").first
    expect(first_row).to_contain_text("62")
    page.shot("02-typed-canyin")

    # 3. Open 餐饮业: its section above it, its groups below.
    results.get_by_role("link", name="餐饮业", exact=True).click()
    expect(page).to_have_url(re.compile(r"/industries/62/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("餐饮业")
    breadcrumbs = page.locator(".govuk-breadcrumbs")
    expect(breadcrumbs).to_contain_text("H")
    expect(breadcrumbs).to_contain_text("住宿和餐饮业")
    children = page.locator("table.govuk-table tbody")
    for name in ("正餐服务", "快餐服务", "饮料及冷饮服务", "餐饮配送及外卖送餐服务", "其他餐饮业"):
        expect(children.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.shot("03-catering-zh")

    # 4. Switch to English: the official English name, and the groups without one say so.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catering Services")
    expect(page.locator(".govuk-breadcrumbs")).to_contain_text("Accommodation and Catering")
    expect(page.locator(".onestop-no-english").first).to_have_text("No official English name")
    page.shot("04-catering-en")

    # 5. A group without an English name: the Chinese name, and a visible notice.
    page.get_by_role("link", name=re.compile("正餐服务")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("正餐服务")
    expect(page.locator("#no-english-name")).to_contain_text("No official English name")
    page.shot("05-group-en-no-english-name")


def test_search_works_without_javascript(classification, new_browser_page, t):
    page = new_browser_page(java_script_enabled=False)
    page.goto("/industries/")
    page.get_by_label(t(SEARCH_LABEL, ZH)).fill("cy")
    page.get_by_role("button", name=t("Search", ZH)).click()
    expect(page).to_have_url(re.compile(r"/industries/\?q=cy$"))
    results = page.locator("#industry-results")
    expect(results.get_by_role("link", name="餐饮业", exact=True)).to_be_visible()
    page.shot("01-no-js-results")


def test_on_a_phone_nothing_scrolls_sideways(classification, new_browser_page):
    page = new_browser_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    for step, url in (("01-search", "/industries/?q=canyin"), ("02-class", "/industries/6241/")):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.shot(step)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide on a 360px screen"
