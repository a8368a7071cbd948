"""Who may do what with applications, cases and certificates.

Applicants
- An application belongs to the user who started it and, when it was made for an enterprise,
  to that enterprise: every member of the enterprise may see and follow it; the applicant (or
  any member) attaches documents, submits and resubmits corrections.

Officers (role ``officer``) act only on cases of their own agency:
- any officer of the agency (clerk, reviewer, head) sees the agency's cases and their
  documents, claims a case, accepts it, returns it for correction and starts the review;
- assigning a case to a colleague is for reviewers and heads;
- deciding (approve, refuse) and issuing the certificate is for reviewers and heads: a clerk
  prepares, a more senior officer signs;
- revoking a certificate is for the head of the agency.
An officer of another agency gets 403 on the case and its documents.

City administrators may read every case (oversight) but take no decisions.
Reminders go to the officers of the agency; escalations of overdue cases to its head(s).
"""

from __future__ import annotations

from typing import Any

from onestop.applications.models import Application, Case
from onestop.core.permissions import is_city_admin
from onestop.core.roles import OfficerLevel, Role


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_applicant(user: Any, application: Application) -> bool:
    """The user who applied, or a member of the enterprise applied for."""
    if not _signed_in(user):
        return False
    if application.applicant_user_id == user.pk:
        return True
    if application.applicant_enterprise_id is None:
        return False
    return bool(user.memberships.filter(enterprise_id=application.applicant_enterprise_id).exists())


def can_view_application(user: Any, application: Application) -> bool:
    return is_applicant(user, application) or is_city_admin(user)


def is_agency_officer(user: Any, agency_id: int | None) -> bool:
    return bool(
        _signed_in(user)
        and user.role == Role.OFFICER
        and agency_id is not None
        and user.agency_id == agency_id
    )


def can_view_case(user: Any, case: Case) -> bool:
    """Officers of the case's agency, city administrators and the applicant."""
    if is_agency_officer(user, case.agency_id) or is_city_admin(user):
        return True
    return is_applicant(user, case.application)


def can_work_on_case(user: Any, case: Case) -> bool:
    """Claim, accept, return for correction, start the review."""
    return is_agency_officer(user, case.agency_id)


def can_assign_case(user: Any, case: Case) -> bool:
    return can_work_on_case(user, case) and user.officer_level in (
        OfficerLevel.REVIEWER,
        OfficerLevel.HEAD,
    )


def can_decide_case(user: Any, case: Case) -> bool:
    """Approve, refuse, issue the certificate."""
    return can_assign_case(user, case)


def can_revoke_certificate(user: Any, case: Case) -> bool:
    return can_work_on_case(user, case) and user.officer_level == OfficerLevel.HEAD
