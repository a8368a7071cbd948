"""Plain data for the API from the selectors' results (texts in the active language)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from onestop.applications.models import Application, ApplicationDocument, Case, Certificate
from onestop.applications.selectors import (
    CaseView,
    QueuePage,
    Timeline,
    certificate_verify_url,
)


def document(slot: ApplicationDocument) -> dict[str, Any]:
    doc = slot.document
    return {
        "requirement": slot.requirement,
        "name": slot.name,
        "obtainable_from_other_agency": slot.obtainable_from_other_agency,
        "document": None
        if doc is None
        else {
            "id": doc.pk,
            "original_name": doc.original_name,
            "content_type": doc.content_type,
            "size": doc.size,
            "uploaded_at": doc.uploaded_at,
        },
        "missing": doc is None and not slot.obtainable_from_other_agency,
    }


def certificate(cert: Certificate) -> dict[str, Any]:
    return {
        "number": cert.number,
        "code": cert.code,
        "title": cert.title,
        "issued_on": cert.issued_on,
        "valid_to": cert.valid_to,
        "revoked": cert.revoked_at is not None,
        "verify_url": certificate_verify_url(cert),
    }


def case(view: CaseView) -> dict[str, Any]:
    c: Case = view.case
    return {
        "id": c.pk,
        "service": c.service.identifier,
        "title": view.title,
        "agency": view.agency,
        "agency_code": c.agency.code,
        "state": view.state,
        "state_label": str(view.state_label),
        "version": c.version,
        "due_on": view.due_on,
        "remaining": view.remaining,
        "overdue": view.overdue,
        "paused": view.paused,
        "waiting_for": view.waiting_for,
        "correction_request": c.correction_request,
        "decision_reasons": c.decision_reasons,
        "appeal_info": c.appeal_info,
        "assignee": c.assignee.display_name if c.assignee else None,
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "comment": e.comment,
                "actor": e.actor.display_name if e.actor else None,
            }
            for e in view.events
        ],
        "documents": [d.requirement for d in view.documents],
        "certificate": certificate(view.certificate) if view.certificate else None,
    }


def summary(app: Application) -> dict[str, Any]:
    return {
        "reference": app.reference,
        "status": app.status,
        "status_label": str(app.get_status_display()),
        "journey": app.plan.get("journey") if app.plan else None,
        "created_at": app.created_at,
        "submitted_at": app.submitted_at,
    }


def created(app: Application) -> dict[str, Any]:
    """The answer to a submission: the reference and each case (one query)."""
    cases = Case.objects.filter(application=app).order_by("pk")
    return {
        **summary(app),
        "cases": [
            {
                "id": pk,
                "service": identifier,
                "agency_code": agency_code,
                "state": state,
                "version": version,
                "due_on": due_on,
            }
            for pk, identifier, agency_code, state, version, due_on in cases.values_list(
                "pk", "service__identifier", "agency__code", "state", "version", "due_on"
            )
        ],
    }


def application(timeline: Timeline) -> dict[str, Any]:
    app = timeline.application
    enterprise = app.applicant_enterprise
    return {
        **summary(app),
        "enterprise": enterprise.credit_code if enterprise else None,
        "access_check": app.access_check,
        "documents": [document(slot) for slot in timeline.documents],
        "cases": [case(view) for view in timeline.cases],
    }


def queue(page: QueuePage) -> dict[str, Any]:
    items = []
    for c in page.rows:
        app = c.application
        enterprise = app.applicant_enterprise
        version = c.service_version or c.service.current
        items.append(
            {
                "id": c.pk,
                "reference": app.reference,
                "applicant": enterprise.name if enterprise else app.applicant_user.display_name,
                "service": c.service.identifier,
                "title": version.title if version else c.service.identifier,
                "state": c.state,
                "state_label": str(c.get_state_display()),
                "version": c.version,
                "due_on": c.due_on,
                "overdue": page.is_overdue(c),
                "assignee": c.assignee.display_name if c.assignee else None,
            }
        )
    return {
        "items": items,
        "page": page.page,
        "page_size": page.page_size,
        "count": page.total,
        "count_capped": page.total_capped,
        "has_next": page.has_next,
    }


def verification(cert: Certificate) -> dict[str, Any]:
    if cert.revoked_at is not None:
        status = "revoked"
    elif cert.valid_to is not None and cert.valid_to < timezone.localdate():
        status = "expired"
    else:
        status = "valid"
    return {
        "code": cert.code,
        "number": cert.number,
        "status": status,
        "title_zh": cert.title_zh,
        "title_en": cert.title_en,
        "holder_zh": cert.holder_zh,
        "holder_en": cert.holder_en,
        "issuer_zh": cert.issuer_zh,
        "issuer_en": cert.issuer_en,
        "issued_on": cert.issued_on,
        "valid_to": cert.valid_to,
        "revoked_at": cert.revoked_at,
        "revoked_reason": cert.revoked_reason,
    }
