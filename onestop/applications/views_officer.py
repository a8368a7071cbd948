"""Officers' pages: the agency's work queue and one case, with its actions.

An officer sees only their own agency's cases and, in a case, only what that case needs: the
application's business profile and the documents this procedure asks for. Every action is a
POST carrying the case version the officer saw; when someone else changed the case since, the
action is not applied and the page says so, showing the case as it is now.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.applications import services, views_data
from onestop.applications.forms import ACTIONS, CaseActionForm, QueueFilterForm
from onestop.applications.models import Case, CaseState
from onestop.applications.permissions import can_assign_case, can_decide_case, can_work_on_case
from onestop.applications.selectors import agency_officers
from onestop.applications.services import DEFAULT_APPEAL_INFO
from onestop.applications.views_common import case_state, require_officer
from onestop.core.errors import DomainError, FieldError, ValidationFailed
from onestop.core.permissions import require_authenticated

PAGE_SIZE = 25

# Which actions the case page offers in each state (the services decide what is allowed).
ACTIONS_BY_STATE: dict[str, tuple[str, ...]] = {
    CaseState.SUBMITTED: ("accept", "return"),
    CaseState.ACCEPTED: ("start_review", "return"),
    CaseState.UNDER_REVIEW: ("approve", "refuse", "return"),
    CaseState.APPROVED: ("issue",),
}
ACTION_LABELS = dict(ACTIONS)
# The fields each action's form shows (besides the hidden action and version).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "claim": (),
    "assign": ("assignee",),
    "accept": ("comment",),
    "return": ("correction_request",),
    "start_review": ("comment",),
    "approve": ("comment",),
    "refuse": ("reasons", "appeal_info"),
    "issue": (),
}


def allowed(user: Any, case: Case, action: str) -> bool:
    """Offer only what the officer may do (the services check again)."""
    if action in ("approve", "refuse", "issue"):
        return can_decide_case(user, case)
    if action == "assign":
        return can_assign_case(user, case)
    return can_work_on_case(user, case)


def _action_forms(
    user: Any,
    case: Case,
    bound: CaseActionForm | None = None,
    failed: str = "",
    typed: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One small form per action the case's state allows; ``bound`` (with its errors) for
    the action that failed. Ids carry the action's name, so they stay unique on the page."""
    result = []
    for action in ACTIONS_BY_STATE.get(case.state, ()):
        if not allowed(user, case, action):
            continue
        form = (
            bound
            if bound is not None and action == failed
            else CaseActionForm(
                initial={
                    **({"appeal_info": str(DEFAULT_APPEAL_INFO)} if action == "refuse" else {}),
                    **((typed or {}) if action == failed else {}),
                    "action": action,
                    "version": case.version,
                },
                auto_id=f"{action}-%s",
            )
        )
        result.append(
            {
                "action": action,
                "label": ACTION_LABELS[action],
                "form": form,
                "fields": [form[name] for name in ACTION_FIELDS[action]],
                "open": action == failed,
            }
        )
    return result


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = require_officer(request.user)
    from onestop.applications.selectors import officer_queue

    form = QueueFilterForm(request.GET or None, states=list(CaseState.choices))
    filters: dict[str, Any] = {}
    status = 200
    if request.GET and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    elif form.errors:
        status = 422
    raw_page = request.GET.get("page", "1")
    number = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 100_000 else 1
    result = officer_queue(
        user,
        state=filters.get("state") or None,
        assignee=filters.get("assignee") or None,
        overdue=bool(filters.get("overdue")),
        page=number,
        page_size=PAGE_SIZE,
    )
    rows = [_queue_row(case, user, result.is_overdue(case), result.today) for case in result.rows]
    query = urlencode({k: ("on" if v is True else v) for k, v in filters.items()})
    return render(
        request,
        "applications/officer_queue.html",
        {
            "form": form,
            "result": result,
            "rows": rows,
            "query": query,
            "agency": user.agency,
            "filtered": bool(filters),
            "previous_page": result.page - 1 if result.page > 1 else None,
            "next_page": result.page + 1 if result.has_next else None,
        },
        status=status,
    )


def _queue_row(case: Case, user: Any, overdue: bool, today: Any) -> dict[str, Any]:
    applicant = case.application.applicant_enterprise
    return {
        "case": case,
        "url": reverse("applications:case", args=[case.pk]),
        "title": str(case.service_version or case.service.current or case.service.identifier),
        "reference": case.application.reference,
        "applicant": str(applicant) if applicant else case.application.applicant_user.display_name,
        "state": case_state(case.state),
        "due_on": case.due_on,
        "paused": bool(case.clock and case.clock.state == "paused"),
        "overdue": overdue,
        "days_late": working_days_late(case.due_on, today) if overdue else 0,
        "assignee": case.assignee.display_name if case.assignee else "",
        "mine": case.assignee_id == user.pk,
        "can_claim": case.assignee_id != user.pk
        and case.state in (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW),
    }


