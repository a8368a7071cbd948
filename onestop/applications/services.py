"""Every write of the applications domain (the services live in ``services_*.py``)."""

from onestop.applications.services_cases import (
    ACTIONS,
    DEFAULT_APPEAL_INFO,
    case_accept,
    case_assign,
    case_claim,
    case_resubmit,
    case_return,
)
from onestop.applications.services_certificates import (
    certificate_issue,
    certificate_revoke,
    service_case_rule_save,
)
from onestop.applications.services_clocks import (
    ClockRun,
    clocks_escalate,
    clocks_remind,
    clocks_run,
    silence_consent_apply,
)
from onestop.applications.services_decisions import (
    case_approve,
    case_approve_by_silence,
    case_refuse,
    case_start_review,
)
from onestop.applications.services_intake import (
    application_attach_document,
    application_start,
)
from onestop.applications.services_submission import application_apply, application_submit

__all__ = [
    "ACTIONS",
    "DEFAULT_APPEAL_INFO",
    "ClockRun",
    "application_apply",
    "application_attach_document",
    "application_start",
    "application_submit",
    "case_accept",
    "case_approve",
    "case_approve_by_silence",
    "case_assign",
    "case_claim",
    "case_refuse",
    "case_resubmit",
    "case_return",
    "case_start_review",
    "certificate_issue",
    "certificate_revoke",
    "clocks_escalate",
    "clocks_remind",
    "clocks_run",
    "service_case_rule_save",
    "silence_consent_apply",
]
