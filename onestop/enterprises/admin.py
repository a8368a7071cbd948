"""Django admin for enterprise accounts: for looking things up, not for writing.

Accounts are created at registration (``enterprise_account_create``) and members are added by
the enterprise's owner (``enterprise_member_add``); neither service has a staff form of the
write, so the admin offers none rather than writing around them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onestop.core.admin import ReadOnlyAdmin
from onestop.enterprises.models import Enterprise, EnterpriseYear, ImportRun, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EnterpriseYearInline(admin.TabularInline):
    model = EnterpriseYear
    fields = ("year", "employees", "operating_revenue", "total_assets")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    """Register records are changed by imports and the register services, not here."""

    list_display = ("credit_code", "name_zh", "district", "industry_code", "size_class")
    list_filter = ("size_class", "ownership", "district", ("created_at", admin.DateFieldListFilter))
    search_fields = ("credit_code", "name_zh", "name_en")
    fields = (
        "credit_code",
        "name_zh",
        "name_en",
        "registered_on",
        "district",
        "industry_code",
        "industry_division",
        "industry_section",
        "ownership",
        "registered_capital",
        "tags",
        "contact_name",
        "contact_phone",
        "contact_email",
        "size_class",
        "size_year",
        "size_basis",
        "created_at",
        "updated_at",
    )
    inlines = (MembershipInline, EnterpriseYearInline)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "status", "rows_total", "rows_ok", "rows_failed", "created_at")
    list_filter = ("status",)
    search_fields = ("file_name",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "user", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("enterprise__name_zh", "enterprise__credit_code", "user__email")
    list_select_related = ("enterprise", "user")
