"""Intake on the small catalogue: start, documents once each, submission and fan-out."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from onestop.applications.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseDocument,
    CaseEvent,
    CaseState,
)
from onestop.applications.services import (
    application_apply,
    application_attach_document,
    application_start,
    application_submit,
)
from onestop.applications.tests.helpers import (
    DRAWING,
    ID_CARD,
    LEASE,
    MINI_ANSWERS,
    Mini,
    mini_documents,
    submitted_mini,
    upload,
)
from onestop.conftest import Cast
from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.models import AuditEntry, LegalClock, Notification
from onestop.enterprises.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db


def _start(cast: Cast, mini: Mini, **kwargs: Any) -> Application:
    return application_start(
        actor=cast.owner, journey=mini.journey, answers=dict(MINI_ANSWERS), **kwargs
    )


def test_start_makes_a_draft_with_each_document_once(cast: Cast, mini: Mini) -> None:
    application = _start(cast, mini)
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference == f"OS-{application.created_at.year}-{application.pk:06d}"
    assert application.applicant_enterprise == cast.enterprise_a  # the owner's one enterprise
    assert [s["service"] for s in application.plan["steps"]] == [
        mini.registration.identifier,
        mini.licence.identifier,
    ]
    assert application.plan["steps"][1]["depends_on"] == [mini.registration.identifier]
    # the lease is needed by both services but asked once
    assert sorted(application.documents.values_list("requirement", flat=True)) == sorted(
        [ID_CARD, LEASE, DRAWING, "营业执照"]
    )
    assert application.access_check == {
        "applicable": False,
        "reason": "domestic",
        "conditions": [],
        "procedures": [],
    }
    assert (
        AuditEntry.objects.filter(action="application.start", object_id=str(application.pk)).count()
        == 1
    )


def test_officers_and_strangers_cannot_apply(cast: Cast, mini: Mini) -> None:
    with pytest.raises(PermissionDenied):
        application_start(actor=cast.officer_a, journey=mini.journey, answers=MINI_ANSWERS)
    with pytest.raises(PermissionDenied):
        application_start(
            actor=cast.other_member,
            journey=mini.journey,
            answers=MINI_ANSWERS,
            enterprise=cast.enterprise_a,
        )


def test_bad_answers_name_the_question(cast: Cast, mini: Mini) -> None:
    with pytest.raises(ValidationFailed) as caught:
        application_start(actor=cast.owner, journey=mini.journey, answers={})
    assert [e.field for e in caught.value.errors] == ["answers.employs_staff"]
    assert not Application.objects.exists()


def test_submit_names_each_missing_document_and_writes_nothing(cast: Cast, mini: Mini) -> None:
    application = _start(cast, mini)
    application_attach_document(
        actor=cast.owner,
        application=application,
        requirement=ID_CARD,
        document=upload(cast.owner, enterprise=cast.enterprise_a, label="id"),
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        application_submit(actor=cast.owner, application=application)
    fields = sorted(e.field for e in caught.value.errors)
    # the business licence is obtained by the agency itself: not asked
    assert fields == sorted([f"documents.{LEASE}", f"documents.{DRAWING}"])
    lease = next(e for e in caught.value.errors if e.field == f"documents.{LEASE}")
    assert "Upload Proof of the business premises" in str(lease.message) and "2 procedure" in str(
        lease.message
    )
    assert str(caught.value.message) == "2 document(s) are missing."
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not Case.objects.exists() and not LegalClock.objects.exists()


def test_submit_fans_out_and_starts_only_cases_without_prerequisites(
    cast: Cast, mini: Mini, django_capture_on_commit_callbacks: Any
) -> None:
    application = _start(cast, mini)
    for requirement, document in mini_documents(cast.owner, cast.enterprise_a).items():
        application_attach_document(
            actor=cast.owner, application=application, requirement=requirement, document=document
        )
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(actor=cast.owner, application=application)
    assert application.status == ApplicationStatus.SUBMITTED
    registration = Case.objects.get(application=application, service=mini.registration)
    licence = Case.objects.get(application=application, service=mini.licence)
    assert registration.agency == cast.agency_a and licence.agency == cast.agency_b
    assert registration.state == CaseState.SUBMITTED and registration.clock is not None
    assert registration.due_on == registration.clock.due_on
    assert registration.clock.limit == 3 and registration.clock.unit == "working_days"
    assert licence.state == CaseState.WAITING and licence.clock is None and licence.due_on is None
    assert list(licence.prerequisites.all()) == [registration]
    # the lease is one application document linked to both cases
    lease_links = CaseDocument.objects.filter(application_document__requirement=LEASE)
    assert sorted(link.case_id for link in lease_links) == sorted([registration.pk, licence.pk])
    assert CaseEvent.objects.filter(case__application=application).count() == 2
    assert AuditEntry.objects.filter(action="application.submit").count() == 1
    notice = Notification.objects.get(recipient=cast.owner, kind="applications.submitted")
    assert application.reference in notice.title_en
    # submitting again changes nothing
    again = application_submit(actor=cast.owner, application=application)
    assert again.pk == application.pk and Case.objects.count() == 2


def test_documents_of_the_enterprise_are_reused_by_another_member(cast: Cast, mini: Mini) -> None:
    earlier = upload(cast.owner, enterprise=cast.enterprise_a, label="lease")
    colleague = cast.other_member
    Membership.objects.create(
        user=colleague, enterprise=cast.enterprise_a, role=MembershipRole.MEMBER
    )
    application = application_start(
        actor=colleague, journey=mini.journey, answers=MINI_ANSWERS, enterprise=cast.enterprise_a
    )
    slot = application_attach_document(
        actor=colleague, application=application, requirement=LEASE, document=earlier
    )
    assert slot.document == earlier
    # another enterprise's document cannot be used
    foreign = upload(cast.other_member, enterprise=cast.enterprise_b, label="theirs")
    with pytest.raises(PermissionDenied):
        application_attach_document(
            actor=cast.owner, application=_start(cast, mini), requirement=LEASE, document=foreign
        )


def test_unknown_requirement_is_refused(cast: Cast, mini: Mini) -> None:
    application = _start(cast, mini)
    with pytest.raises(ValidationFailed) as caught:
        application_attach_document(
            actor=cast.owner,
            application=application,
            requirement="nonsense",
            document=upload(cast.owner, enterprise=cast.enterprise_a),
        )
    assert caught.value.errors[0].field == "requirement"


def test_same_idempotency_key_never_creates_two_applications(cast: Cast, mini: Mini) -> None:
    documents = mini_documents(cast.owner, cast.enterprise_a)
    first = application_apply(
        actor=cast.owner, journey=mini.journey, answers=MINI_ANSWERS, documents=documents,
        idempotency_key="key-1",
    )  # fmt: skip
    second = application_apply(
        actor=cast.owner, journey=mini.journey, answers=MINI_ANSWERS, documents=documents,
        idempotency_key="key-1",
    )  # fmt: skip
    assert first.pk == second.pk
    assert Application.objects.count() == 1 and Case.objects.count() == 2
    # another applicant may use the same key
    application_start(
        actor=cast.investor, journey=mini.journey, answers=MINI_ANSWERS, idempotency_key="key-1"
    )
    assert Application.objects.count() == 2
    # start with the key returns the same application too
    assert _start(cast, mini, idempotency_key="key-1").pk == first.pk


def test_a_crash_during_submission_leaves_nothing(
    cast: Cast, mini: Mini, monkeypatch: pytest.MonkeyPatch
) -> None:
    application = _start(cast, mini)
    for requirement, document in mini_documents(cast.owner, cast.enterprise_a).items():
        application_attach_document(
            actor=cast.owner, application=application, requirement=requirement, document=document
        )

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEvent.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        application_submit(actor=cast.owner, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.submitted_at is None
    assert not Case.objects.exists() and not LegalClock.objects.exists()
    assert not AuditEntry.objects.filter(action="application.submit").exists()
    assert not Notification.objects.filter(kind="applications.submitted").exists()


def test_a_submitted_application_cannot_change(cast: Cast, mini: Mini) -> None:
    documents = mini_documents(cast.owner, cast.enterprise_a)
    application = application_apply(
        actor=cast.owner, journey=mini.journey, answers=MINI_ANSWERS, documents=documents
    )
    with pytest.raises(DomainError) as caught:
        application_attach_document(
            actor=cast.owner, application=application, requirement=LEASE, document=documents[LEASE]
        )
    assert caught.value.code == "application_submitted"


def test_bulk_clocks_follow_the_core_rule(cast: Cast, mini: Mini) -> None:
    import datetime as dt

    from onestop.applications.services_common import start_case_clocks
    from onestop.core.clocks import clock_start

    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    registration = application.cases.get(service=mini.registration)
    licence = application.cases.get(service=mini.licence)
    before_spring_festival = dt.date(2020, 1, 20)  # the 2020 holidays were extended
    start_case_clocks([registration, licence], before_spring_festival)
    for case, limit in ((registration, 3), (licence, 20)):
        assert case.clock is not None
        expected = clock_start(limit=limit, unit="working_days", start=before_spring_festival)
        assert (case.clock.due_on, case.clock.limit, case.clock.state) == (
            expected.due_on,
            expected.limit,
            expected.state,
        )
