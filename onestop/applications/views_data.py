"""What the applicant pages show, built from an application: plain dicts for the templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.applications.models import Application, Case, CaseEvent, CaseState
from onestop.applications.selectors import case_title
from onestop.applications.views_common import case_state, event_label
from onestop.catalogue.finder_answers import localized


def _shown(question: dict[str, Any], value: Any) -> str:
    """An answer as people read it (the labels of choices, yes or no, a percentage)."""
    if value is None or value == "":
        return ""
    labels = {c["value"]: localized(c, "label") for c in question.get("choices", [])}
    if question["type"] == "bool":
        return _("Yes") if value in (True, "yes", "true") else _("No")
    if question["type"] == "multi":
        return ", ".join(labels.get(v, v) for v in value) or _("None of these")
    if question["type"] == "percent":
        return f"{value}%"
    return str(labels.get(value, value))


def profile_rows(application: Application) -> list[dict[str, str]]:
    questions = application.journey.questions if application.journey else []
    answers = application.answers or {}
    return [
        {"label": localized(q, "label"), "answer": _shown(q, answers.get(q["key"]))}
        for q in questions
    ]


def base_context(application: Application) -> dict[str, Any]:
    enterprise = application.applicant_enterprise
    return {
        "application": application,
        "journey_name": str(application.journey) if application.journey else "",
        "profile": profile_rows(application),
        "applicant_name": str(enterprise)
        if enterprise
        else application.applicant_user.display_name,
    }


def clock_view(case: Case, today: dt.date) -> dict[str, Any] | None:
    """The case's legal clock as the pages show it (None before the case starts)."""
    from onestop.core.clocks import clock_remaining

    clock = getattr(case, "clock", None)
    if clock is None:
        return None
    remaining = clock_remaining(clock, today)
    return {
        "state": clock.state,
        "due_on": clock.due_on,
        "paused_on": clock.paused_on,
        "stopped_on": clock.stopped_on,
        "remaining": remaining,
        "overdue": -remaining if remaining < 0 else 0,
    }


def _certificate(case: Case) -> Any:
    try:
        return case.certificate
    except Case.certificate.RelatedObjectDoesNotExist:
        return None


def case_row(case: Case, *, today: dt.date) -> dict[str, Any]:
    application = case.application
    certificate = _certificate(case)
    return {
        "id": case.pk,
        "title": case_title(case),
        "agency": str(case.agency),
        "state": case_state(case.state),
        "clock": clock_view(case, today),
        "waiting_for": [
            case_title(p)
            for p in case.prerequisites.all()
            if p.state not in (CaseState.APPROVED, CaseState.CERTIFICATE_ISSUED)
        ]
        if case.state == CaseState.WAITING
        else [],
        "certificate": certificate,
        "refusal": {"reasons": case.decision_reasons, "appeal_info": case.appeal_info}
        if case.state == CaseState.REFUSED
        else None,
        "certificate_url": reverse(
            "applications:certificate_pdf", args=[application.reference, case.pk]
        )
        if certificate is not None
        else "",
        "correction_url": reverse("applications:correction", args=[application.reference, case.pk])
        if case.state == CaseState.RETURNED
        else "",
    }


def _cases(application: Application) -> list[Case]:
    return list(
        application.cases.select_related(
            "service__current", "service_version", "agency", "clock", "certificate", "application"
        )
        .prefetch_related("prerequisites__service__current", "prerequisites__service_version")
        .order_by("id")
    )


def case_rows(application: Application) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [case_row(c, today=today) for c in _cases(application)]


def timeline_events(application: Application) -> list[dict[str, Any]]:
    """Every case's events in one list, newest first."""
    events = (
        CaseEvent.objects.filter(case__application=application)
        .select_related("case__service__current", "case__service_version", "case__agency")
        .order_by("-at", "-id")
    )
    return [
        {
            "at": e.at,
            "label": event_label(e.action),
            "action": e.action,
            "title": case_title(e.case),
            "agency": str(e.case.agency),
            "comment": e.comment,
        }
        for e in events
    ]


def _planned(application: Application) -> list[Any]:
    """The services of the plan stored at intake, in plan order (before the cases exist)."""
    from onestop.catalogue.models import PublicService

    identifiers = [s["service"] for s in (application.plan or {}).get("steps", [])]
    found = {
        s.identifier: s
        for s in PublicService.objects.filter(identifier__in=identifiers).select_related(
            "current", "agency"
        )
    }
    return [found[i] for i in identifiers if i in found]


def planned_services(application: Application) -> list[dict[str, str]]:
    cases = _cases(application)
    if cases:
        return [{"title": case_title(c), "agency": str(c.agency)} for c in cases]
    return [
        {"title": str(s.current or s.identifier), "agency": str(s.agency)}
        for s in _planned(application)
    ]


def document_rows(application: Application, case: Case | None = None) -> list[dict[str, Any]]:
    """Each document of the application once, with the procedures that need it."""
    rows = application.documents.select_related("document").order_by("id")
    if case is not None:
        rows = rows.filter(case_links__case=case)
    needed_by: dict[int, list[str]] = {}
    links = (
        application.cases.values_list(
            "case_documents__application_document_id",
            "service_version__title_zh",
            "service_version__title_en",
            "service__current__title_zh",
            "service__current__title_en",
        )
        .filter(case_documents__isnull=False)
        .order_by("id")
    )
    english = translation_language() == "en"
    for document_id, applied_zh, applied_en, current_zh, current_en in links:
        # The version applied for, as the case rows say; the current one when it is unknown.
        known = bool(applied_zh or applied_en)
        title_zh, title_en = (applied_zh, applied_en) if known else (current_zh, current_en)
        title = (title_en or title_zh) if english else (title_zh or title_en)
        needed_by.setdefault(document_id, []).append(title)
    if not needed_by:
        by_key: dict[str, list[str]] = {}
        for service in _planned(application):
            for doc in service.current.documents if service.current else []:
                by_key.setdefault(doc["key"], []).append(str(service.current))
        for row in rows:
            needed_by[row.pk] = by_key.get(row.requirement, [])
    return [
        {
            "id": row.pk,
            "requirement": row.requirement,
            "name": str(row.name),
            "needed_by": needed_by.get(row.pk, []),
            "fetched": row.obtainable_from_other_agency,
            "document": row.document,
            "url": reverse("applications:upload", args=[application.reference, row.pk]),
        }
        for row in rows
    ]


def translation_language() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "").startswith("en") else "zh"


def reusable_documents(user: Any, application: Application, current: Any) -> list[Any]:
    """Files the applicant (or their enterprise) uploaded before, newest first."""
    from onestop.core.documents import documents_of

    found = documents_of(enterprise=application.applicant_enterprise, user=user)
    if current is not None:
        found = found.exclude(pk=current.pk)
    return list(found.order_by("-uploaded_at")[:20])


def reusable_document(user: Any, application: Application, raw: str) -> Any:
    from onestop.core.documents import documents_of

    try:
        import uuid

        key = uuid.UUID(str(raw))
    except ValueError:
        return None
    return (
        documents_of(enterprise=application.applicant_enterprise, user=user).filter(pk=key).first()
    )


def replacement_documents(
    user: Any, application: Application, chosen: dict[str, str]
) -> dict[str, Any]:
    """requirement -> Document for the replacements kept in the session (still reusable)."""
    result = {}
    for requirement, raw in chosen.items():
        document = reusable_document(user, application, raw)
        if document is not None:
            result[requirement] = document
    return result
