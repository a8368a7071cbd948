"""Certificates of approved cases (issue, revoke) and the per-procedure case rules.

Same pattern as the case workflow in ``services_cases`` (whose locking, version check, event and
notification helpers these services share): permission check, one transaction locking the
application then the case, one audit row, the applicant told after commit.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.applications import notifications as kinds
from onestop.applications.models import (
    Case,
    CaseState,
    Certificate,
)
from onestop.applications.permissions import (
    can_decide_case,
    can_revoke_certificate,
)
from onestop.applications.services_cases import (
    _check_version,
    _event,
    _finish,
    _lock,
    _params,
    _require,
    _save,
    _tell_applicant,
    _text,
    _wrong_state,
)
from onestop.applications.services_common import (
    application_link,
)
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, FieldError, ValidationFailed
from onestop.core.models import User
from onestop.core.notifications import notify


def _new_code() -> str:
    """An unguessable verification code: 120 random bits, base32 (24 letters and digits)."""
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii")


def certificate_issue(
    *, actor: User, case: Case, version: int, valid_to: dt.date | None = None
) -> Certificate:
    """Issue the e-certificate of an approved case (reviewers and heads)."""
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_decide_case(actor, case))
        _check_version(case, version)
        if case.state != CaseState.APPROVED:
            raise _wrong_state(case, _("given a certificate"))
        version_obj = case.service_version or case.service.current
        enterprise = application.applicant_enterprise
        holder_zh = enterprise.name_zh if enterprise else application.applicant_user.display_name
        holder_en = (
            (enterprise.name_en or enterprise.name_zh)
            if enterprise
            else application.applicant_user.display_name
        )
        title_zh_proc = version_obj.title_zh if version_obj else ""
        title_en_proc = version_obj.title_en if version_obj else ""
        title_zh = (version_obj.output_zh or version_obj.title_zh) if version_obj else ""
        title_en = (version_obj.output_en or version_obj.title_en) if version_obj else ""
        today = timezone.localdate()
        rows = [
            ["申请编号", "Application", application.reference],
            [
                "事项",
                "Procedure",
                " / ".join(t for t in (title_zh_proc, title_en_proc) if t)
                or case.service.identifier,
            ],
            [
                "决定日期",
                "Decided on",
                timezone.localdate(case.decided_at or timezone.now()).isoformat(),
            ],
        ]
        if enterprise is not None:
            rows.insert(
                1, ["统一社会信用代码", "Unified social credit code", enterprise.credit_code]
            )
        certificate = Certificate.objects.create(
            case=case,
            number=f"OSC-{today.year}-{case.pk:07d}",
            code=_new_code(),
            title_zh=title_zh[:300],
            title_en=title_en[:300],
            holder_zh=holder_zh[:300],
            holder_en=holder_en[:300],
            issuer_zh=case.agency.name_zh,
            issuer_en=case.agency.name_en,
            data={"rows": rows},
            issued_on=today,
            valid_to=valid_to,
            issued_by=actor,
        )
        case.state = CaseState.CERTIFICATE_ISSUED
        _save(case, ["state"], timezone.now())
        _finish(
            actor=actor,
            application=application,
            case=case,
            action="certificate_issue",
            before=CaseState.APPROVED,
            comment=certificate.number,
            changes={"certificate": certificate.number},
        )
        _tell_applicant(
            case, kinds.CERTIFICATE_ISSUED, number=certificate.number, code=certificate.code
        )
    return certificate


def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (head of the issuing agency); the public check then says so."""
    reason = _text("reason", reason, required=True, label=_("the reason"))
    with transaction.atomic():
        application, case = _lock(certificate.case_id)
        _require(can_revoke_certificate(actor, case))
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise DomainError(
                code="certificate_revoked",
                message=gettext_lazy("The certificate is already revoked."),
                status=409,
            )
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        _save(case, [], timezone.now())
        _event(case, actor, "certificate_revoke", reason)
        audit_record(
            actor=actor,
            action="certificate.revoke",
            obj=certificate,
            changes={"revoked_reason": reason, "case_version": case.version},
        )
        notify(
            recipient_ids=[application.applicant_user_id],
            kind=kinds.CERTIFICATE_REVOKED,
            params=_params(case, number=certificate.number, text=reason),
            link=application_link(application),
        )
    return certificate


def service_case_rule_save(
    *,
    actor: User | None,
    service: Any,
    silence_consent: bool,
    basis_zh: str = "",
    basis_en: str = "",
) -> Any:
    """Record how cases of ``service`` are handled (city administrators; None = system load).

    Silence means consent needs its legal basis stated.
    """
    from onestop.applications.models import ServiceCaseRule
    from onestop.core.permissions import is_city_admin

    if actor is not None and not is_city_admin(actor):
        raise PermissionDenied(_("Only city administrators change how a service's cases run."))
    if silence_consent and not (basis_zh.strip() or basis_en.strip()):
        raise ValidationFailed(
            [
                FieldError(
                    "basis_zh",
                    _("Give the legal basis that makes silence mean consent."),
                    "required",
                )
            ]
        )
    with transaction.atomic():
        rule, created = ServiceCaseRule.objects.select_for_update().get_or_create(service=service)
        before = {"silence_consent": rule.silence_consent, "basis_zh": rule.basis_zh}
        rule.silence_consent = silence_consent
        rule.basis_zh = basis_zh.strip()
        rule.basis_en = basis_en.strip()
        rule.save()
        audit_record(
            actor=actor,
            action="service_case_rule.save",
            obj=rule,
            changes={
                "created": created,
                "silence_consent": [before["silence_consent"], silence_consent],
                "basis_zh": [before["basis_zh"], rule.basis_zh],
            },
        )
    return rule
