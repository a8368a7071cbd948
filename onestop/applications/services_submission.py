"""Submission: a draft fanned out into one case per procedure, in one transaction (cases
without open prerequisites start their legal clock at once, the others wait until their
prerequisites are approved); and ``application_apply``, the API's start-attach-submit in one
call. Both take an optional idempotency key: a repeated call returns the first application.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.applications import notifications as kinds
from onestop.applications.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseDocument,
    CaseEvent,
    CaseState,
    ServiceCaseRule,
)
from onestop.applications.permissions import is_applicant
from onestop.applications.services_common import application_link, start_case_clocks
from onestop.applications.services_intake import (
    _check_key,
    _Draft,
    start_once,
)
from onestop.catalogue.models import Journey, PublicService
from onestop.core.audit import audit_record
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import Document, User
from onestop.core.notifications import notify
from onestop.enterprises.models import Enterprise


def application_submit(
    *, actor: User, application: Application, idempotency_key: str | None = None
) -> Application:
    """Submit a draft: one case per procedure, clocks started where nothing is awaited.

    Raises ValidationFailed with one error per missing document (``documents.<requirement>``).
    Submitting an application that is already submitted returns it unchanged. A key given
    here is stored on the application; if another application of the applicant already holds
    it, that one is returned and nothing changes.
    """
    if not is_applicant(actor, application):
        raise PermissionDenied(_("Only the applicant can submit the application."))
    key = _check_key(idempotency_key)
    if key is not None and application.idempotency_key != key:
        other = (
            Application.objects.filter(applicant_user=actor, idempotency_key=key)
            .exclude(pk=application.pk)
            .first()
        )
        if other is not None:
            return other
    try:
        with transaction.atomic():
            return _submit(actor=actor, application=application, key=key)
    except IntegrityError:
        if key is None:
            raise
        return Application.objects.get(applicant_user=actor, idempotency_key=key)


def _submit(
    *, actor: User, application: Application, key: str | None, draft: _Draft | None = None
) -> Application:
    """Fan out. ``draft``: the application was created in this very transaction (by
    ``application_apply``), so its rows are already at hand and nobody else can see it."""
    if draft is None:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.DRAFT:
            return application
        slots = list(application.documents.all().order_by("id"))
        steps = application.plan.get("steps", [])
        services = {
            s.identifier: s
            for s in PublicService.objects.filter(
                identifier__in=[step["service"] for step in steps]
            ).select_related("current")
        }
    else:
        slots = draft.slots
        steps = application.plan.get("steps", [])
        services = {s.identifier: s for s in draft.services}
    needed_by: dict[str, int] = {}
    for service in services.values():
        for doc in service.current.documents if service.current else []:
            needed_by[doc["key"]] = needed_by.get(doc["key"], 0) + 1
    missing = [
        FieldError(
            f"documents.{slot.requirement}",
            _("Upload %(name)s: %(count)s procedure(s) need it.")
            % {"name": slot.name, "count": needed_by.get(slot.requirement, 0)},
            "missing",
        )
        for slot in slots
        if slot.document_id is None and not slot.obtainable_from_other_agency
    ]
    if missing:
        raise ValidationFailed(
            missing,
            message=_("%(count)s document(s) are missing.") % {"count": len(missing)},
        )
    today = timezone.localdate()
    now = timezone.now()
    silence = set(
        ServiceCaseRule.objects.filter(
            service__in=services.values(), silence_consent=True
        ).values_list("service_id", flat=True)
    )
    cases: list[Case] = []
    for step in steps:
        found = services.get(step["service"])
        if found is None:
            continue
        service = found
        waiting = any(d in services for d in step.get("depends_on", []))
        case = Case(
            application=application,
            service=service,
            service_version=service.current,
            agency_id=service.agency_id,
            state=CaseState.WAITING if waiting else CaseState.SUBMITTED,
            silence_consent=service.pk in silence,
            submitted_at=None if waiting else now,
            updated_at=now,
        )
        cases.append(case)
    start_case_clocks([c for c in cases if c.state == CaseState.SUBMITTED], today)
    Case.objects.bulk_create(cases)
    by_identifier = {c.service.identifier: c for c in cases}
    through = Case.prerequisites.through
    through.objects.bulk_create(
        [
            through(from_case_id=by_identifier[step["service"]].pk, to_case_id=by_identifier[d].pk)
            for step in steps
            if step["service"] in by_identifier
            for d in step.get("depends_on", [])
            if d in by_identifier
        ]
    )
    slot_by_key = {slot.requirement: slot for slot in slots}
    CaseDocument.objects.bulk_create(
        [
            CaseDocument(case=case, application_document=slot_by_key[doc["key"]])
            for case in cases
            for doc in (case.service_version.documents if case.service_version else [])
            if doc["key"] in slot_by_key
        ],
        ignore_conflicts=True,
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                at=now,
                actor=actor,
                action="submitted" if case.state == CaseState.SUBMITTED else "waiting",
            )
            for case in cases
        ]
    )
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    fields = ["status", "submitted_at", "updated_at"]
    if draft is not None:
        fields.append("reference")
    if key is not None and application.idempotency_key is None:
        application.idempotency_key = key
        fields.append("idempotency_key")
    application.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="application.submit",
        obj=application,
        changes={
            **(draft.changes if draft is not None else {}),
            "status": [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED],
            "cases": len(cases),
            "waiting": sum(1 for c in cases if c.state == CaseState.WAITING),
        },
    )
    notify(
        recipient_ids=[application.applicant_user_id],
        kind=kinds.SUBMITTED,
        params={"reference": application.reference, "count": len(cases)},
        link=application_link(application),
    )
    return application


def application_apply(
    *,
    actor: User,
    journey: Journey,
    answers: dict[str, Any],
    documents: dict[str, Document] | None = None,
    enterprise: Enterprise | None = None,
    industry_codes_extra: list[str] | None = None,
    place: str = "outside_ftz",
    access_answers: dict[str, str] | None = None,
    idempotency_key: str | None = None,
    submit: bool = True,
) -> Application:
    """Start, attach ``documents`` (requirement -> Document) and submit, all or nothing.

    The API's one-call submission. With ``idempotency_key``, a repeated call (even a
    concurrent one) returns the first application and creates nothing.
    """

    def submit_draft(draft: _Draft) -> Application:
        # One audit row for the whole call: the submission's, which includes the start.
        return _submit(actor=actor, application=draft.application, key=None, draft=draft)

    return start_once(
        actor=actor,
        journey=journey,
        answers=answers,
        enterprise=enterprise,
        industry_codes_extra=industry_codes_extra,
        place=place,
        access_answers=access_answers,
        idempotency_key=idempotency_key,
        documents=documents,
        finish=submit_draft if submit else None,
    )


__all__ = [
    "application_apply",
    "application_submit",
]
