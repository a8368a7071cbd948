"""What the legal clocks set off: reminders, escalations, approval by silence.

Run once a day or more often (``onestop run-clocks`` from cron, or the tasks in ``tasks.py``);
running again the same day sends nothing twice: every reminder and escalation is recorded as a
``CaseAlert`` (unique per case, kind and due date), and a case approved by silence is no
longer open.

- Reminders: ``REMINDER_DAYS`` working days before the due date (and on the due date), to
  the assignee, or to every officer of the agency while nobody has claimed the case. When a
  case is already inside several reminder windows only the closest reminder is sent.
- Escalation: once a case is overdue, once per due date, to the head(s) of its agency.
- Silence means consent: a case of a service whose ``ServiceCaseRule.silence_consent`` is set
  is approved when its clock has run out (the day after the due date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from onestop.applications import notifications as kinds
from onestop.applications.models import OPEN_STATES, Case, CaseAlert
from onestop.applications.services_common import bi, case_link, service_names
from onestop.applications.services_decisions import case_approve_by_silence
from onestop.core.audit import audit_record
from onestop.core.models import ClockState, User
from onestop.core.notifications import NotificationKind, notify
from onestop.core.roles import OfficerLevel, Role
from onestop.core.workdays import add_working_days, working_days_between

REMINDER_DAYS = (3, 1, 0)


@dataclass
class ClockRun:
    reminded: int = 0
    escalated: int = 0
    approved_by_silence: int = 0


def _open_running() -> QuerySet[Case]:
    return Case.objects.filter(state__in=OPEN_STATES, clock__state=ClockState.RUNNING)


def _alert(
    *,
    case: Case,
    kinds_sent: list[str],
    recipients: list[int],
    kind: NotificationKind,
    params: dict[str, Any],
) -> bool:
    """Record the alerts and notify, once; False if they were already sent."""
    try:
        with transaction.atomic():
            assert case.due_on is not None
            for code in kinds_sent:
                CaseAlert.objects.create(case=case, kind=code, due_on=case.due_on)
            audit_record(
                actor=None,
                action=f"case.{kinds_sent[0].split('_')[0]}",
                obj=case,
                changes={"alerts": kinds_sent, "due_on": case.due_on, "to": recipients},
            )
            notify(recipient_ids=recipients, kind=kind, params=params, link=case_link(case))
    except IntegrityError:
        return False
    return True


def _params(case: Case, **extra: Any) -> dict[str, Any]:
    return {
        "reference": case.application.reference,
        "service": service_names(case),
        "agency": bi(case.agency, "name"),
        "due": case.due_on.isoformat() if case.due_on else "-",
        **extra,
    }


def clocks_remind(*, today: dt.date | None = None) -> int:
    """Send the reminders that are due; returns how many cases were reminded."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, max(REMINDER_DAYS))
    cases = (
        _open_running()
        .filter(due_on__gte=today, due_on__lte=horizon)
        .select_related("application", "agency", "service__current", "service_version")
        .order_by("due_on", "pk")
    )
    sent = 0
    for case in cases.iterator(chunk_size=500):
        if case.due_on is None:  # filtered out above; for the type checker
            continue
        left = working_days_between(today, case.due_on)
        windows = [d for d in REMINDER_DAYS if left <= d]
        if not windows:
            continue
        already = set(
            CaseAlert.objects.filter(case=case, due_on=case.due_on).values_list("kind", flat=True)
        )
        fresh = [f"remind_{d}" for d in sorted(windows) if f"remind_{d}" not in already]
        if not fresh:
            continue
        recipients = (
            [case.assignee_id]
            if case.assignee_id
            else list(
                User.objects.filter(
                    role=Role.OFFICER, agency_id=case.agency_id, is_active=True
                ).values_list("pk", flat=True)
            )
        )
        if _alert(
            case=case,
            kinds_sent=fresh,
            recipients=recipients,
            kind=kinds.CASE_DUE_SOON,
            params=_params(case, days=max(left, 0)),
        ):
            sent += 1
    return sent


def clocks_escalate(*, today: dt.date | None = None) -> int:
    """Tell the agency head(s) about each overdue case, once per due date."""
    today = today or timezone.localdate()
    cases = (
        _open_running()
        .filter(due_on__lt=today)
        .exclude(alerts__kind="escalate", alerts__due_on=F("due_on"))
        .select_related("application", "agency", "assignee", "service__current", "service_version")
        .order_by("due_on", "pk")
    )
    sent = 0
    heads: dict[int, list[int]] = {}
    for case in cases.iterator(chunk_size=500):
        if case.due_on is None or (
            CaseAlert.objects.filter(case=case, kind="escalate", due_on=case.due_on).exists()
        ):
            continue
        if case.agency_id not in heads:
            heads[case.agency_id] = list(
                User.objects.filter(
                    role=Role.OFFICER,
                    agency_id=case.agency_id,
                    officer_level=OfficerLevel.HEAD,
                    is_active=True,
                ).values_list("pk", flat=True)
            )
        assignee = case.assignee.display_name if case.assignee else "-"
        if _alert(
            case=case,
            kinds_sent=["escalate"],
            recipients=heads[case.agency_id],
            kind=kinds.CASE_OVERDUE,
            params=_params(case, assignee=assignee),
        ):
            sent += 1
    return sent


def silence_consent_apply(*, today: dt.date | None = None) -> int:
    """Approve the silence-means-consent cases whose clock has run out."""
    today = today or timezone.localdate()
    ids = list(
        _open_running()
        .filter(silence_consent=True, due_on__lt=today)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if case_approve_by_silence(case=pk, today=today) is not None)


def clocks_run(*, today: dt.date | None = None) -> ClockRun:
    """Everything the clocks set off, in order: silence first (a consented case needs no
    reminder), then escalations and reminders."""
    today = today or timezone.localdate()
    run = ClockRun()
    run.approved_by_silence = silence_consent_apply(today=today)
    run.escalated = clocks_escalate(today=today)
    run.reminded = clocks_remind(today=today)
    return run
