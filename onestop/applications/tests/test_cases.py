"""Case workflow: each transition, permissions, versions, clocks, dependents, certificates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from onestop.applications.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseEvent,
    CaseState,
    Certificate,
)
from onestop.applications.selectors import certificate_by_code
from onestop.applications.services import (
    case_accept,
    case_approve,
    case_assign,
    case_claim,
    case_refuse,
    case_resubmit,
    case_return,
    case_start_review,
    certificate_issue,
    certificate_revoke,
)
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import LEASE, Mini, submitted_mini, upload
from onestop.conftest import Cast
from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.models import AuditEntry, LegalClock, Notification
from onestop.core.workdays import add_working_days

pytestmark = pytest.mark.django_db


def _cases(application: Application) -> tuple[Case, Case]:
    cases = list(application.cases.order_by("pk"))
    return cases[0], cases[1]


@pytest.fixture
def application(cast: Cast, mini: Mini) -> Application:
    return submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)


def _clock(case: Case) -> LegalClock:
    assert case.clock is not None
    return case.clock


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("clock").get(pk=case.pk)


def test_full_path_to_certificate_starts_the_dependent_case(
    cast: Cast,
    officers: Officers,
    application: Application,
    django_capture_on_commit_callbacks: Any,
) -> None:
    registration, licence = _cases(application)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_claim(actor=officers.clerk_a, case=registration, version=1)
        assert case.assignee == officers.clerk_a and case.version == 2
        case = case_accept(actor=officers.clerk_a, case=case, version=2, comment="complete")
        case = case_start_review(actor=officers.clerk_a, case=case, version=3)
        case = case_approve(actor=officers.reviewer_a, case=case, version=4, comment="fine")
    assert case.state == CaseState.APPROVED and _clock(case).state == "stopped"
    licence = _fresh(licence)
    assert licence.state == CaseState.SUBMITTED  # its only prerequisite is approved
    assert licence.clock is not None and licence.clock.limit == 20
    assert licence.due_on == add_working_days(timezone.localdate(), 20)
    assert CaseEvent.objects.filter(case=licence, action="started").exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(actor=officers.reviewer_a, case=case, version=5)
    assert certificate.case.state == CaseState.CERTIFICATE_ISSUED
    assert len(certificate.code) == 24 and certificate.code.isalnum()
    assert certificate.holder_zh == cast.enterprise_a.name_zh
    assert certificate.title_en == "Business licence"
    assert certificate_by_code(certificate.code.lower()) == certificate
    assert certificate_by_code("NOTACODE") is None
    kinds = set(Notification.objects.filter(recipient=cast.owner).values_list("kind", flat=True))
    assert {
        "applications.case_accepted",
        "applications.case_under_review",
        "applications.case_approved",
        "applications.case_started",
        "applications.certificate_issued",
    } <= kinds
    actions = list(
        AuditEntry.objects.filter(object_type="applications.case", object_id=str(registration.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "case.claim",
        "case.accept",
        "case.start_review",
        "case.approve",
        "case.certificate_issue",
    ]


def test_stale_version_is_told_the_case_changed(
    officers: Officers, application: Application
) -> None:
    registration, _ = _cases(application)
    case_accept(actor=officers.clerk_a, case=registration, version=1)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        case_return(actor=officers.reviewer_a, case=registration, version=1, correction_request="x")
    assert caught.value.code == "case_changed" and caught.value.status == 409
    with translation.override("en"):
        assert "another officer acted on it first" in str(caught.value.message)
    assert _fresh(registration).state == CaseState.ACCEPTED


def test_officer_of_another_agency_and_clerks_are_refused(
    cast: Cast, officers: Officers, application: Application
) -> None:
    registration, _ = _cases(application)
    with pytest.raises(PermissionDenied):
        case_accept(actor=officers.clerk_b, case=registration, version=1)
    with pytest.raises(PermissionDenied):
        case_claim(actor=cast.owner, case=registration, version=1)
    case_accept(actor=officers.clerk_a, case=registration, version=1)
    with pytest.raises(PermissionDenied):  # a clerk prepares, a reviewer decides
        case_approve(actor=officers.clerk_a, case=registration, version=2)
    with pytest.raises(PermissionDenied):
        case_approve(actor=officers.reviewer_b, case=registration, version=2)
    with pytest.raises(PermissionDenied):
        case_assign(
            actor=officers.clerk_a, case=registration, assignee=officers.reviewer_a, version=2
        )


def test_assign_only_to_an_officer_of_the_agency(
    officers: Officers, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    registration, _ = _cases(application)
    with pytest.raises(ValidationFailed) as caught:
        case_assign(actor=officers.head_a, case=registration, assignee=officers.clerk_b, version=1)
    assert caught.value.errors[0].field == "assignee"
    with django_capture_on_commit_callbacks(execute=True):
        case = case_assign(
            actor=officers.head_a, case=registration, assignee=officers.clerk_a, version=1
        )
    assert case.assignee == officers.clerk_a
    assert Notification.objects.filter(
        recipient=officers.clerk_a, kind="applications.case_assigned"
    ).exists()


def test_correction_pauses_and_resubmission_resumes_the_clock(
    cast: Cast,
    officers: Officers,
    application: Application,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    registration, _ = _cases(application)
    start = _clock(registration).started_on
    due = registration.due_on
    assert due is not None
    with django_capture_on_commit_callbacks(execute=True):
        case = case_return(
            actor=officers.clerk_a,
            case=registration,
            version=1,
            correction_request="The lease is not signed: upload a signed copy.",
        )
    assert case.state == CaseState.RETURNED and _clock(case).state == "paused"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTION_NEEDED
    notice = Notification.objects.get(recipient=cast.owner, kind="applications.case_returned")
    assert "upload a signed copy" in notice.body_en
    # five working days later the applicant resubmits with a new lease
    later = add_working_days(start, 5)
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    new_lease = upload(cast.owner, enterprise=cast.enterprise_a, label="signed lease")
    with pytest.raises(PermissionDenied):
        case_resubmit(actor=officers.clerk_a, case=case)
    case = case_resubmit(
        actor=cast.owner, case=case, comment="signed", documents={LEASE: new_lease}
    )
    assert case.state == CaseState.SUBMITTED and _clock(case).state == "running"
    assert case.due_on == add_working_days(due, 5) == _clock(case).due_on
    # every case needing the lease sees the new file
    assert application.documents.get(requirement=LEASE).document == new_lease
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_return_needs_the_text_and_refusal_gets_appeal_info(
    cast: Cast, officers: Officers, application: Application
) -> None:
    registration, licence = _cases(application)
    with pytest.raises(ValidationFailed) as caught:
        case_return(actor=officers.clerk_a, case=registration, version=1, correction_request=" ")
    assert caught.value.errors[0].field == "correction_request"
    with pytest.raises(ValidationFailed):
        case_refuse(actor=officers.reviewer_a, case=registration, version=1, reasons="")
    with translation.override("en"):
        case = case_refuse(
            actor=officers.reviewer_a,
            case=registration,
            version=1,
            reasons="The premises are zoned residential.",
        )
    assert case.state == CaseState.REFUSED
    assert "administrative reconsideration within 60 days" in case.appeal_info
    assert case.decision_reasons == "The premises are zoned residential."
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert _fresh(licence).state == CaseState.WAITING  # never starts


def test_wrong_state_is_refused(officers: Officers, application: Application) -> None:
    registration, licence = _cases(application)
    with pytest.raises(DomainError) as caught:
        case_accept(actor=officers.clerk_b, case=licence, version=1)  # still waiting
    assert caught.value.code == "case_state"
    with pytest.raises(DomainError):
        certificate_issue(actor=officers.reviewer_a, case=registration, version=1)


def test_revoke_certificate_is_for_the_head(officers: Officers, application: Application) -> None:
    registration, _ = _cases(application)
    case_accept(actor=officers.clerk_a, case=registration, version=1)
    case_approve(actor=officers.reviewer_a, case=registration, version=2)
    certificate = certificate_issue(actor=officers.reviewer_a, case=registration, version=3)
    assert certificate.is_current
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=officers.reviewer_a, certificate=certificate, reason="error")
    certificate = certificate_revoke(
        actor=officers.head_a, certificate=certificate, reason="Issued in error."
    )
    assert not certificate.is_current and certificate.revoked_reason == "Issued in error."
    with pytest.raises(DomainError):
        certificate_revoke(actor=officers.head_a, certificate=certificate, reason="again")
    assert Certificate.objects.count() == 1


def test_certificate_pdf_carries_its_data_and_verify_link(
    officers: Officers, application: Application
) -> None:
    import io

    from pypdf import PdfReader

    from onestop.applications.selectors import certificate_pdf

    registration, _ = _cases(application)
    case_accept(actor=officers.clerk_a, case=registration, version=1)
    case_approve(actor=officers.reviewer_a, case=registration, version=2)
    certificate = certificate_issue(actor=officers.reviewer_a, case=registration, version=3)
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
    text = (
        "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\x00", "")
    )
    assert certificate.number in text and certificate.code in text
    assert "设立登记/Establishmentregistration" in text
    assert application.reference in text
