"""The admin: read-only where it must be, and writing through the services (so, audited)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from onestop.conftest import CAST_PASSWORD, Cast
from onestop.core import services
from onestop.core.models import Agency, ApiToken, AuditEntry, Notification, User
from onestop.enterprises.models import Enterprise, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(cast: Cast) -> User:
    return User.objects.create_superuser("root@example.com", CAST_PASSWORD, display_name="Root")


@pytest.fixture
def admin_client(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def agency_form(agency: Agency, **changes: str) -> dict[str, str]:
    data = {
        "code": agency.code,
        "name_zh": agency.name_zh,
        "name_en": agency.name_en,
        "parent": str(agency.parent_id or ""),
        "level": agency.level,
        "district": agency.district,
    }
    data.update(changes)
    return data


# ----- the audit log is read-only for everyone ----------------------------------------------


def test_audit_admin_has_no_add_change_or_delete_even_for_superusers(
    cast: Cast, superuser: User
) -> None:
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = superuser
    services.agency_update(actor=superuser, agency=cast.agency_a, level="city")
    obj = AuditEntry.objects.get(action="agency.update")
    assert model_admin.has_view_permission(request, obj)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)
    assert not model_admin.get_actions(request)


def test_audit_entries_cannot_be_deleted_added_or_changed_through_the_admin(
    admin_client: Client, cast: Cast, superuser: User
) -> None:
    services.agency_update(actor=superuser, agency=cast.agency_a, name_en="Alpha")
    entry = AuditEntry.objects.get(action="agency.update")

    response = admin_client.post(url(AuditEntry, "delete", entry.pk), {"post": "yes"})
    assert response.status_code == 403
    assert admin_client.get(url(AuditEntry, "add")).status_code == 403
    response = admin_client.post(url(AuditEntry, "change", entry.pk), {"action": "tampered"})
    assert response.status_code == 403
    admin_client.post(
        url(AuditEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    entry.refresh_from_db()
    assert entry.action == "agency.update"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    # Looking is allowed.
    assert admin_client.get(url(AuditEntry, "change", entry.pk)).status_code == 200


def test_audit_admin_filters_by_action_object_type_and_date(
    admin_client: Client, cast: Cast, superuser: User
) -> None:
    services.agency_update(actor=superuser, agency=cast.agency_a, name_en="Alpha")
    services.user_set_language(user=cast.owner, language="en")
    response = admin_client.get(url(AuditEntry, "changelist"))
    assert response.status_code == 200
    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert len(titles) == 3
    filtered = admin_client.get(url(AuditEntry, "changelist"), {"action": "agency.update"})
    assert [e.action for e in filtered.context["cl"].result_list] == ["agency.update"]
    filtered = admin_client.get(url(AuditEntry, "changelist"), {"object_type": "core.user"})
    assert [e.action for e in filtered.context["cl"].result_list] == ["user.set_language"]
    filtered = admin_client.get(
        url(AuditEntry, "changelist"), {"at__gte": "2000-01-01 00:00:00+00:00"}
    )
    assert filtered.context["cl"].result_count == 2


# ----- agencies: through agency_create / agency_update --------------------------------------


def test_editing_an_agency_in_the_admin_writes_an_audit_row(
    admin_client: Client, cast: Cast, superuser: User
) -> None:
    response = admin_client.post(
        url(Agency, "change", cast.agency_a.pk), agency_form(cast.agency_a, name_en="Alpha")
    )
    assert response.status_code == 302, response.content
    cast.agency_a.refresh_from_db()
    assert cast.agency_a.name_en == "Alpha"
    entry = AuditEntry.objects.get(action="agency.update")
    assert entry.actor == superuser
    assert entry.object_id == str(cast.agency_a.pk)
    assert entry.changes == {"name_en": ["Agency A", "Alpha"]}


def test_adding_an_agency_in_the_admin_writes_an_audit_row(
    admin_client: Client, superuser: User
) -> None:
    response = admin_client.post(
        url(Agency, "add"),
        {
            "code": "agency-c",
            "name_zh": "丙局",
            "name_en": "Agency C",
            "parent": "",
            "level": "",
            "district": "",
        },
    )
    assert response.status_code == 302, response.content
    created = Agency.objects.get(code="agency-c")
    entry = AuditEntry.objects.get(action="agency.create")
    assert (entry.actor, entry.object_id) == (superuser, str(created.pk))


def test_an_invalid_agency_is_refused_on_the_form(admin_client: Client, cast: Cast) -> None:
    response = admin_client.post(
        url(Agency, "change", cast.agency_a.pk), agency_form(cast.agency_a, name_zh="")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not AuditEntry.objects.filter(action="agency.update").exists()


def test_agencies_cannot_be_deleted_in_the_admin(admin_client: Client, cast: Cast) -> None:
    response = admin_client.post(url(Agency, "delete", cast.agency_b.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Agency.objects.filter(pk=cast.agency_b.pk).exists()


# ----- users: role changes through user_assign_role ------------------------------------------


def user_form(user: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": user.display_name,
        "role": user.role,
        "agency": str(user.agency_id or ""),
        "officer_level": user.officer_level,
        "investor_kind": user.investor_kind,
        "country": user.country,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_role_change_in_the_admin_goes_through_user_assign_role(
    admin_client: Client, cast: Cast, superuser: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(User, "change", cast.investor.pk),
            user_form(
                cast.investor,
                role="officer",
                agency=str(cast.agency_b.pk),
                officer_level="reviewer",
            ),
        )
    assert response.status_code == 302, response.content
    cast.investor.refresh_from_db()
    assert (cast.investor.role, cast.investor.agency, cast.investor.officer_level) == (
        "officer",
        cast.agency_b,
        "reviewer",
    )
    entry = AuditEntry.objects.get(action="user.assign_role")
    assert entry.actor == superuser
    assert entry.changes == {
        "agency": [None, cast.agency_b.pk],
        "officer_level": ["", "reviewer"],
        "role": ["investor", "officer"],
    }
    # The user is told (the notification service runs after the commit).
    assert Notification.objects.filter(recipient=cast.investor, kind="core.role_changed").exists()


def test_other_account_changes_in_the_admin_are_audited(
    admin_client: Client, cast: Cast, superuser: User
) -> None:
    response = admin_client.post(
        url(User, "change", cast.owner.pk), user_form(cast.owner, is_active="")
    )
    assert response.status_code == 302, response.content
    cast.owner.refresh_from_db()
    assert not cast.owner.is_active
    entry = AuditEntry.objects.get(action="user.admin_update")
    assert entry.changes == {"is_active": [True, False]}
    assert not AuditEntry.objects.filter(action="user.assign_role").exists()


def test_an_officer_without_an_agency_is_refused_on_the_form(
    admin_client: Client, cast: Cast
) -> None:
    response = admin_client.post(
        url(User, "change", cast.investor.pk),
        user_form(cast.investor, role="officer", officer_level="clerk"),
    )
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    cast.investor.refresh_from_db()
    assert cast.investor.role == "investor"


def test_the_user_admin_never_shows_the_password_hash(admin_client: Client, cast: Cast) -> None:
    response = admin_client.get(url(User, "change", cast.owner.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert cast.owner.password not in content
    assert cast.owner.password.split("$")[-1] not in content
    assert "password" not in response.context["adminform"].form.fields
    assert admin_client.get(url(User, "add")).status_code == 403


# ----- tokens, notifications, enterprises ---------------------------------------------------


def test_the_token_admin_never_shows_the_digest(admin_client: Client, cast: Cast) -> None:
    token, plain = services.api_token_create(user=cast.owner, name="secret")
    for page in (url(ApiToken, "changelist"), url(ApiToken, "change", token.pk)):
        content = admin_client.get(page).content.decode()
        assert token.digest not in content
        assert plain not in content
    assert admin_client.get(url(ApiToken, "add")).status_code == 403


def test_every_registered_model_has_working_admin_pages(admin_client: Client, cast: Cast) -> None:
    services.notification_deliver(user_id=cast.owner.pk, kind="core.welcome", params={"name": "x"})
    services.api_token_create(user=cast.owner, name="t")
    for model in (Agency, User, Notification, ApiToken, AuditEntry, Enterprise, Membership):
        assert model in admin.site._registry, model
        response = admin_client.get(url(model, "changelist"))
        assert response.status_code == 200, model
        first = model.objects.first()
        assert first is not None, model
        assert admin_client.get(url(model, "change", first.pk)).status_code == 200, model


def test_enterprises_are_read_only_in_the_admin(admin_client: Client, cast: Cast) -> None:
    assert admin_client.get(url(Enterprise, "add")).status_code == 403
    response = admin_client.post(
        url(Enterprise, "change", cast.enterprise_a.pk), {"name_zh": "改名"}
    )
    assert response.status_code == 403
    response = admin_client.post(url(Membership, "delete", 1), {"post": "yes"})
    assert response.status_code == 403
    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.name_zh == "甲公司"


def test_cast_members_without_staff_status_cannot_open_the_admin(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.city_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
