"""Case decisions: review, approval, refusal, approval by silence, and the start of the cases
that waited for an approved one.

Same pattern as the rest of the case workflow in ``services_cases`` (whose locking, version
check, event and audit helpers it uses): permission check, one transaction locking the
application then the case, the version compared, one audit row, a timeline event, the
applicant notified after commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.applications import notifications as kinds
from onestop.applications.models import Application, Case, CaseState
from onestop.applications.permissions import can_decide_case
from onestop.applications.services_cases import (
    DEFAULT_APPEAL_INFO,
    _advance,
    _check_version,
    _event,
    _finish,
    _lock,
    _require,
    _save,
    _tell_applicant,
    _text,
    _wrong_state,
)
from onestop.applications.services_common import APPROVED_STATES, start_case_clock
from onestop.core.clocks import clock_stop
from onestop.core.models import User


def case_start_review(*, actor: User, case: Case, version: int, comment: str = "") -> Case:
    return _advance(
        actor=actor,
        case=case,
        version=version,
        comment=comment,
        before=CaseState.ACCEPTED,
        after=CaseState.UNDER_REVIEW,
        action="start_review",
        refused_as=_("put under review"),
        kind=kinds.CASE_UNDER_REVIEW,
    )


def _start_dependents(case: Case, actor: User | None) -> list[Case]:
    """Start the waiting cases whose prerequisites are now all approved."""
    started: list[Case] = []
    today = timezone.localdate()
    now = timezone.now()
    waiting = (
        Case.objects.select_for_update(of=("self",))
        .select_related("service__current", "service_version", "agency")
        .filter(prerequisites=case, state=CaseState.WAITING)
        .order_by("pk")
    )
    for dependent in waiting:
        open_prereqs = dependent.prerequisites.exclude(Q(state__in=APPROVED_STATES) | Q(pk=case.pk))
        if open_prereqs.exists():
            continue
        dependent.application = case.application
        start_case_clock(dependent, today)
        dependent.state = CaseState.SUBMITTED
        dependent.submitted_at = now
        _save(dependent, ["state", "clock", "due_on", "submitted_at"], now)
        _event(dependent, actor, "started")
        _tell_applicant(dependent, kinds.CASE_STARTED)
        started.append(dependent)
    return started


def _decide(
    *,
    actor: User | None,
    application: Application,
    case: Case,
    approve: bool,
    comment: str,
    appeal_info: str = "",
    action: str,
) -> Case:
    before = case.state
    today = timezone.localdate()
    now = timezone.now()
    if case.clock is not None and case.clock.state != "stopped":
        clock_stop(clock=case.clock, on=max(today, case.clock.paused_on or case.clock.started_on))
    case.state = CaseState.APPROVED if approve else CaseState.REFUSED
    case.decided_at = now
    case.decision_reasons = comment
    case.appeal_info = appeal_info
    _save(case, ["state", "decided_at", "decision_reasons", "appeal_info"], now)
    started = _start_dependents(case, actor) if approve else []
    _finish(
        actor=actor,
        application=application,
        case=case,
        action=action,
        before=before,
        comment=comment,
        changes={"started": [c.pk for c in started]} if started else None,
    )
    return case


def case_approve(*, actor: User, case: Case, version: int, comment: str = "") -> Case:
    """Approve (reviewers and heads). Cases waiting only for this one start now."""
    comment = _text("comment", comment, required=False, label=_("the comment"))
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_decide_case(actor, case))
        _check_version(case, version)
        if case.state not in (CaseState.ACCEPTED, CaseState.UNDER_REVIEW):
            raise _wrong_state(case, _("approved"))
        _decide(
            actor=actor,
            application=application,
            case=case,
            approve=True,
            comment=comment,
            action="approve",
        )
        _tell_applicant(case, kinds.CASE_APPROVED, text=comment)
    return case


def case_refuse(
    *, actor: User, case: Case, version: int, reasons: str, appeal_info: str = ""
) -> Case:
    """Refuse with the reasons and how to appeal (the standard wording when none is given)."""
    reasons = _text("reasons", reasons, required=True, label=_("the reasons"))
    appeal_info = _text("appeal_info", appeal_info, required=False, label=_("how to appeal"))
    appeal_info = appeal_info or str(DEFAULT_APPEAL_INFO)
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_decide_case(actor, case))
        _check_version(case, version)
        if case.state not in (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW):
            raise _wrong_state(case, _("refused"))
        _decide(
            actor=actor,
            application=application,
            case=case,
            approve=False,
            comment=reasons,
            appeal_info=appeal_info,
            action="refuse",
        )
        _tell_applicant(case, kinds.CASE_REFUSED, text=reasons, appeal=appeal_info)
    return case


def case_approve_by_silence(*, case: Case | int, today: dt.date) -> Case | None:
    """Silence means consent: approve a case whose clock ran out (no actor: the law did it).

    Returns None when the case no longer qualifies (decided meanwhile, clock paused, not due).
    """
    with transaction.atomic():
        application, case = _lock(case)
        clock = case.clock
        if (
            not case.silence_consent
            or case.state not in (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW)
            or clock is None
            or clock.state != "running"
            or clock.due_on >= today
        ):
            return None
        _decide(
            actor=None,
            application=application,
            case=case,
            approve=True,
            comment="",
            action="approve_by_silence",
        )
        _tell_applicant(case, kinds.CASE_APPROVED_SILENCE)
    return case
