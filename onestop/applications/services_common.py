"""Pieces shared by the application and case services (no transaction of their own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from onestop.applications.intake import service_limit
from onestop.applications.models import (
    FINAL_STATES,
    Application,
    ApplicationStatus,
    Case,
    CaseState,
)
from onestop.core.clocks import clock_due_on, clock_start
from onestop.core.models import ClockState, LegalClock

APPROVED_STATES = (CaseState.APPROVED, CaseState.CERTIFICATE_ISSUED)


def bi(obj: Any, field: str) -> dict[str, str]:
    """The {"zh", "en"} pair of a bilingual field, for notification parameters."""
    return {"zh": getattr(obj, f"{field}_zh", ""), "en": getattr(obj, f"{field}_en", "")}


def service_names(case: Case) -> dict[str, str]:
    version = case.service_version or case.service.current
    if version is None:
        return {"zh": case.service.identifier, "en": case.service.identifier}
    return {"zh": version.title_zh, "en": version.title_en}


def application_link(application: Application) -> str:
    return f"/applications/{application.reference}/"


def case_link(case: Case) -> str:
    return f"/officer/cases/{case.pk}/"


def start_case_clock(case: Case, today: dt.date) -> None:
    """Start the case's legal clock (limit from its service version) and copy the due date."""
    limit, unit, _source = service_limit(case.service_version)
    clock = clock_start(limit=limit, unit=unit, start=today)
    case.clock = clock
    case.due_on = clock.due_on


def start_case_clocks(cases: list[Case], today: dt.date) -> None:
    """Start the legal clocks of several new cases with one INSERT (a submission's fan-out).

    The due date comes from ``clock_due_on``, the rule ``clock_start`` uses; written in bulk
    so a five-case submission costs one statement instead of five inserts and their checks.
    """
    clocks = []
    for case in cases:
        limit, unit, _source = service_limit(case.service_version)
        due = clock_due_on(today, limit, unit)
        clocks.append(
            LegalClock(
                limit=limit, unit=unit, started_on=today, due_on=due, state=ClockState.RUNNING
            )
        )
    LegalClock.objects.bulk_create(clocks)
    for case, clock in zip(cases, clocks, strict=True):
        case.clock = clock
        case.due_on = clock.due_on


def derived_status(states: list[str]) -> str:
    """The application's status from its cases' states."""
    if not states:
        return ApplicationStatus.DRAFT
    if any(s == CaseState.REFUSED for s in states):
        return ApplicationStatus.REFUSED
    if any(s == CaseState.RETURNED for s in states):
        return ApplicationStatus.ACTION_NEEDED
    if all(s in FINAL_STATES for s in states):
        return ApplicationStatus.COMPLETED
    if all(s in (CaseState.SUBMITTED, CaseState.WAITING) for s in states):
        return ApplicationStatus.SUBMITTED
    return ApplicationStatus.IN_PROGRESS


def refresh_status(application: Application) -> str:
    """Store the status derived from the cases (call with the application row locked)."""
    states = list(Case.objects.filter(application=application).values_list("state", flat=True))
    status = derived_status(states)
    if status != application.status:
        application.status = status
    application.updated_at = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        status=application.status, updated_at=application.updated_at
    )
    return status
