"""What the applications pages share: state labels and tags, and who may open what."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from onestop.applications.permissions import can_view_application, is_applicant
from onestop.core.permissions import require, require_authenticated
from onestop.core.roles import Role

# A case's state as the pages show it: the words, and the GOV.UK tag colour. The words carry
# the meaning; the colour only repeats it.
CASE_STATES: dict[str, tuple[Any, str]] = {
    "waiting": (_("Waiting for an earlier procedure"), "govuk-tag--grey"),
    "submitted": (_("Submitted"), "govuk-tag--blue"),
    "returned": (_("Correction requested"), "govuk-tag--orange"),
    "accepted": (_("Accepted"), "govuk-tag--turquoise"),
    "under_review": (_("Under review"), "govuk-tag--purple"),
    "approved": (_("Approved"), "govuk-tag--green"),
    "refused": (_("Refused"), "govuk-tag--red"),
    "certificate_issued": (_("Certificate issued"), "govuk-tag--green"),
}

APPLICATION_STATUSES: dict[str, tuple[Any, str]] = {
    "draft": (_("Draft"), "govuk-tag--grey"),
    "submitted": (_("Submitted"), "govuk-tag--blue"),
    "in_progress": (_("In progress"), "govuk-tag--turquoise"),
    "action_needed": (_("Action needed"), "govuk-tag--orange"),
    "completed": (_("Completed"), "govuk-tag--green"),
    "refused": (_("Refused"), "govuk-tag--red"),
}

# Timeline rows: what each recorded action means to the applicant.
EVENT_LABELS: dict[str, Any] = {
    "submitted": _("Submitted"),
    "waiting": _("Submitted; waits for an earlier procedure"),
    "started": _("Started after the earlier procedures were approved"),
    "claim": _("An officer took the case"),
    "assign": _("Assigned to an officer"),
    "accept": _("Accepted"),
    "return": _("Correction requested"),
    "resubmit": _("Corrected and sent again"),
    "start_review": _("Review started"),
    "approve": _("Approved"),
    "approve_by_silence": _("Approved by tacit consent (the time limit passed)"),
    "refuse": _("Refused"),
    "certificate_issue": _("Certificate issued"),
    "certificate_revoke": _("Certificate revoked"),
}


def case_state(state: str) -> dict[str, Any]:
    label, tag = CASE_STATES.get(state, (state, "govuk-tag--grey"))
    return {"code": state, "label": label, "tag": tag}


def application_status(status: str) -> dict[str, Any]:
    label, tag = APPLICATION_STATUSES.get(status, (status, "govuk-tag--grey"))
    return {"code": status, "label": label, "tag": tag}


def event_label(action: str) -> Any:
    return EVENT_LABELS.get(action, action.replace("_", " "))


def require_applicant(user: Any) -> Any:
    """Applications are made by enterprise users and investors."""
    signed_in = require_authenticated(user)
    require(signed_in.has_role(Role.ENTERPRISE, Role.INVESTOR))
    return signed_in


def require_officer(user: Any) -> Any:
    """The work queue is for agency officers (each sees their own agency's cases)."""
    signed_in = require_authenticated(user)
    require(signed_in.has_role(Role.OFFICER) and signed_in.agency_id is not None)
    return signed_in


def application_or_404(user: Any, reference: str, *, applicant: bool = False) -> Any:
    """The application with this reference, when ``user`` may see it (403 if not, 404 if none).

    ``applicant``: only the applicant (and their enterprise's members), e.g. to change it;
    otherwise city administrators may read it too."""
    from onestop.applications.models import Application

    require_authenticated(user)
    application = (
        Application.objects.select_related("journey", "applicant_enterprise", "applicant_user")
        .filter(reference=reference)
        .first()
    )
    if application is None:
        raise Http404
    require(
        is_applicant(user, application) if applicant else can_view_application(user, application)
    )
    return application