def working_days_late(due_on: Any, today: Any) -> int:
    from onestop.core.workdays import working_days_between

    return max(1, working_days_between(due_on, today)) if due_on else 0


def _case(user: Any, case_id: int) -> Case:
    from onestop.applications.selectors import case_for_officer

    require_authenticated(user)
    return case_for_officer(user, case_id)


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    application = case.application
    today = timezone.localdate()
    row = views_data.case_row(case, today=today)
    documents = [
        {
            **d,
            "download": reverse("core:document_download", args=[d["document"].pk])
            if d["document"]
            else "",
        }
        for d in views_data.document_rows(application, case=case)
    ]
    events = [
        {
            "at": e.at,
            "label": views_data.event_label(e.action),
            "actor": e.actor.display_name if e.actor else _("OneStop"),
            "comment": e.comment,
        }
        for e in case.events.select_related("actor").order_by("-at", "-id")
    ]
    enterprise = application.applicant_enterprise
    return {
        "case": case,
        "row": row,
        "application": application,
        "applicant_name": str(enterprise)
        if enterprise
        else application.applicant_user.display_name,
        "profile": views_data.profile_rows(application),
        "documents": documents,
        "events": events,
        "can_claim": case.assignee_id != request.user.pk
        and can_work_on_case(request.user, case)
        and case.state not in (CaseState.REFUSED, CaseState.CERTIFICATE_ISSUED, CaseState.WAITING),
        "can_assign": can_assign_case(request.user, case)
        and case.state not in (CaseState.REFUSED, CaseState.CERTIFICATE_ISSUED, CaseState.WAITING),
        "officers": agency_officers(case.agency_id),
        "certificate": row["certificate"],
    }


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    context = _case_context(request, case)
    context["action_forms"] = _action_forms(request.user, case)
    return render(request, "applications/officer_case.html", context)


def _apply(user: Any, case: Case, action: str, data: dict[str, Any]) -> None:
    version = data["version"]
    comment = data.get("comment", "")
    if action == "claim":
        services.case_claim(actor=user, case=case, version=version)
    elif action == "assign":
        officers = agency_officers(case.agency_id)
        assignee = officers.filter(pk=data.get("assignee") or 0).first()
        if assignee is None:
            raise ValidationFailed(
                [FieldError("assignee", _("Choose an officer of this agency."), "invalid")]
            )
        services.case_assign(actor=user, case=case, assignee=assignee, version=version)
    elif action == "accept":
        services.case_accept(actor=user, case=case, version=version, comment=comment)
    elif action == "return":
        services.case_return(
            actor=user, case=case, version=version, correction_request=data["correction_request"]
        )
    elif action == "start_review":
        services.case_start_review(actor=user, case=case, version=version, comment=comment)
    elif action == "approve":
        services.case_approve(actor=user, case=case, version=version, comment=comment)
    elif action == "refuse":
        services.case_refuse(
            actor=user,
            case=case,
            version=version,
            reasons=data["reasons"],
            appeal_info=data["appeal_info"],
        )
    elif action == "issue":
        services.certificate_issue(actor=user, case=case, version=version)


def _done_message(action: str) -> str:
    return {
        "claim": _("You took the case."),
        "assign": _("The case is assigned."),
        "accept": _("The case is accepted."),
        "return": _("The case is returned for correction; its time limit is paused."),
        "start_review": _("The review has started."),
        "approve": _("The case is approved."),
        "refuse": _("The case is refused; the applicant is told why and how to appeal."),
        "issue": _("The certificate is issued."),
    }.get(action, _("Done."))


@require_POST
def case_action(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    failed = request.POST.get("action", "")
    form = CaseActionForm(request.POST, auto_id=f"{failed if failed in ACTION_FIELDS else 'x'}-%s")
    conflict = False
    status = 422
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            _apply(request.user, case, action, form.cleaned_data)
        except ValidationFailed as exc:
            for error in exc.errors:
                name = error.field if error.field in form.fields else None
                form.add_error(name, str(error.message))
            if not exc.errors:
                form.add_error(None, str(exc.message))
        except DomainError as exc:
            if exc.code == "case_changed":
                conflict = True
                status = 409
            else:
                form.add_error(None, str(exc.message))
                status = exc.status if 400 <= exc.status < 500 else 422
        else:
            messages.success(request, _done_message(action))
            if request.POST.get("next") == "queue":
                return redirect("applications:queue")
            return redirect("applications:case", case_id=case.pk)
    # Show the case as it is now (it may have changed), keeping what the officer typed.
    case = _case(request.user, case_id)
    data = request.POST.copy()
    data["version"] = str(case.version)
    form.data = data
    context = _case_context(request, case)
    context.update(
        form=form,
        conflict=conflict,
        action_forms=_action_forms(
            request.user,
            case,
            None if conflict else form,
            failed,
            typed={k: request.POST.get(k, "") for k in ACTION_FIELDS.get(failed, ())},
        ),
        failed_action=ACTION_LABELS.get(failed, ""),
    )
    return render(request, "applications/officer_case.html", context, status=status)
