"""An enterprise registers, confirms its email, signs in, switches language and reads its inbox.

Visible text is looked up through ``t`` (gettext), so the assertions follow the zh_Hans
translation catalogue instead of repeating its wording.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from onestop.core.models import Notification, User
from onestop.enterprises.validators import credit_code_check_character

pytestmark = pytest.mark.browser

ZH = "zh-hans"
EN = "en"
NAME = "李伟"
EMAIL = "li.wei@example.com"
PASSWORD = "a-long-enough-passphrase"
# A credit code nobody else in the tests uses, with the right check character.
CODE_BODY = "91110105MA01QRTU5"
CREDIT_CODE = CODE_BODY + credit_code_check_character(CODE_BODY)


def _html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_register_verify_sign_in_switch_language_and_read_inbox(browser_page, t, live_server):
    page = browser_page

    # 1. The home page, in Chinese by default.
    page.goto("/")
    assert _html_lang(page) == "zh-Hans"
    expect(page.get_by_role("heading", level=1)).to_have_text("OneStop 一站通")
    page.shot("01-home-zh")

    # 2. One question: enterprise or investor.
    page.get_by_role("link", name=t("Create an account", ZH)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Who are you registering as?", ZH))
    page.get_by_label(t("An enterprise registered in China", ZH)).check()
    page.shot("02-register-start")
    page.get_by_role("button", name=t("Continue", ZH)).click()
    expect(page).to_have_url(re.compile(r"/accounts/register/enterprise/$"))

    # 3. Sending the form empty: an error summary at the top, in Chinese.
    page.get_by_role("button", name=t("Create account", ZH)).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(t("There is a problem", ZH))
    expect(summary).to_contain_text(t("This field is required.", ZH))
    # GOV.UK Frontend moves focus to the summary, and its links move focus to the field.
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    page.shot("03-register-errors-zh")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_enterprise_name_zh"

    # 4. Filling it in properly.
    page.get_by_label(t("Enterprise name in Chinese", ZH), exact=True).fill("北京好味餐饮有限公司")
    page.get_by_label(t("Enterprise name in English (optional)", ZH)).fill("Haowei Catering")
    page.get_by_label(t("Unified social credit code", ZH)).fill(CREDIT_CODE)
    page.get_by_label(t("Your name", ZH), exact=True).fill(NAME)
    page.get_by_label(t("Email address", ZH)).fill(EMAIL)
    page.get_by_label(t("Password", ZH), exact=True).fill(PASSWORD)
    page.shot("04-register-filled")
    page.get_by_role("button", name=t("Create account", ZH)).click()

    # 5. Check your email.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your email", ZH))
    expect(page.locator("main")).to_contain_text(EMAIL)
    page.shot("05-check-email")
    assert User.objects.get(email=EMAIL).email_verified_at is None

    # 6. Signing in before confirming is refused with a message saying what to do.
    page.goto("/accounts/login/")
    page.get_by_label(t("Email address", ZH)).fill(EMAIL)
    page.get_by_label(t("Password", ZH), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", ZH)).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t(
            "Please confirm your email address first: open the link we sent you, or ask for a "
            "new one.",
            ZH,
        )
    )
    page.shot("06-login-refused-unverified")

    # 7. The link in the email confirms the address and leads to sign in.
    assert len(mail.outbox) == 1
    found = re.search(r"(http://\S+/accounts/verify/\S+/)", str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    link = found.group(1)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        t("Your email address is confirmed. You can sign in now.", ZH)
    )
    page.shot("07-verified")

    # 8. Signing in.
    page.get_by_label(t("Email address", ZH)).fill(EMAIL)
    page.get_by_label(t("Password", ZH), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", ZH)).click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("main")).to_contain_text(t("You are signed in as %(name)s.", ZH, name=NAME))
    expect(page.locator(".onestop-badge")).to_contain_text("1")
    page.shot("08-signed-in-zh")

    # 9. Switching to English and back.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text(f"You are signed in as {NAME}.")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    page.shot("09-english")
    assert User.objects.get(email=EMAIL).language == EN

    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("button", name="简体中文")).to_have_attribute("aria-current", "true")
    expect(page.locator("main")).to_contain_text(t("You are signed in as %(name)s.", ZH, name=NAME))
    page.shot("10-back-to-chinese")

    # 10. The inbox has the welcome message, in the current language.
    welcome = Notification.objects.get(recipient__email=EMAIL, kind="core.welcome")
    page.get_by_role("link", name=re.compile(re.escape(t("Inbox", ZH)))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Inbox", ZH))
    item = page.locator(".onestop-inbox__item").first
    expect(item).to_contain_text(welcome.title_zh)
    expect(item).to_contain_text(t("Unread", ZH))
    page.shot("11-inbox-zh")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    expect(page.locator(".onestop-inbox__item").first).to_contain_text(
        f"Welcome to OneStop, {NAME}"
    )
    page.shot("12-inbox-en")

    # 11. Opening the message marks it read; its link leads home.
    page.get_by_role("button", name=re.compile(r"^Open")).first.click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".onestop-badge")).to_have_count(0)
    page.shot("13-read")


def test_home_page_in_chinese_shows_the_chinese_heading(browser_page):
    page = browser_page
    page.goto("/")
    assert _html_lang(page) == "zh-Hans"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    expect(heading).to_have_text("OneStop 一站通")
    # The stylesheet is loaded: GOV.UK's heading size and our CJK font stack on the heading,
    # not the browser's defaults (32px, Times New Roman).
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('h1'));"
        " return {size: s.fontSize, family: s.fontFamily}; })()"
    )
    assert style["size"] == "48px", style
    assert style["family"].startswith('"Noto Sans CJK SC"'), style
    page.shot("home-zh")


def test_pages_fit_a_phone(new_browser_page, t):
    page = new_browser_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    for path, step in [
        ("/", "home"),
        ("/accounts/register/enterprise/", "register"),
        ("/accounts/login/", "login"),
    ]:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
        page.shot(step)
    # The menu folds behind a button on a phone and opens with it.
    toggle = page.get_by_role("button", name=t("Menu", ZH))
    expect(toggle).to_be_visible()
    toggle.click()
    # Exact: in Chinese the menu's 注册 is also part of the page's 注册账号 links.
    menu = page.get_by_role("navigation", name=t("Menu", ZH))
    expect(menu.get_by_role("link", name=t("Register", ZH), exact=True)).to_be_visible()
    page.shot("menu-open")


def test_everything_works_without_javascript(new_browser_page, t):
    page = new_browser_page(java_script_enabled=False)
    page.goto("/accounts/register/")
    page.get_by_label(t("An investor", ZH)).check()
    page.get_by_role("button", name=t("Continue", ZH)).click()
    expect(page).to_have_url(re.compile(r"/accounts/register/investor/$"))
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/accounts/register/investor/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Register as an investor")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_contain_text("This field is required.")
    page.shot("no-js")
