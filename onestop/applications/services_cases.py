"""Case workflow: every transition of a case up to review (decisions: ``services_decisions``;
certificates: ``services_certificates``).

submitted -> accepted | returned (补正: correction requested; the clock pauses)
returned -> submitted (resubmitted; the clock resumes, due date moved by the pause)
accepted -> under_review -> approved | refused (with reasons and the way to appeal)
approved -> certificate_issued; a certificate can later be revoked.
Approving a case starts the cases that waited for it (when all their prerequisites are
approved), with their own legal clocks.

Each service: permission check (``permissions.py``), one transaction that locks the
application row then the case row (always in that order), the version the officer saw compared
with the stored one (``case_changed`` on a mismatch: someone else acted first), one audit row,
a timeline event, and the applicant notified after commit. The application's status is
derived from its cases inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.applications import notifications as kinds
from onestop.applications.models import (
    Application,
    ApplicationDocument,
    Case,
    CaseEvent,
    CaseState,
)
from onestop.applications.permissions import (
    can_assign_case,
    can_work_on_case,
    is_agency_officer,
    is_applicant,
)
from onestop.applications.services_common import (
    application_link,
    bi,
    case_link,
    refresh_status,
    service_names,
)
from onestop.core.audit import audit_record
from onestop.core.clocks import clock_pause, clock_resume
from onestop.core.errors import Conflict, DomainError, FieldError, ValidationFailed
from onestop.core.models import Document, User
from onestop.core.notifications import NotificationKind, notify
from onestop.core.roles import Role

COMMENT_MAX = 4000

DEFAULT_APPEAL_INFO = gettext_lazy(
    "If you disagree with this decision you may apply for administrative reconsideration "
    "within 60 days of receiving it (Administrative Reconsideration Law, art. 9), or bring "
    "an administrative lawsuit at the people's court within six months (Administrative "
    "Procedure Law, art. 46)."
)


def _case_changed() -> Conflict:
    return Conflict(
        "case_changed",
        gettext_lazy(
            "The case changed while you were looking at it: another officer acted on it first. "
            "Reload the case to see its current state, then try again if still needed."
        ),
    )


def _wrong_state(case: Case, action: Promise | str) -> DomainError:
    return DomainError(
        code="case_state",
        message=_("The case is %(state)s, so it cannot be %(action)s now.")
        % {"state": case.get_state_display(), "action": action},
        status=409,
    )


def _text(field: str, value: str, *, required: bool, label: Promise | str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(
            [FieldError(field, _("Enter %(what)s.") % {"what": label}, "required")]
        )
    if len(value) > COMMENT_MAX:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    _("%(what)s can be at most %(max)s characters long.")
                    % {"what": label, "max": COMMENT_MAX},
                    "too_long",
                )
            ]
        )
    return value


def _lock(case: Case | int) -> tuple[Application, Case]:
    """Lock the application, then the case (one order everywhere: no deadlock)."""
    case_id = case if isinstance(case, int) else case.pk
    application_id = Case.objects.values_list("application_id", flat=True).get(pk=case_id)
    application = Application.objects.select_for_update().get(pk=application_id)
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("service__current", "service_version", "agency", "clock")
        .get(pk=case_id)
    )
    locked.application = application
    return application, locked


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and case.version != version:
        raise _case_changed()


def _save(case: Case, fields: list[str], now: dt.datetime) -> None:
    case.version += 1
    case.updated_at = now
    case.save(update_fields=[*fields, "version", "updated_at"])


def _event(case: Case, actor: User | None, action: str, comment: str = "", at: Any = None) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, action=action, comment=comment, at=at or timezone.now()
    )


def _params(case: Case, **extra: Any) -> dict[str, Any]:
    return {
        "reference": case.application.reference,
        "service": service_names(case),
        "agency": bi(case.agency, "name"),
        "due": case.due_on.isoformat() if case.due_on else "-",
        **extra,
    }


def _tell_applicant(case: Case, kind: NotificationKind, **extra: Any) -> None:
    notify(
        recipient_ids=[case.application.applicant_user_id],
        kind=kind,
        params=_params(case, **extra),
        link=application_link(case.application),
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to act on this case."))


def _finish(
    *,
    actor: User | None,
    application: Application,
    case: Case,
    action: str,
    before: str,
    comment: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    refresh_status(application)
    _event(case, actor, action, comment)
    audit_record(
        actor=actor,
        action=f"case.{action}",
        obj=case,
        changes={
            "state": [before, case.state],
            "version": [case.version - 1, case.version],
            **(changes or {}),
        },
    )


def case_claim(*, actor: User, case: Case, version: int) -> Case:
    """Take the case: the actor becomes its assignee."""
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_work_on_case(actor, case))
        _check_version(case, version)
        if case.state not in (
            CaseState.SUBMITTED,
            CaseState.ACCEPTED,
            CaseState.UNDER_REVIEW,
            CaseState.RETURNED,
        ):
            raise _wrong_state(case, _("claimed"))
        before_assignee = case.assignee_id
        case.assignee = actor
        _save(case, ["assignee"], timezone.now())
        _finish(
            actor=actor,
            application=application,
            case=case,
            action="claim",
            before=case.state,
            changes={"assignee": [before_assignee, actor.pk]},
        )
    return case


def case_assign(*, actor: User, case: Case, assignee: User | None, version: int) -> Case:
    """Give the case to an officer of its agency (reviewers and heads), or to nobody."""
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_assign_case(actor, case))
        _check_version(case, version)
        if assignee is not None and not is_agency_officer(assignee, case.agency_id):
            raise ValidationFailed(
                [
                    FieldError(
                        "assignee",
                        _("Choose an officer of %(agency)s.") % {"agency": case.agency.name},
                        "invalid",
                    )
                ]
            )
        if case.state not in (
            CaseState.SUBMITTED,
            CaseState.ACCEPTED,
            CaseState.UNDER_REVIEW,
            CaseState.RETURNED,
        ):
            raise _wrong_state(case, _("assigned"))
        before_assignee = case.assignee_id
        case.assignee = assignee
        _save(case, ["assignee"], timezone.now())
        _finish(
            actor=actor,
            application=application,
            case=case,
            action="assign",
            before=case.state,
            comment=assignee.display_name if assignee else "",
            changes={"assignee": [before_assignee, assignee.pk if assignee else None]},
        )
        if assignee is not None and assignee.pk != actor.pk:
            notify(
                recipient_ids=[assignee.pk],
                kind=kinds.CASE_ASSIGNED,
                params=_params(case),
                link=case_link(case),
            )
    return case


def _advance(
    *,
    actor: User,
    case: Case,
    version: int,
    comment: str,
    before: str,
    after: str,
    action: str,
    refused_as: Promise | str,
    kind: NotificationKind,
) -> Case:
    """A plain step forward by an officer of the agency (accept, start review): the actor
    becomes the assignee if nobody is, and the applicant is told."""
    comment = _text("comment", comment, required=False, label=_("the comment"))
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_work_on_case(actor, case))
        _check_version(case, version)
        if case.state != before:
            raise _wrong_state(case, refused_as)
        case.state = after
        if case.assignee_id is None:
            case.assignee = actor
        _save(case, ["state", "assignee"], timezone.now())
        _finish(
            actor=actor,
            application=application,
            case=case,
            action=action,
            before=before,
            comment=comment,
        )
        _tell_applicant(case, kind)
    return case


def case_accept(*, actor: User, case: Case, version: int, comment: str = "") -> Case:
    """受理: the application is complete and in the agency's competence."""
    return _advance(
        actor=actor,
        case=case,
        version=version,
        comment=comment,
        before=CaseState.SUBMITTED,
        after=CaseState.ACCEPTED,
        action="accept",
        refused_as=_("accepted"),
        kind=kinds.CASE_ACCEPTED,
    )


