"""Security baseline: CSRF on every form, login throttling, response headers."""

import pytest
from django.test import Client
from django.urls import reverse

from onestop.conftest import CAST_PASSWORD

pytestmark = pytest.mark.django_db

# Every page that accepts a POST from a form. The permission matrix covers who may GET them.
POST_FORMS = [
    ("core:login", {}),
    ("core:register", {"kind": "enterprise"}),
    ("core:register", {"kind": "investor"}),
    ("core:resend_verification", {}),
    ("core:password_reset", {}),
    ("core:set_language", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), POST_FORMS)
def test_post_without_csrf_token_is_refused(name, kwargs):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(name, kwargs=kwargs), {"email": "x@example.com"})
    assert response.status_code == 403


def test_signed_in_forms_need_csrf_too(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    for url in (reverse("core:api_tokens"), reverse("core:logout")):
        assert client.post(url, {"name": "x", "days": 5}).status_code == 403


def test_repeated_failed_logins_lock_the_account_for_that_address(cast, settings):
    client = Client()
    url = reverse("core:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": cast.owner.email, "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error
    # The failure that reaches the limit already answers with the lock-out page.
    last = client.post(url, {"username": cast.owner.email, "password": "wrong-password"})
    assert last.status_code == 429
    # Even the right password, with the address written in capitals, is refused now.
    locked = client.post(url, {"username": cast.owner.email.upper(), "password": CAST_PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_password_signs_in_before_the_limit(cast):
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": cast.owner.email, "password": CAST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.owner.pk)


def test_security_headers_on_pages(client):
    response = client.get(reverse("core:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp


def test_sign_in_does_not_depend_on_how_the_address_is_capitalised(cast):
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": "  Owner@Example.COM ", "password": CAST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.owner.pk)
