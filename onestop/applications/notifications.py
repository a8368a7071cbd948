"""Notification kinds of the applications domain (bilingual, queued after commit).

Parameters: ``reference`` (the application), ``service`` and ``agency`` ({"zh", "en"} pairs),
``due`` (ISO date), ``text`` (what the officer wrote).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onestop.core.notifications import register_kind

SUBMITTED = register_kind(
    "applications.submitted",
    title=_("Application %(reference)s received"),
    body=_(
        "Your application %(reference)s has been received and sent to %(count)s procedures. "
        "The application page shows each one with its due date."
    ),
)
CASE_STARTED = register_kind(
    "applications.case_started",
    title=_("%(service)s has started (%(reference)s)"),
    body=_(
        "The steps it waited for are approved, so %(agency)s now handles %(service)s. "
        "It is due by %(due)s."
    ),
)
CASE_ACCEPTED = register_kind(
    "applications.case_accepted",
    title=_("%(service)s accepted (%(reference)s)"),
    body=_("%(agency)s has accepted your application for %(service)s. It is due by %(due)s."),
)
CASE_RETURNED = register_kind(
    "applications.case_returned",
    title=_("Please correct your application for %(service)s (%(reference)s)"),
    body=_(
        "%(agency)s asks you to correct your application: %(text)s "
        "The time limit is paused until you resubmit."
    ),
)
CASE_UNDER_REVIEW = register_kind(
    "applications.case_under_review",
    title=_("%(service)s is under review (%(reference)s)"),
    body=_("%(agency)s has started reviewing your application for %(service)s."),
)
CASE_APPROVED = register_kind(
    "applications.case_approved",
    title=_("%(service)s approved (%(reference)s)"),
    body=_("%(agency)s has approved your application for %(service)s. %(text)s"),
)
CASE_APPROVED_SILENCE = register_kind(
    "applications.case_approved_by_silence",
    title=_("%(service)s approved: time limit passed (%(reference)s)"),
    body=_(
        "%(agency)s did not decide on %(service)s by %(due)s. The rules of this procedure say "
        "that silence means consent, so your application is approved."
    ),
)
CASE_REFUSED = register_kind(
    "applications.case_refused",
    title=_("%(service)s refused (%(reference)s)"),
    body=_(
        "%(agency)s has refused your application for %(service)s: %(text)s "
        "How to appeal: %(appeal)s"
    ),
)
CERTIFICATE_ISSUED = register_kind(
    "applications.certificate_issued",
    title=_("Certificate issued: %(service)s (%(reference)s)"),
    body=_(
        "%(agency)s has issued certificate %(number)s. You can download it from the "
        "application page; anyone can check it with the code %(code)s."
    ),
)
CERTIFICATE_REVOKED = register_kind(
    "applications.certificate_revoked",
    title=_("Certificate %(number)s revoked"),
    body=_("%(agency)s has revoked certificate %(number)s: %(text)s"),
)
CASE_ASSIGNED = register_kind(
    "applications.case_assigned",
    title=_("A case was assigned to you: %(service)s (%(reference)s)"),
    body=_("The case is due by %(due)s."),
)
CASE_RESUBMITTED = register_kind(
    "applications.case_resubmitted",
    title=_("Correction received: %(service)s (%(reference)s)"),
    body=_(
        "The applicant has resubmitted the application. The time limit runs again, due by %(due)s."
    ),
)
CASE_DUE_SOON = register_kind(
    "applications.case_due_soon",
    title=_("Due in %(days)s working days: %(service)s (%(reference)s)"),
    body=_("The case must be decided by %(due)s."),
)
CASE_OVERDUE = register_kind(
    "applications.case_overdue",
    title=_("Overdue: %(service)s (%(reference)s)"),
    body=_(
        "The case was due on %(due)s and has not been decided. It is assigned to: %(assignee)s."
    ),
)
