"""J4: a catering SME hit by the pandemic is told, without applying, that it qualifies for rent
relief, sees exactly why, and for a policy it misses, why not; it confirms in one click.

In both languages, on a desktop and on a phone. The register record, the policies and the
matching run are made through the services (the register's and the policy engine's).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from onestop.conftest import CAST_PASSWORD, make_user
from onestop.core.models import Agency
from onestop.core.roles import Role
from onestop.core.services import user_set_language
from onestop.policies.models import PolicyMatch
from onestop.policies.selectors import explain_for_enterprise
from onestop.policies.tests.page_data import catering_sme, published_policies

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name='username']").fill(email)
    page.locator("input[name='password']").fill(CAST_PASSWORD)
    page.locator("main button[type='submit']").click()
    # Signed in: the menu offers to sign out (folded away behind "Menu" on a phone).
    expect(page.locator("form[action='/accounts/logout/'] button")).to_have_count(1)


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_catering_sme_is_told_why_and_confirms(
    new_browser_page: Any, t: Any, language: str
) -> None:
    owner = make_user("owner@catering.example", Role.ENTERPRISE, display_name="王丽")
    user_set_language(user=owner, language=language)
    enterprise = catering_sme(owner=owner)
    agency = Agency.objects.create(
        code="bj-commerce", name_zh="北京市商务局", name_en="Beijing Municipal Commerce Bureau"
    )
    rent, deep = published_policies(agency=agency)
    with translation.override(language):
        why = [c.sentence for c in explain_for_enterprise(rent, enterprise).clauses if c.passed]
        why_not = [
            c.sentence for c in explain_for_enterprise(deep, enterprise).clauses if not c.passed
        ]
    assert why and len(why_not) == 1

    page = new_browser_page()
    sign_in(page, owner.email)
    expect(page.locator("html")).to_have_attribute("lang", "en" if language == "en" else "zh-Hans")
    # No application anywhere: the menu leads to what the enterprise qualifies for.
    menu = page.get_by_role("navigation", name=t("Menu", language))
    menu.get_by_role("link", name=t("Support for me", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Support for me", language))
    expect(page.get_by_test_id("enterprise")).to_have_text(enterprise.localized("name", language))

    # Rent relief: qualifies, with each reason.
    card = page.locator(f"[data-testid='eligible'][data-policy='{rent.code}']")
    expect(card.get_by_role("heading", level=3)).to_have_text(rent.localized("title", language))
    for sentence in why:
        expect(card.get_by_test_id("why")).to_contain_text(sentence)
    expect(card.get_by_test_id("why")).to_contain_text("38")  # the fall of the revenue
    expect(card).to_contain_text(agency.localized("name", language))
    expect(card).to_contain_text("京政办发〔2020〕7号")  # noqa: RUF001
    expect(card).to_contain_text("2020-02-01")
    page.shot("01-support")

    # The near miss: why not, in one sentence (the revenue fell 38 %, the policy needs 50 %).
    near = page.locator(f"[data-testid='near-miss'][data-policy='{deep.code}']")
    expect(near.get_by_role("heading", level=3)).to_have_text(deep.localized("title", language))
    expect(near.get_by_test_id("why-not")).to_contain_text(why_not[0])
    expect(near.get_by_test_id("why-not")).to_contain_text("50")
    expect(near.get_by_test_id("confirm")).to_have_count(0)
    near.scroll_into_view_if_needed()
    page.shot("02-near-miss", full_page=False)

    # One click.
    card.get_by_test_id("confirm").click()
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text(t("Support confirmed", language))
    match = PolicyMatch.objects.get(policy=rent, enterprise=enterprise)
    assert match.confirmed_at is not None and match.granted_at is not None
    assert match.confirmed_by == owner
    day = timezone.localtime(match.confirmed_at).date().isoformat()
    reference = re.compile(rf"^ZC-{day.replace('-', '')}-{match.pk:06d}$")
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("confirmed-on")).to_contain_text(day)
    page.shot("03-confirmed")

    # Back on the list, the state shows; the button is gone.
    menu.get_by_role("link", name=t("Support for me", language), exact=True).click()
    card = page.locator(f"[data-testid='eligible'][data-policy='{rent.code}']")
    expect(card.get_by_test_id("state")).to_contain_text(day)
    expect(card.get_by_test_id("confirm")).to_have_count(0)
    page.shot("04-state")

    # On a phone: readable, nothing wider than the screen.
    phone = new_browser_page(viewport=PHONE)
    sign_in(phone, owner.email)
    phone.goto("/support/")
    expect(phone.locator(f"[data-testid='near-miss'][data-policy='{deep.code}']")).to_be_visible()
    no_sideways_scroll(phone)
    phone.shot("05-phone")


def test_support_works_without_javascript(new_browser_page: Any, t: Any) -> None:
    owner = make_user("owner@catering.example", Role.ENTERPRISE, display_name="王丽")
    enterprise = catering_sme(owner=owner)
    agency = Agency.objects.create(code="bj-commerce", name_zh="北京市商务局", name_en="Commerce")
    rent, _deep = published_policies(agency=agency)
    page = new_browser_page(java_script_enabled=False)
    sign_in(page, owner.email)
    page.goto("/support/")
    page.locator(f"[data-policy='{rent.code}']").get_by_test_id("confirm").click()
    expect(page.locator(".govuk-panel--confirmation")).to_be_visible()
    match = PolicyMatch.objects.get(policy=rent, enterprise=enterprise)
    assert match.confirmed_at is not None