def case_return(*, actor: User, case: Case, version: int, correction_request: str) -> Case:
    """补正: tell the applicant exactly what to correct; the legal clock pauses."""
    correction_request = _text(
        "correction_request", correction_request, required=True, label=_("what to correct")
    )
    with transaction.atomic():
        application, case = _lock(case)
        _require(can_work_on_case(actor, case))
        _check_version(case, version)
        before = case.state
        if before not in (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW):
            raise _wrong_state(case, _("returned for correction"))
        today = timezone.localdate()
        if case.clock is not None and case.clock.state == "running":
            clock_pause(clock=case.clock, on=today)
        case.state = CaseState.RETURNED
        case.correction_request = correction_request
        _save(case, ["state", "correction_request"], timezone.now())
        _finish(
            actor=actor,
            application=application,
            case=case,
            action="return",
            before=before,
            comment=correction_request,
        )
        _tell_applicant(case, kinds.CASE_RETURNED, text=correction_request)
    return case


def case_resubmit(
    *,
    actor: User,
    case: Case,
    comment: str = "",
    documents: dict[str, Document] | None = None,
    version: int | None = None,
) -> Case:
    """The applicant answers a correction request; the clock resumes.

    ``documents`` (requirement -> Document) replace documents of the application that this
    case needs; every case needing the requirement sees the new file.
    """
    comment = _text("comment", comment, required=False, label=_("the comment"))
    with transaction.atomic():
        application, case = _lock(case)
        if not is_applicant(actor, application):
            raise PermissionDenied(_("Only the applicant can resubmit."))
        _check_version(case, version)
        if case.state != CaseState.RETURNED:
            raise _wrong_state(case, _("resubmitted"))
        replaced = _replace_documents(actor, application, case, documents or {})
        today = timezone.localdate()
        if case.clock is not None and case.clock.state == "paused":
            clock_resume(clock=case.clock, on=today)
            case.due_on = case.clock.due_on
        case.state = CaseState.SUBMITTED
        _save(case, ["state", "due_on"], timezone.now())
        _finish(
            actor=actor,
            application=application,
            case=case,
            action="resubmit",
            before=CaseState.RETURNED,
            comment=comment,
            changes={"documents": replaced},
        )
        recipients = (
            [case.assignee_id]
            if case.assignee_id
            else list(
                User.objects.filter(
                    role=Role.OFFICER, agency_id=case.agency_id, is_active=True
                ).values_list("pk", flat=True)
            )
        )
        notify(
            recipient_ids=recipients,
            kind=kinds.CASE_RESUBMITTED,
            params=_params(case),
            link=case_link(case),
        )
    return case


def _replace_documents(
    actor: User, application: Application, case: Case, documents: dict[str, Document]
) -> list[str]:
    if not documents:
        return []
    slots = {
        slot.requirement: slot
        for slot in ApplicationDocument.objects.filter(
            application=application, case_links__case=case
        )
    }
    errors = [
        FieldError(
            f"documents.{key}",
            _("This case does not ask for %(requirement)s.") % {"requirement": key},
            "unknown",
        )
        for key in documents
        if key not in slots
    ]
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    for key, document in documents.items():
        usable = document.uploaded_by_id == actor.pk or (
            application.applicant_enterprise_id is not None
            and document.owner_enterprise_id == application.applicant_enterprise_id
        )
        if not usable:
            raise PermissionDenied(_("You can only use documents you or your enterprise uploaded."))
        slot = slots[key]
        slot.document = document
        slot.attached_at = now
        slot.attached_by = actor
        slot.save(update_fields=["document", "attached_at", "attached_by"])
    return sorted(documents)


ACTIONS = (
    "claim",
    "assign",
    "accept",
    "return",
    "start_review",
    "approve",
    "refuse",
    "issue_certificate",
)
