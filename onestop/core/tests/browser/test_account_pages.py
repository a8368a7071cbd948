"""API tokens and the audit log in a real browser: layout, the one-time token panel, revoking."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from onestop.conftest import CAST_PASSWORD, make_user
from onestop.core import services
from onestop.core.roles import Role

pytestmark = pytest.mark.browser


def _sign_in_in_english(page, email: str, t) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(CAST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signing in brings back the language the user chose last time: choose English again.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_create_copy_and_revoke_an_api_token(browser_page, t):
    page = browser_page
    make_user("owner@example.com", Role.ENTERPRISE, display_name="王芳")
    _sign_in_in_english(page, "owner@example.com", t)
    page.get_by_role("link", name="API tokens", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    page.get_by_label("Token name").fill("nightly report")
    page.get_by_label("Valid for (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token")
    expect(token).to_have_text(re.compile(r"^os_[0-9a-f]{12}_"))
    expect(page.locator(".govuk-warning-text")).to_contain_text("shown only once")
    page.shot("01-token-created")

    page.goto("/accounts/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    row = page.get_by_role("row", name=re.compile("nightly report"))
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The token is revoked"
    )
    expect(page.get_by_role("row", name=re.compile("nightly report"))).to_contain_text("Revoked")
    page.shot("02-token-revoked")


def test_city_admin_filters_the_audit_log(browser_page, t):
    page = browser_page
    admin = make_user("admin@example.com", Role.CITY_ADMIN, display_name="City Admin")
    services.user_set_language(user=admin, language="en")
    services.user_set_language(user=admin, language="zh-hans")
    _sign_in_in_english(page, "admin@example.com", t)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    page.get_by_label("Action starts with").fill("user.set_language")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=user.set_language"))
    table = page.locator("table.govuk-table")
    # Three changes of language: two here, one when signing in with English chosen.
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").last).to_contain_text(re.compile(r"language: zh-hans\s*→"))
    page.shot("01-filtered")
