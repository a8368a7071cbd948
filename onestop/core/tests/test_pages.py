"""The server-rendered pages: who sees what, forms with GOV.UK errors, language, CSP."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from onestop.core import services
from onestop.core.models import ApiToken, AuditEntry, Notification, User
from onestop.enterprises.models import Enterprise
from onestop.enterprises.validators import credit_code_check_character

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = "onestop_language"


def _fresh_credit_code(body: str = "91110105MA01PGTW7") -> str:
    return body + credit_code_check_character(body)


def _english(client: Client) -> Client:
    client.cookies[LANGUAGE_COOKIE] = "en"
    return client


def _text(response) -> str:
    return response.content.decode()


def _enterprise_form(**overrides: str) -> dict[str, str]:
    data = {
        "enterprise_name_zh": "北京好味餐饮有限公司",
        "enterprise_name_en": "Haowei Catering",
        "credit_code": _fresh_credit_code(),
        "display_name": "李伟",
        "email": "li.wei@example.com",
        "password": "a-long-enough-passphrase",
    }
    data.update(overrides)
    return data


# ----- every page renders for the right person ---------------------------------------------

ANONYMOUS_PAGES = [
    ("core:home", {}),
    ("core:register_start", {}),
    ("core:register", {"kind": "enterprise"}),
    ("core:register", {"kind": "investor"}),
    ("core:register_done", {}),
    ("core:login", {}),
    ("core:resend_verification", {}),
    ("core:password_reset", {}),
    ("core:password_reset_done", {}),
    ("core:password_reset_complete", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), ANONYMOUS_PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_render_in_both_languages(client, name, kwargs, language):
    client.cookies[LANGUAGE_COOKIE] = language
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    html_lang = "en" if language == "en" else "zh-Hans"
    assert f'<html lang="{html_lang}"' in _text(response)
    assert "OneStop 一站通" in _text(response)


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("owner", "core:home"),
        ("owner", "core:inbox"),
        ("owner", "core:api_tokens"),
        ("investor", "core:inbox"),
        ("officer_a", "core:api_tokens"),
        ("city_admin", "core:audit_log"),
    ],
)
def test_signed_in_pages_render(client, cast, who, name):
    client.force_login(cast.member(who))
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Sign out" in _text(_english(client).get(reverse(name)))


def test_the_menu_shows_the_audit_log_only_to_those_who_may_see_it(client, cast):
    _english(client)
    client.force_login(cast.owner)
    assert reverse("core:audit_log") not in _text(client.get(reverse("core:home")))
    client.force_login(cast.city_admin)
    assert reverse("core:audit_log") in _text(client.get(reverse("core:home")))


@pytest.mark.parametrize("name", ["core:inbox", "core:api_tokens", "core:audit_log"])
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:login')}?next={reverse(name)}"


def test_non_admin_gets_the_403_page_on_the_audit_log(client, cast):
    _english(client)
    client.force_login(cast.owner)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 403
    assert "You cannot see this page" in _text(response)
    assert "OneStop 一站通" in _text(response)


@pytest.mark.parametrize(("cookie", "html_lang"), [("en", "en"), ("zh-hans", "zh-Hans")])
def test_unknown_address_shows_the_404_page_in_the_chosen_language(client, cookie, html_lang):
    client.cookies[LANGUAGE_COOKIE] = cookie
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = _text(response)
    assert f'<html lang="{html_lang}"' in text
    assert response["Content-Language"] == cookie
    with translation.override(cookie):
        assert translation.gettext("Page not found") in text


def test_the_500_page_renders_without_a_request_or_database(db):
    from django.test import RequestFactory

    from onestop.core.views import server_error

    translation.activate("en")
    try:
        response = server_error(RequestFactory().get("/"))
    finally:
        translation.deactivate()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in _text(response)


def test_the_lockout_page_says_when_to_try_again(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    _english(client)
    for _attempt in range(2):
        response = client.post(
            reverse("core:login"), {"username": cast.owner.email, "password": "wrong"}
        )
    assert response.status_code == 429
    assert "Too many attempts to sign in" in _text(response)
    assert "try again in an hour" in _text(response)


# ----- registration ------------------------------------------------------------------------


def test_register_start_asks_one_question_and_opens_the_right_form(client):
    _english(client)
    response = client.get(reverse("core:register_start"), {"kind": "investor"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:register", kwargs={"kind": "investor"})
    response = client.get(reverse("core:register_start"), {"kind": ""})
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    assert 'href="#kind-enterprise"' in text
    assert "<title>Error:" in text
    # What a browser sends when no radio is chosen: no ``kind`` at all, only the form's marker.
    # It used to show the question again with no error, as if "Continue" did nothing.
    response = client.get(reverse("core:register_start"), {"sent": "1"})
    assert "There is a problem" in _text(response)
    assert "There is a problem" not in _text(client.get(reverse("core:register_start")))


def test_unknown_registration_kind_is_404(client):
    assert client.get(reverse("core:register", kwargs={"kind": "officer"})).status_code == 404


def test_bad_credit_code_shows_field_error_and_summary_and_creates_nothing(client):
    _english(client)
    bad = _fresh_credit_code()[:17] + ("0" if _fresh_credit_code()[17] != "0" else "1")
    response = client.post(
        reverse("core:register", kwargs={"kind": "enterprise"}), _enterprise_form(credit_code=bad)
    )
    assert response.status_code == 200
    text = _text(response)
    # The error summary links to the field; the field shows the same error beside it.
    assert "govuk-error-summary" in text
    assert 'href="#id_credit_code"' in text
    assert 'id="id_credit_code_error"' in text
    assert re.search(r'<input[^>]*id="id_credit_code"[^>]*aria-invalid="true"', text) or re.search(
        r'<input[^>]*aria-invalid="true"[^>]*id="id_credit_code"', text
    )
    assert "check character" in text
    assert "govuk-input--error" in text
    # What was typed is kept, except the password.
    assert 'value="li.wei@example.com"' in text
    assert "a-long-enough-passphrase" not in text
    assert not User.objects.exists()
    assert not Enterprise.objects.exists()
    assert mail.outbox == []


def test_empty_form_errors_come_in_chinese_by_default(client):
    response = client.post(reverse("core:register", kwargs={"kind": "investor"}), {})
    text = _text(response)
    assert '<html lang="zh-Hans"' in text
    # The required-field message is in Chinese (the project catalogue translates the msgid
    # Django's forms use too, so it wins over Django's own wording).
    with translation.override("zh-hans"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert required in text
    # Radios: the summary links to the first option.
    assert 'href="#id_investor_kind_0"' in text


def test_registration_sends_a_verification_email_and_sign_in_waits_for_it(
    client, django_capture_on_commit_callbacks
):
    _english(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:register", kwargs={"kind": "enterprise"}), _enterprise_form()
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:register_done")
    done = client.get(reverse("core:register_done"))
    assert "li.wei@example.com" in _text(done)
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/verify/[^/\s]+/)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body

    # Not verified yet: signing in is refused with a message saying what to do.
    credentials = {"username": "li.wei@example.com", "password": "a-long-enough-passphrase"}
    refused = client.post(reverse("core:login"), credentials)
    assert refused.status_code == 200
    assert "Please confirm your email address first" in _text(refused)
    assert "_auth_user_id" not in client.session

    with django_capture_on_commit_callbacks(execute=True):
        verified = client.get(link.group(1), follow=True)
    assert verified.redirect_chain[-1][0] == reverse("core:login")
    assert "Your email address is confirmed" in _text(verified)

    signed_in = client.post(reverse("core:login"), credentials)
    assert signed_in.status_code == 302
    assert "_auth_user_id" in client.session
    inbox = client.get(reverse("core:inbox"))
    assert "Welcome to OneStop" in _text(inbox)


def test_a_broken_verification_link_offers_a_new_one(client):
    _english(client)
    response = client.get(reverse("core:verify_email", kwargs={"token": "not-a-token"}))
    assert response.status_code == 400
    text = _text(response)
    assert "This verification link is not valid." in text
    assert f'action="{reverse("core:resend_verification")}"' in text


def test_resend_verification_does_not_reveal_accounts(client, cast):
    _english(client)
    response = client.post(
        reverse("core:resend_verification"), {"email": "nobody@example.com"}, follow=True
    )
    assert "If an unconfirmed account uses this address" in _text(response)


def test_login_page_links_to_register_reset_and_resend(client):
    text = _text(client.get(reverse("core:login")))
    for name in ("core:register_start", "core:password_reset", "core:resend_verification"):
        assert f'href="{reverse(name)}"' in text


def test_password_reset_round_trip(client, cast):
    _english(client)
    response = client.post(reverse("core:password_reset"), {"email": cast.owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "OneStop" in mail.outbox[0].subject
    link = re.search(
        r"http://testserver(/accounts/password-reset/[^\s]+/)", str(mail.outbox[0].body)
    )
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in _text(form_page)
    new_password = "another-long-passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Your password is changed" in _text(done)
    signed_in = client.post(
        reverse("core:login"), {"username": cast.owner.email, "password": new_password}
    )
    assert signed_in.status_code == 302


def test_password_reset_with_a_bad_link_says_so(client):
    _english(client)
    response = client.get(
        reverse("core:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    )
    assert response.status_code == 200
    assert "The link did not work" in _text(response)


# ----- inbox, tokens, audit log ------------------------------------------------------------


def test_inbox_marks_unread_and_opening_marks_read(
    client, cast, django_capture_on_commit_callbacks
):
    _english(client)
    client.force_login(cast.owner)
    assert "You have no messages yet" in _text(client.get(reverse("core:inbox")))
    with django_capture_on_commit_callbacks(execute=True):
        services.api_token_create(user=cast.owner, name="ci", days=30)
    notification = Notification.objects.get(recipient=cast.owner)
    text = _text(client.get(reverse("core:inbox")))
    assert "onestop-unread" in text
    assert 'class="onestop-badge">1<' in text
    response = client.post(reverse("core:inbox_read", kwargs={"notification_id": notification.pk}))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    text = _text(client.get(reverse("core:inbox")))
    assert "onestop-unread" not in text
    assert "onestop-badge" not in text


def test_inbox_pages(client, cast, django_capture_on_commit_callbacks):
    _english(client)
    client.force_login(cast.owner)
    Notification.objects.bulk_create(
        Notification(recipient=cast.owner, kind="x", title_zh=f"消息{i}", title_en=f"Message {i}")
        for i in range(25)
    )
    first = _text(client.get(reverse("core:inbox")))
    assert "govuk-pagination" in first
    assert 'href="?page=2"' in first
    assert "govuk-pagination" in _text(client.get(reverse("core:inbox"), {"page": 2}))


def test_api_token_is_shown_once_then_listed_and_revocable(client, cast):
    _english(client)
    client.force_login(cast.owner)
    response = client.post(reverse("core:api_tokens"), {"name": "reporting", "days": "30"})
    assert response.status_code == 302  # post/redirect/get: a reload cannot make a second token
    text = _text(client.get(response["Location"]))
    assert ApiToken.objects.filter(user=cast.owner).count() == 1
    token = ApiToken.objects.get(user=cast.owner)
    shown = re.search(r'id="new-token">(os_[^<]+)<', text)
    assert shown
    plain = shown.group(1)
    assert plain.startswith(f"os_{token.prefix}_")
    assert "It is shown only once" in text
    listing = _text(client.get(reverse("core:api_tokens")))
    assert plain not in listing
    assert "reporting" in listing
    assert "Active" in listing
    revoked = client.post(
        reverse("core:api_token_revoke", kwargs={"token_id": token.pk}), follow=True
    )
    text = _text(revoked)
    assert "The token is revoked" in text
    assert "govuk-notification-banner--success" in text
    assert "Revoked" in text


def test_api_token_form_errors_are_shown(client, cast):
    _english(client)
    client.force_login(cast.owner)
    text = _text(client.post(reverse("core:api_tokens"), {"name": "", "days": "999"}))
    assert 'href="#id_name"' in text
    assert 'href="#id_days"' in text
    assert not ApiToken.objects.exists()


def test_audit_log_shows_changes_readably_and_keeps_filters_on_every_page(client, cast):
    _english(client)
    services.user_set_language(user=cast.owner, language="en")
    client.force_login(cast.city_admin)
    text = _text(client.get(reverse("core:audit_log"), {"action": "user.set_language"}))
    assert "user.set_language" in text
    assert "<strong>language</strong>: zh-hans" in text
    assert "→" in text
    assert "en</li>" in text

    for _i in range(60):
        services.user_set_language(user=cast.owner, language="zh-hans")
        services.user_set_language(user=cast.owner, language="en")
    assert AuditEntry.objects.filter(action="user.set_language").count() > 50
    text = _text(client.get(reverse("core:audit_log"), {"action": "user.set_language"}))
    assert 'href="?action=user.set_language&amp;page=2"' in text


def test_audit_log_reports_a_bad_filter(client, cast):
    _english(client)
    client.force_login(cast.city_admin)
    text = _text(client.get(reverse("core:audit_log"), {"since": "not-a-date"}))
    assert 'href="#id_since"' in text


# ----- language switch ---------------------------------------------------------------------


def test_language_switch_sets_the_cookie_and_the_next_page_is_english(client, cast):
    client.force_login(cast.owner)
    home = _text(client.get(reverse("core:inbox")))
    assert '<html lang="zh-Hans"' in home
    assert f'action="{reverse("core:set_language")}"' in home
    assert 'name="next" value="/inbox/"' in home
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/inbox/"})
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    assert response.cookies[LANGUAGE_COOKIE].value == "en"
    page = client.get(response["Location"])
    assert '<html lang="en"' in _text(page)
    assert page["Content-Language"] == "en"
    cast.owner.refresh_from_db()
    assert cast.owner.language == "en"


def test_language_switch_refuses_to_send_you_elsewhere(client):
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


# ----- security of the markup --------------------------------------------------------------

PAGES_FOR_MARKUP = [
    ("anonymous", "core:home"),
    ("anonymous", "core:login"),
    ("anonymous", "core:register_start"),
    ("anonymous", "core:password_reset"),
    ("owner", "core:inbox"),
    ("owner", "core:api_tokens"),
    ("city_admin", "core:audit_log"),
]


@pytest.mark.parametrize(("who", "name"), PAGES_FOR_MARKUP)
def test_csp_header_and_no_inline_styles_or_unnonced_scripts(client, cast, who, name):
    if who != "anonymous":
        client.force_login(cast.member(who))
    response = client.get(reverse(name))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    text = _text(response)
    assert not re.search(r"\sstyle\s*=", text), "inline style attribute"
    assert "<style" not in text
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or "nonce=" in tag, tag
    assert 'name="htmx-config"' in text
    assert "/static/vendor/onestop.css" in text


def test_css_and_javascript_are_served(client):
    """The build output exists (npm ci && npm run build) and is served outside production."""
    for path in ("/static/vendor/onestop.css", "/static/core/init.js"):
        response = client.get(path)
        assert response.status_code == 200, f"{path} missing: run `npm ci && npm run build`"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body
    css = client.get("/static/vendor/onestop.css")
    body = b"".join(css.streaming_content) if css.streaming else css.content
    assert b"govuk-header" in body or b"govuk-generic-header" in body
    # GOV.UK's own typeface is not ours to use.
    assert b"GDS Transport" not in body
    assert b"@font-face" not in body
