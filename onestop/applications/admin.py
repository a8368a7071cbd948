"""Django admin of the applications domain: read-only views of applications, cases and
certificates (every change goes through the workflow services and pages), and the per-service
case rules (silence means consent), saved through ``service_case_rule_save``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onestop.applications.models import Application, Case, Certificate, ServiceCaseRule
from onestop.applications.services import service_case_rule_save
from onestop.core.admin import ReadOnlyAdmin


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "applicant_user", "applicant_enterprise", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "applicant_user__email", "applicant_enterprise__credit_code")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "application", "service", "agency", "state", "due_on", "assignee")
    list_filter = ("state", "agency")
    search_fields = ("application__reference", "service__identifier")
    raw_id_fields = ("application", "assignee", "clock")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "title_zh", "holder_zh", "issued_on", "revoked_at")
    search_fields = ("number", "code", "holder_zh", "holder_en")


@admin.register(ServiceCaseRule)
class ServiceCaseRuleAdmin(admin.ModelAdmin):
    list_display = ("service", "silence_consent")
    fields = ("service", "silence_consent", "basis_zh", "basis_en")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ServiceCaseRule, form: Any, change: bool
    ) -> None:
        saved = service_case_rule_save(
            actor=request.user,  # type: ignore[arg-type]
            service=obj.service,
            silence_consent=obj.silence_consent,
            basis_zh=obj.basis_zh,
            basis_en=obj.basis_en,
        )
        obj.pk = saved.pk
