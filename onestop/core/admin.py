"""Django admin for the core domain.

Admin writes go through the same services as pages and the API, so they are checked and
audited the same way: agencies through ``agency_create`` / ``agency_update``, role changes
through ``user_assign_role``. Where no service exists for a write, the admin does not offer it
(no deleting agencies, no adding users, no editing notifications or tokens). The audit log is
strictly read-only, for everyone, superusers included.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onestop.core import services
from onestop.core.models import (
    Agency,
    ApiToken,
    AuditEntry,
    Document,
    LegalClock,
    Notification,
    User,
)
from onestop.core.roles import AGENCY_ROLES, OfficerLevel, Role


class ReadOnlyAdmin(admin.ModelAdmin):
    """Can be looked at, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ----- agencies ----------------------------------------------------------------------------


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "parent", "level", "district")
    list_filter = ("level",)
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("code",)
    fields = services.AGENCY_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no service deletes an agency: cases, staff and data refer to it

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        actor = request.user  # the admin only lets signed-in staff this far
        assert isinstance(actor, User)
        if change:
            values = {name: form.cleaned_data[name] for name in form.changed_data}
            services.agency_update(actor=actor, agency=obj, **values)
        else:
            values = {name: form.cleaned_data[name] for name in services.AGENCY_FIELDS}
            created = services.agency_create(actor=actor, **values)
            obj.pk = created.pk
            obj._state.adding = False


# ----- users -------------------------------------------------------------------------------


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "display_name",
            "role",
            "agency",
            "officer_level",
            "investor_kind",
            "country",
            "is_active",
            "is_staff",
        )

    def clean(self) -> dict[str, Any]:
        # The rules of user_assign_role, checked here too so the admin shows them on the form.
        data = super().clean() or {}
        role = data.get("role")
        if role in AGENCY_ROLES and not data.get("agency"):
            self.add_error("agency", _("Agency staff need an agency."))
        if role == Role.OFFICER and data.get("officer_level") not in OfficerLevel.values:
            self.add_error("officer_level", _("Choose clerk, reviewer or head."))
        return data


ROLE_FIELDS = ("role", "agency", "officer_level")
OTHER_FIELDS = services.ACCOUNT_FIELDS


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Users register themselves (or come from the demo load), so there is no add form here;
    the password hash is never shown."""

    form = UserChangeForm
    list_display = ("email", "display_name", "role", "agency", "officer_level", "is_active")
    list_filter = ("role", "agency", "officer_level", "is_active", "is_staff")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = (
        "email",
        "language",
        "email_verified_at",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        (None, {"fields": ("email", "display_name", "language", "email_verified_at")}),
        (_("Role"), {"fields": ROLE_FIELDS}),
        (_("Investor"), {"fields": ("investor_kind", "country")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")},
        ),
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: audit rows and records keep pointing at the user

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = request.user
        assert isinstance(actor, User)
        data = form.cleaned_data
        with transaction.atomic():
            # ``obj`` already carries the form's values; the services compare with the stored row.
            stored = User.objects.select_for_update().get(pk=obj.pk)
            if any(name in form.changed_data for name in ROLE_FIELDS):
                services.user_assign_role(
                    actor=actor,
                    user=stored,
                    role=data["role"],
                    agency=data.get("agency"),
                    officer_level=data.get("officer_level") or "",
                )
            others = {name: data[name] for name in OTHER_FIELDS if name in form.changed_data}
            if others:
                services.user_update_account(actor=actor, user=stored, **others)
        obj.refresh_from_db()


# ----- notifications and tokens ------------------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title_zh", "read_at", "emailed_at")
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter))
    search_fields = ("recipient__email", "title_zh", "title_en")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created and revoked by their owners; the digest is never shown."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = (("expires_at", admin.DateFieldListFilter), "revoked_at")
    search_fields = ("user__email", "name", "prefix")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")


# ----- the audit log -----------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Append-only: entries are written by services and never changed or removed."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "object_label")
    list_filter = ("action", "object_type", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "object_label", "object_id")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "changes",
        "ip_address",
    )
    actions = None  # not even "delete selected"


# ----- documents and legal clocks ----------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Uploaded documents: their record only; the file is served by the permission-checked
    download page, never from here."""

    list_display = ("uploaded_at", "original_name", "content_type", "size", "uploaded_by")
    list_filter = ("content_type", ("uploaded_at", admin.DateFieldListFilter))
    search_fields = ("original_name", "sha256", "uploaded_by__email")
    list_select_related = ("uploaded_by",)
    exclude = ("storage_name",)


@admin.register(LegalClock)
class LegalClockAdmin(ReadOnlyAdmin):
    """Clocks are started, paused and stopped by the services of the cases that own them."""

    list_display = ("pk", "state", "limit", "unit", "started_on", "due_on", "paused_on")
    list_filter = ("state", "unit")
