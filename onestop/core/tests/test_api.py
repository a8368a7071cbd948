"""The core API: routes, pagination and filters, object-level rules, and problem+json errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext

from onestop.api import api as ninja_api
from onestop.conftest import Cast
from onestop.core import services
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry, Notification, User
from onestop.core.roles import OfficerLevel

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def signed_in(user: User, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: Any = None, **headers: str) -> Any:
    data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/problems/{code}"
    assert body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    return body


def field_errors(body: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {error["field"]: error for error in body["errors"]}


def notify(user: User, count: int) -> None:
    for number in range(count):
        services.notification_deliver(
            user_id=user.pk, kind="core.welcome", params={"name": f"#{number}"}
        )


# ----- /me ---------------------------------------------------------------------------------


def test_me_describes_the_signed_in_user_and_nothing_secret(cast: Cast) -> None:
    body = signed_in(cast.officer_a).get("/api/v1/me").json()
    assert body == {
        "id": cast.officer_a.pk,
        "email": "officer-a@example.com",
        "display_name": "officer-a",
        "role": "officer",
        "agency_code": "agency-a",
        "officer_level": "clerk",
        "language": "zh-hans",
    }


def test_patch_me_changes_the_language_through_the_service(cast: Cast) -> None:
    response = send(signed_in(cast.owner), "patch", "/api/v1/me", {"language": "en"})
    assert response.status_code == 200
    assert response.json()["language"] == "en"
    cast.owner.refresh_from_db()
    assert cast.owner.language == "en"
    assert AuditEntry.objects.filter(action="user.set_language", actor=cast.owner).exists()


def test_patch_me_accepts_only_the_language(cast: Cast) -> None:
    client = signed_in(cast.owner)
    body = assert_problem(
        send(client, "patch", "/api/v1/me", {"language": "fr", "role": "city_admin"}),
        422,
        "validation_failed",
    )
    errors = field_errors(body)
    assert errors["body.language"]["code"] == "literal_error"
    assert errors["body.role"]["code"] == "extra_forbidden"
    cast.owner.refresh_from_db()
    assert (cast.owner.role, cast.owner.language) == ("enterprise", "zh-hans")


def test_patch_me_with_nothing_changes_nothing(cast: Cast) -> None:
    response = send(signed_in(cast.owner), "patch", "/api/v1/me", {})
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="user.set_language").exists()


# ----- agencies ----------------------------------------------------------------------------


def test_agencies_are_public_and_named_in_the_request_language(cast: Cast) -> None:
    client = Client()
    listed = client.get("/api/v1/agencies", headers={"Accept-Language": "en"}).json()
    assert [(a["code"], a["name"]) for a in listed] == [
        ("agency-a", "Agency A"),
        ("agency-b", "Agency B"),
    ]
    one = client.get("/api/v1/agencies/agency-b").json()
    assert one["name"] == "乙局"
    assert one["parent_code"] is None
    assert_problem(client.get("/api/v1/agencies/nope"), 404, "not_found")


def test_head_of_agency_a_may_edit_agency_a_but_not_agency_b(cast: Cast) -> None:
    cast.officer_a.officer_level = OfficerLevel.HEAD
    cast.officer_a.save()
    client = signed_in(cast.officer_a)
    response = send(client, "patch", "/api/v1/agencies/agency-a", {"name_en": "Agency Alpha"})
    assert response.status_code == 200
    assert response.json()["name_en"] == "Agency Alpha"
    entry = AuditEntry.objects.get(action="agency.update")
    assert entry.actor == cast.officer_a
    assert entry.changes == {"name_en": ["Agency A", "Agency Alpha"]}

    response = send(client, "patch", "/api/v1/agencies/agency-b", {"name_en": "Taken over"})
    assert_problem(response, 403, "forbidden")
    cast.agency_b.refresh_from_db()
    assert cast.agency_b.name_en == "Agency B"


def test_agency_update_errors_name_the_field(cast: Cast) -> None:
    client = signed_in(cast.city_admin)
    body = assert_problem(
        send(client, "patch", "/api/v1/agencies/agency-a", {"name_zh": ""}),
        422,
        "validation_failed",
    )
    assert field_errors(body)["body.name_zh"]["code"] == "string_too_short"
    body = assert_problem(
        send(client, "patch", "/api/v1/agencies/agency-a", {"district": "1101050", "code": "x"}),
        422,
        "validation_failed",
    )
    errors = field_errors(body)
    assert errors["body.district"]["code"] == "string_too_long"
    assert errors["body.code"]["code"] == "extra_forbidden"  # the code cannot be changed
    assert not AuditEntry.objects.filter(action="agency.update").exists()


# ----- notifications -----------------------------------------------------------------------


def test_inbox_is_paginated_with_the_settings_page_size(cast: Cast) -> None:
    notify(cast.owner, 25)
    notify(cast.investor, 1)
    client = signed_in(cast.owner)
    first = client.get("/api/v1/notifications").json()
    assert first["count"] == 25
    assert len(first["items"]) == settings.NINJA_PAGINATION_PER_PAGE == 20
    second = client.get("/api/v1/notifications?page=2").json()
    assert len(second["items"]) == 5
    ids = {n["id"] for n in first["items"]} | {n["id"] for n in second["items"]}
    assert ids == set(
        Notification.objects.filter(recipient=cast.owner).values_list("pk", flat=True)
    )
    small = client.get("/api/v1/notifications?page_size=3").json()
    assert len(small["items"]) == 3
    huge = client.get("/api/v1/notifications?page_size=100000").json()
    assert len(huge["items"]) == 25  # capped at NINJA_MAX_PER_PAGE_SIZE
    assert_problem(client.get("/api/v1/notifications?page=0"), 422, "validation_failed")


def test_unread_filter_and_marking_read(cast: Cast) -> None:
    notify(cast.owner, 3)
    client = signed_in(cast.owner)
    target = Notification.objects.filter(recipient=cast.owner).first()
    assert target is not None
    response = client.post(f"/api/v1/notifications/{target.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert unread["count"] == 2
    assert target.pk not in {n["id"] for n in unread["items"]}
    assert client.get("/api/v1/notifications?unread=false").json()["count"] == 3
    assert_problem(client.get("/api/v1/notifications?unread=perhaps"), 422, "validation_failed")


def test_notifications_come_in_the_request_language(cast: Cast) -> None:
    notify(cast.owner, 1)
    client = signed_in(cast.owner)
    english = client.get("/api/v1/notifications", headers={"Accept-Language": "en"}).json()
    assert english["items"][0]["title"].startswith("Welcome to OneStop")
    chinese = client.get("/api/v1/notifications").json()
    assert chinese["items"][0]["title"] == Notification.objects.get().title_zh


def test_someone_elses_notification_cannot_be_marked_read(cast: Cast) -> None:
    notify(cast.owner, 1)
    target = Notification.objects.get()
    assert_problem(
        signed_in(cast.investor).post(f"/api/v1/notifications/{target.pk}/read"),
        404,
        "not_found",
    )
    target.refresh_from_db()
    assert target.read_at is None


# ----- audit log ---------------------------------------------------------------------------


def test_audit_filters(cast: Cast) -> None:
    services.agency_update(actor=cast.city_admin, agency=cast.agency_a, name_en="Alpha")
    services.agency_update(actor=cast.city_admin, agency=cast.agency_b, name_en="Beta")
    services.user_set_language(user=cast.owner, language="en")
    client = signed_in(cast.city_admin)

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/v1/audit?{query}")
        assert response.status_code == 200, response.content
        return [e["object_id"] for e in response.json()["items"]]

    assert ids("action=agency.update") == [str(cast.agency_b.pk), str(cast.agency_a.pk)]
    assert ids("action=agency.") == [str(cast.agency_b.pk), str(cast.agency_a.pk)]
    assert ids(f"object_type=core.agency&object_id={cast.agency_a.pk}") == [str(cast.agency_a.pk)]
    assert ids("actor=owner@example.com") == [str(cast.owner.pk)]
    today = timezone.localdate()
    assert len(ids(f"since={today}&until={today}")) == 3
    assert ids(f"until={today - dt.timedelta(days=1)}") == []
    entry = client.get("/api/v1/audit?action=user.set_language").json()["items"][0]
    assert entry["changes"] == {"language": ["zh-hans", "en"]}
    assert entry["actor_id"] == cast.owner.pk
    assert "ip_address" not in entry


def test_audit_is_paginated_and_checks_its_filters(cast: Cast) -> None:
    for number in range(3):
        services.agency_update(actor=None, agency=cast.agency_a, name_en=f"Agency {number}")
    client = signed_in(cast.city_admin)
    page = client.get("/api/v1/audit?page_size=2").json()
    assert page["count"] == 3
    assert len(page["items"]) == 2
    body = assert_problem(client.get("/api/v1/audit?since=yesterday"), 422, "validation_failed")
    assert list(field_errors(body)) == ["query.since"]


def test_audit_is_for_city_administrators_only(cast: Cast) -> None:
    for user in (cast.owner, cast.officer_a, cast.investor):
        assert_problem(signed_in(user).get("/api/v1/audit"), 403, "forbidden")


# ----- enterprises -------------------------------------------------------------------------


def test_my_enterprises(cast: Cast) -> None:
    mine = signed_in(cast.owner).get("/api/v1/enterprises/mine").json()
    assert [(e["id"], e["my_role"]) for e in mine] == [(cast.enterprise_a.pk, "owner")]
    assert signed_in(cast.officer_a).get("/api/v1/enterprises/mine").json() == []


def test_an_enterprise_is_visible_to_members_and_city_administrators(cast: Cast) -> None:
    url = f"/api/v1/enterprises/{cast.enterprise_a.pk}"
    body = signed_in(cast.owner).get(url).json()
    assert body["credit_code"] == "91110105MA01ABCD13"
    assert body["my_role"] == "owner"
    assert signed_in(cast.city_admin).get(url).json()["my_role"] is None
    assert_problem(signed_in(cast.other_member).get(url), 403, "forbidden")
    assert_problem(signed_in(cast.officer_b).get(url), 403, "forbidden")
    assert_problem(signed_in(cast.other_member).get("/api/v1/enterprises/987654"), 404, "not_found")
    assert_problem(
        signed_in(cast.owner).get("/api/v1/enterprises/not-a-number"), 422, "validation_failed"
    )


# ----- errors: bad input is never a 500 ----------------------------------------------------


def test_malformed_json_is_a_400_problem(cast: Cast) -> None:
    body = assert_problem(
        send(signed_in(cast.owner), "post", "/api/v1/tokens", '{"name": "x",'),
        400,
        "malformed_json",
    )
    assert body["errors"][0]["field"] == "body"


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"name": "x", "days": 0}, "body.days", "greater_than_equal"),
        ({"name": "x", "days": 366}, "body.days", "less_than_equal"),
        ({"name": "x", "days": "soon"}, "body.days", "int_parsing"),
        ({"name": "x", "days": 1.5}, "body.days", "int_from_float"),
        ({"name": 7}, "body.name", "string_type"),
        ({"days": 3}, "body.name", "missing"),
        ({"name": "x" * 101}, "body.name", "string_too_long"),
        ({"name": "x", "colour": "red"}, "body.colour", "extra_forbidden"),
        ([1, 2], "body", "model_attributes_type"),
        ("", "body", "missing"),
    ],
)
def test_bad_input_is_a_422_with_one_entry_per_field(
    cast: Cast, payload: Any, field: str, code: str
) -> None:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    body = assert_problem(
        send(signed_in(cast.owner), "post", "/api/v1/tokens", raw), 422, "validation_failed"
    )
    errors = field_errors(body)
    assert errors[field]["code"] == code
    assert errors[field]["message"]


def test_a_service_validation_error_names_the_body_field(cast: Cast) -> None:
    # The schema lets a blank name through; the service refuses it.
    body = assert_problem(
        send(signed_in(cast.owner), "post", "/api/v1/tokens", {"name": "   "}),
        422,
        "validation_failed",
    )
    assert field_errors(body)["body.name"]["code"] == "invalid"


def test_domain_errors_keep_their_status_and_code() -> None:
    request = RequestFactory().get("/api/v1/anything")
    response = ninja_api.on_exception(
        request, DomainError("application_closed", "This application is closed.", status=409)
    )
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert (body["code"], body["title"]) == ("application_closed", "This application is closed.")
    assert "errors" not in body


def test_a_bug_is_a_500_problem_and_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    from django.core.signals import got_request_exception

    reported = []

    def receiver(**kwargs: Any) -> None:
        reported.append(kwargs["request"])

    got_request_exception.connect(receiver)
    request = RequestFactory().get("/api/v1/anything")
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError as exc:
            response = ninja_api.on_exception(request, exc)
    finally:
        got_request_exception.disconnect(receiver)
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
    assert reported == [request]
    assert "boom" in caplog.text


def test_unknown_api_urls_are_404_problems(cast: Cast) -> None:
    for url in ("/api/v1/nothing-here", "/api/v1/", "/api/v1/tokens/1/extra"):
        assert_problem(signed_in(cast.owner).get(url), 404, "not_found")
        assert_problem(Client().get(url), 404, "not_found")


def test_an_unsupported_method_is_a_405_problem(cast: Cast) -> None:
    response = send(signed_in(cast.owner), "put", "/api/v1/me", {"language": "en"})
    assert_problem(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}


def test_anonymous_is_a_401_problem_with_a_challenge() -> None:
    response = Client().get("/api/v1/me")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unverified_or_inactive_session_users_are_not_signed_in_to_the_api(cast: Cast) -> None:
    client = signed_in(cast.owner)
    User.objects.filter(pk=cast.owner.pk).update(email_verified_at=None)
    assert_problem(client.get("/api/v1/me"), 401, "not_authenticated")
    client = signed_in(cast.investor)
    User.objects.filter(pk=cast.investor.pk).update(is_active=False)
    assert_problem(client.get("/api/v1/me"), 401, "not_authenticated")


# ----- CSRF --------------------------------------------------------------------------------


def test_a_session_must_send_the_csrf_token_on_unsafe_methods(cast: Cast) -> None:
    client = signed_in(cast.owner, enforce_csrf_checks=True)
    assert client.get("/api/v1/me").status_code == 200  # safe: no token needed
    response = send(client, "post", "/api/v1/tokens", {"name": "x"})
    assert_problem(response, 403, "csrf_failed")
    assert_problem(send(client, "patch", "/api/v1/me", {"language": "en"}), 403, "csrf_failed")

    client.get("/api/v1/docs")  # any page sets the CSRF cookie
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = send(client, "post", "/api/v1/tokens", {"name": "x"}, **{"X-CSRFToken": csrf})
    assert response.status_code == 201


def test_a_bearer_token_needs_no_csrf_token(cast: Cast) -> None:
    _token, plain = services.api_token_create(user=cast.owner, name="script")
    client = Client(enforce_csrf_checks=True)
    response = send(
        client, "post", "/api/v1/tokens", {"name": "y"}, Authorization=f"Bearer {plain}"
    )
    assert response.status_code == 201
    # Even from a browser that also has a session cookie.
    client.force_login(cast.owner)
    response = send(
        client, "patch", "/api/v1/me", {"language": "en"}, Authorization=f"Bearer {plain}"
    )
    assert response.status_code == 200


# ----- language ----------------------------------------------------------------------------


def test_messages_follow_accept_language_and_default_to_chinese(cast: Cast) -> None:
    client = signed_in(cast.owner)
    english = send(
        client, "post", "/api/v1/tokens", {"name": "x", "days": 0}, **{"Accept-Language": "en"}
    )
    assert english["Content-Language"] == "en"
    body = english.json()
    assert body["title"] == "Some of the information given is not valid."
    assert field_errors(body)["body.days"]["message"] == "Must be at least 1."

    default = send(client, "post", "/api/v1/tokens", {"name": "x", "days": 0})
    assert default["Content-Language"] == "zh-hans"
    body = default.json()
    with translation.override("zh-hans"):
        expected_title = gettext("Some of the information given is not valid.")
        expected_message = gettext("Must be at least %(limit)s.") % {"limit": 1}
        expected_missing = gettext("This field is required.")
    assert body["title"] == expected_title
    assert field_errors(body)["body.days"]["message"] == expected_message
    missing = send(client, "post", "/api/v1/tokens", {})
    assert field_errors(missing.json())["body.name"]["message"] == expected_missing
    # Django ships this one in Chinese, so the plumbing is visibly not English.
    assert expected_missing != "This field is required."


def test_the_language_cookie_wins_over_accept_language(cast: Cast) -> None:
    client = signed_in(cast.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/nothing", headers={"Accept-Language": "zh-CN"})
    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "Nothing was found at this address."
