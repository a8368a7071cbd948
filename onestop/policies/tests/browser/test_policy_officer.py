"""The policy officer: writes a rule, sees a syntax error at its line and column as they type,
then the live count of matching enterprises and a sample, publishes after a confirmation, and
reads the take-up statistics (an SVG chart with the same numbers in a table)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from onestop.conftest import make_user
from onestop.core.models import Agency
from onestop.core.roles import OfficerLevel, Role
from onestop.core.services import user_set_language
from onestop.policies.models import Policy, PolicyMatch, PolicyStatus
from onestop.policies.services import policies_match_run, policy_match_confirm, policy_save
from onestop.policies.tests.browser.test_j4_support import PHONE, no_sideways_scroll, sign_in
from onestop.policies.tests.page_data import catering_sme, policy_values

pytestmark = pytest.mark.browser

BAD_RULE = "enterprise.industry_section == 'H'\n&& enterprise.size in ['micro', 'small'"
GOOD_RULE = "enterprise.industry_section == 'H'\n&& enterprise.size in ['micro', 'small']"


def _setup(language: str) -> tuple[Any, Any, Policy]:
    agency = Agency.objects.create(
        code="bj-commerce", name_zh="北京市商务局", name_en="Beijing Municipal Commerce Bureau"
    )
    officer = make_user(
        "officer@commerce.example",
        Role.OFFICER,
        agency=agency,
        officer_level=OfficerLevel.CLERK,
        display_name="李明",
    )
    user_set_language(user=officer, language=language)
    owner = make_user("owner@catering.example", Role.ENTERPRISE, display_name="王丽")
    enterprise = catering_sme(owner=owner)
    policies_match_run(actor=None)  # the screening table now holds the register
    draft = policy_save(
        actor=officer,
        policy=None,
        code="catering-relief",
        agency=agency,
        legal_basis=[],
        **policy_values(rule="enterprise.industry_division == '61'"),
    )
    return officer, (owner, enterprise), draft


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_write_check_publish_and_read_the_statistics(
    new_browser_page: Any, t: Any, language: str
) -> None:
    officer, (owner, enterprise), draft = _setup(language)
    page = new_browser_page()
    sign_in(page, officer.email)
    page.goto("/policies/manage/")
    page.get_by_role("link", name=re.compile(t("Change", language))).first.click()
    expect(page).to_have_url(re.compile(r"/policies/catering-relief/edit/$"))
    page.wait_for_load_state("load")  # htmx is listening from here on

    # A syntax error appears as the officer types: line and column, and a caret under it.
    rule = page.locator("#id_rule")
    rule.fill(BAD_RULE)
    problems = page.get_by_test_id("rule-problems")
    where = t(
        "Line %(line)s, column %(column)s: %(message)s", language, line=2, column="\0", message=""
    ).split("\0")[0]
    expect(problems).to_contain_text(where)
    expect(problems.locator("pre")).to_contain_text("^")
    page.shot("01-syntax-error")

    # Corrected: how many enterprises match, and a sample.
    rule.fill(GOOD_RULE)
    count = page.get_by_test_id("match-count")
    expect(count).to_contain_text("1")
    expect(page.get_by_test_id("rule-check")).to_contain_text(
        enterprise.localized("name", language)
    )
    page.shot("02-live-count")

    page.get_by_role("button", name=t("Save the draft", language)).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        t("The draft is saved.", language)
    )
    draft.refresh_from_db()
    assert draft.rule == GOOD_RULE  # line ends as typed (the browser sends CRLF)

    # Publishing asks first, with the count it will reach.
    page.get_by_role("link", name=t("Publish…", language)).click()
    expect(page.get_by_test_id("match-count")).to_contain_text("1")
    page.shot("03-publish-question")
    page.get_by_role("button", name=t("Publish the policy", language)).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        t("The policy is published.", language)
    )
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.PUBLISHED

    # The enterprise confirms; the statistics show it as a chart and as a table.
    policies_match_run(actor=None)
    match = PolicyMatch.objects.get(policy=draft, enterprise=enterprise)
    policy_match_confirm(actor=owner, match=match)
    page.get_by_role("link", name=t("Take-up statistics", language)).click()
    expect(page.get_by_test_id("eligible")).to_have_text("1")
    expect(page.get_by_test_id("confirmed")).to_have_text("1")
    chart = page.locator("svg[role='img'][data-testid='funnel']")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_text(t("From eligible to confirmed", language))
    expect(chart.locator("rect")).to_have_count(3)
    table = page.get_by_test_id("funnel-table")
    expect(table.get_by_role("row")).to_have_count(4)
    district = page.locator("svg[data-testid='by-district']")
    expect(district).to_contain_text("朝阳区" if language != "en" else "Chaoyang")
    page.shot("04-statistics")

    phone = new_browser_page(viewport=PHONE)
    sign_in(phone, officer.email)
    phone.goto(f"/policies/{draft.code}/stats/")
    expect(phone.locator("svg[data-testid='funnel']")).to_be_visible()
    no_sideways_scroll(phone)
    phone.shot("05-statistics-phone")


def test_check_button_without_javascript(new_browser_page: Any, t: Any) -> None:
    officer, (_owner, enterprise), draft = _setup("en")
    page = new_browser_page(java_script_enabled=False)
    sign_in(page, officer.email)
    page.goto(f"/policies/{draft.code}/edit/")
    page.locator("#id_rule").fill(BAD_RULE)
    page.get_by_role("button", name=t("Check the rule and count enterprises", "en")).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Line 2, column")
    summary.get_by_role("link").first.click()  # the summary leads to the field
    expect(page.locator("#id_rule_error")).to_contain_text("Line 2, column")
    # A form with errors answers 422, which chromium logs as a failed resource: expected here.
    expected = [p for p in page.problems if "status of 422" in p]
    assert len(expected) == 1, page.problems
    page.problems.remove(expected[0])
    page.shot("01-error-without-js")
    page.locator("#id_rule").fill(GOOD_RULE)
    page.get_by_role("button", name=t("Check the rule and count enterprises", "en")).click()
    expect(page.get_by_test_id("match-count")).to_have_text(
        "1 enterprise in the register matches this rule."
    )
    expect(page.get_by_test_id("rule-check")).to_contain_text(enterprise.name_en)
    draft.refresh_from_db()
    assert draft.rule == "enterprise.industry_division == '61'"  # checking saves nothing
    page.shot("02-count-without-js")
