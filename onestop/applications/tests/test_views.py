"""The applications pages: start from a plan, upload each document once, submit, follow the
timeline; the officer queue and case page with its actions (version conflicts included); the
correction flow; the public certificate check. Permissions and bad input on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from onestop.access.tests.negative_list_fixtures import item_number_today
from onestop.applications import services
from onestop.applications.models import Application, ApplicationStatus, Case, CaseState
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import (
    DRAWING,
    ID_CARD,
    LEASE,
    Mini,
    pdf_bytes,
    submitted_mini,
    upload,
)
from onestop.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """These tests read English wording."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _with_answers(client: Client, code: str, answers: dict[str, Any]) -> None:
    session = client.session
    session["catalogue.finder"] = {code: answers}
    session.save()


def _start(client: Client, mini: Mini) -> Application:
    _with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    response = client.post(reverse("applications:start", args=[mini.journey.code]))
    assert response.status_code == 302
    application = Application.objects.latest("pk")
    assert response["Location"] == reverse("applications:detail", args=[application.reference])
    return application


def _pdf(name: str, label: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(label), "application/pdf")


def _upload_url(application: Application, requirement: str) -> str:
    slot = application.documents.get(requirement=requirement)
    return reverse("applications:upload", args=[application.reference, slot.pk])


# ----- applicant ---------------------------------------------------------------------------


def test_plan_page_offers_to_start_an_application(cast: Cast, mini: Mini, client: Client) -> None:
    _with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    plan = reverse("catalogue:finder_plan", args=[mini.journey.code])
    anonymous = client.get(plan)
    assert "sign in" in anonymous.content.decode()
    _signed_in(client, cast.owner)
    _with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    page = client.get(plan).content.decode()
    assert reverse("applications:start", args=[mini.journey.code]) in page
    assert "Start an application" in page
    _signed_in(client, cast.officer_a)
    assert "Start an application" not in client.get(plan).content.decode()


def test_start_makes_a_draft_whose_task_list_asks_each_document_once(
    cast: Cast, mini: Mini, client: Client
) -> None:
    _signed_in(client, cast.owner)
    application = _start(client, mini)
    assert application.status == ApplicationStatus.DRAFT
    assert application.applicant_enterprise == cast.enterprise_a
    page = client.get(reverse("applications:detail", args=[application.reference]))
    html = page.content.decode()
    assert page.status_code == 200
    # The lease is needed by both procedures and asked for once, naming both.
    assert html.count("Proof of the business premises") == 1
    assert "Establishment registration; Operating licence" in html
    assert "Fetched from another agency" in html  # the business licence
    assert "Cannot start yet" in html  # nothing uploaded
    assert "You have completed 1 of 5 tasks." in html


def test_start_without_finder_answers_goes_back_to_the_finder(
    cast: Cast, mini: Mini, client: Client
) -> None:
    _signed_in(client, cast.owner)
    response = client.post(reverse("applications:start", args=[mini.journey.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:finder_check", args=[mini.journey.code])
    assert not Application.objects.exists()


def test_officers_cannot_start_applications(cast: Cast, mini: Mini, client: Client) -> None:
    _signed_in(client, cast.officer_a)
    _with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    assert client.post(reverse("applications:start", args=[mini.journey.code])).status_code == 403
    assert not Application.objects.exists()


RESTAURANT = {
    "district": "110105",
    "foreign_share": "100",
    "small_restaurant": "no",
    "chain_restaurant": "no",
    "public_gathering_place": "no",
    "renovation": "no",
    "discharges_sewage_to_network": "no",
    "employs_staff": "no",
    "activities": [],
    "annual_vat_sales_cny": "2000000",
}


def test_the_negative_lists_open_questions_are_asked_then_a_prohibited_business_is_refused(
    cast: Cast, client: Client, access_world: Any, catalogue: None
) -> None:
    """A wholly foreign-owned commercial website: the page asks whether it publishes internet
    content; "yes" is prohibited, and the refusal names the reason and the list item."""
    _signed_in(client, cast.investor)
    _with_answers(client, "open_restaurant", {**RESTAURANT, "activities": ["website_commercial"]})
    url = reverse("applications:start", args=["open_restaurant"])
    asked = client.post(url)
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "What exactly will the business do?" in html
    assert 'name="access.internet_content"' in html
    unanswered = client.post(url, {"asked": "1"})
    assert unanswered.status_code == 422
    assert "Choose an answer." in unanswered.content.decode()
    refused = client.post(url, {"asked": "1", "access.internet_content": "yes"})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "You cannot apply for this business" in html
    assert f"item {item_number_today('internet_content')}" in html
    assert not Application.objects.exists()
    allowed = client.post(url, {"asked": "1", "access.internet_content": "no"})
    assert allowed.status_code == 302
    assert Application.objects.get().access_check


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", b"just some text, not a scan", "type"),
        ("scan.pdf", b"%PDF-1.4\nthis is not really a PDF\n%%EOF", "damaged"),
        ("empty.pdf", b"", "empty"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "at most 20 mb"),
    ],
)
def test_a_bad_file_is_refused_at_the_field_with_the_reason(
    cast: Cast, mini: Mini, client: Client, name: str, content: bytes, expected: str
) -> None:
    _signed_in(client, cast.owner)
    application = _start(client, mini)
    url = _upload_url(application, LEASE)
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    assert 'class="govuk-error-message"' in html
    assert expected in html.lower()
    assert application.documents.get(requirement=LEASE).document is None


def test_no_file_chosen_says_so(cast: Cast, mini: Mini, client: Client) -> None:
    _signed_in(client, cast.owner)
    application = _start(client, mini)
    response = client.post(_upload_url(application, LEASE), {})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.content.decode()


def test_upload_reuse_check_submit_and_confirmation(cast: Cast, mini: Mini, client: Client) -> None:
    _signed_in(client, cast.owner)
    earlier = upload(cast.owner, enterprise=cast.enterprise_a, label="old-lease")
    application = _start(client, mini)
    # The lease: reuse the enterprise's earlier upload.
    page = client.get(_upload_url(application, LEASE)).content.decode()
    assert "Or use a document you uploaded before" in page
    assert "old-lease.pdf" in page
    response = client.post(_upload_url(application, LEASE), {"document": str(earlier.pk)})
    assert response.status_code == 302
    assert application.documents.get(requirement=LEASE).document == earlier
    # A document of someone else's enterprise cannot be reused.
    foreign = upload(cast.other_member, enterprise=cast.enterprise_b, label="theirs")
    refused = client.post(_upload_url(application, ID_CARD), {"document": str(foreign.pk)})
    assert refused.status_code == 422
    assert "Choose one of the documents listed." in refused.content.decode()
    # Submitting with a document missing names it, linked to its upload page.
    check = client.get(reverse("applications:check", args=[application.reference]))
    assert check.status_code == 200
    missing = client.post(
        reverse("applications:submit", args=[application.reference]), {"idempotency_key": "k1"}
    )
    assert missing.status_code == 422
    assert _upload_url(application, ID_CARD) in missing.content.decode()
    for requirement, label in ((ID_CARD, "id"), (DRAWING, "drawing")):
        done = client.post(
            _upload_url(application, requirement), {"file": _pdf(f"{label}.pdf", label)}
        )
        assert done.status_code == 302
    task_list = client.get(reverse("applications:detail", args=[application.reference]))
    assert "Check your answers and submit" in task_list.content.decode()
    assert "Cannot start yet" not in task_list.content.decode()
    sent = client.post(
        reverse("applications:submit", args=[application.reference]), {"idempotency_key": "k2"}
    )
    assert sent["Location"] == reverse("applications:submitted", args=[application.reference])
    # A second click changes nothing.
    again = client.post(
        reverse("applications:submit", args=[application.reference]), {"idempotency_key": "k2"}
    )
    assert again.status_code == 302
    assert Case.objects.filter(application=application).count() == 2
    confirmation = client.get(sent["Location"]).content.decode()
    assert application.reference in confirmation
    assert "1 agency procedure has started." in confirmation
    assert "1 more starts when the procedures it depends on are approved." in confirmation
    timeline = client.get(reverse("applications:detail", args=[application.reference]))
    html = timeline.content.decode()
    assert "Waiting for an earlier procedure" in html
    assert "after: Establishment registration" in html
    assert "working days left" in html


def test_only_the_applicant_sees_an_application(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    url = reverse("applications:detail", args=[application.reference])
    for user in (cast.other_member, cast.investor, cast.officer_a):
        assert _signed_in(client, user).get(url).status_code == 403
    assert _signed_in(client, cast.owner).get(url).status_code == 200
    assert _signed_in(client, cast.city_admin).get(url).status_code == 200
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("core:login"))
    assert (
        _signed_in(client, cast.owner)
        .get(reverse("applications:detail", args=["OS-0000-000000"]))
        .status_code
        == 404
    )


# ----- officers ----------------------------------------------------------------------------


def _case_a(application: Application) -> Case:
    return application.cases.get(service__identifier__startswith="mini-registration")


def _act(client: Client, case: Case, action: str, **data: Any) -> Any:
    return client.post(
        reverse("applications:case_action", args=[case.pk]),
        {"action": action, "version": case.version, **data},
    )


def test_queue_lists_only_the_agencys_cases_by_due_date(
    cast: Cast, mini: Mini, client: Client
) -> None:
    first = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    Case.objects.filter(pk=_case_a(first).pk).update(due_on=dt.date(2020, 1, 2))
    second = submitted_mini(cast.investor, mini)
    page = _signed_in(client, cast.officer_a).get(reverse("applications:queue"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(first.reference) < html.index(second.reference)
    assert "Overdue" in html  # in words, not colour alone
    assert "working days late" in html
    assert "2 cases, earliest due date first." in html
    overdue_only = client.get(reverse("applications:queue"), {"overdue": "on"}).content.decode()
    assert first.reference in overdue_only and second.reference not in overdue_only
    # Agency B's officer sees none of them (the licences wait for the registrations).
    other = _signed_in(client, cast.officer_b).get(reverse("applications:queue"))
    assert first.reference not in other.content.decode()


def test_queue_refuses_an_unknown_filter_value(cast: Cast, client: Client) -> None:
    response = _signed_in(client, cast.officer_a).get(
        reverse("applications:queue"), {"state": "lost"}
    )
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()


def test_queue_claim_button(cast: Cast, mini: Mini, client: Client) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    _signed_in(client, cast.officer_a)
    response = client.post(
        reverse("applications:case_action", args=[case.pk]),
        {"action": "claim", "version": case.version, "next": "queue"},
    )
    assert response["Location"] == reverse("applications:queue")
    case.refresh_from_db()
    assert case.assignee == cast.officer_a


def test_case_page_shows_only_that_agencys_documents(
    cast: Cast, mini: Mini, client: Client
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    page = _signed_in(client, cast.officer_a).get(reverse("applications:case", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Identity of the legal representative" in html
    assert "Floor plan" not in html  # agency B's document
    id_card = application.documents.get(requirement=ID_CARD).document
    assert id_card is not None
    assert reverse("core:document_download", args=[id_card.pk]) in html
    assert client.get(reverse("core:document_download", args=[id_card.pk])).status_code == 200
    _signed_in(client, cast.officer_b)
    assert client.get(reverse("applications:case", args=[case.pk])).status_code == 403
    assert client.get(reverse("core:document_download", args=[id_card.pk])).status_code == 403
    assert _act(client, case, "accept").status_code == 403


def test_a_version_conflict_is_shown_and_not_applied(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    seen = case.version
    # Someone else accepts first.
    services.case_accept(actor=officers.reviewer_a, case=case, version=seen)
    _signed_in(client, cast.officer_a)
    response = client.post(
        reverse("applications:case_action", args=[case.pk]),
        {"action": "return", "version": seen, "correction_request": "Send the lease again."},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "This case was changed by someone else" in html
    assert "Accepted" in html  # its current state
    assert "Send the lease again." in html  # what the officer typed is kept
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert f'name="version" value="{case.version}"' in html


def test_returning_needs_the_exact_request_and_refusing_needs_reasons(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    _signed_in(client, cast.officer_a)
    response = _act(client, case, "return", correction_request="  ")
    assert response.status_code == 422
    assert "Say what the applicant must correct" in response.content.decode()
    services.case_accept(actor=officers.reviewer_a, case=case, version=case.version)
    case.refresh_from_db()
    services.case_start_review(actor=officers.reviewer_a, case=case, version=case.version)
    case.refresh_from_db()
    _signed_in(client, officers.reviewer_a)
    refused = _act(client, case, "refuse", reasons="", appeal_info="")
    assert refused.status_code == 422
    assert "Give the reasons for refusing." in refused.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.UNDER_REVIEW
    # With reasons (the standard appeal wording prefilled), the applicant sees both.
    page = client.get(reverse("applications:case", args=[case.pk])).content.decode()
    assert "administrative reconsideration" in page
    done = _act(
        client,
        case,
        "refuse",
        reasons="The premises are in a residential building.",
        appeal_info="Apply for reconsideration within 60 days.",
    )
    assert done.status_code == 302
    _signed_in(client, cast.owner)
    html = client.get(reverse("applications:detail", args=[application.reference])).content
    assert b"The premises are in a residential building." in html
    assert b"Apply for reconsideration within 60 days." in html


def test_a_clerk_is_offered_only_what_a_clerk_may_do_and_a_reviewer_assigns(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    services.case_accept(actor=cast.officer_a, case=case, version=case.version)
    case.refresh_from_db()
    services.case_start_review(actor=cast.officer_a, case=case, version=case.version)
    case.refresh_from_db()
    url = reverse("applications:case", args=[case.pk])
    clerk_page = _signed_in(client, cast.officer_a).get(url).content.decode()
    assert 'value="return"' in clerk_page
    assert 'value="approve"' not in clerk_page
    assert 'value="assign"' not in clerk_page
    assert _act(client, case, "approve").status_code == 403
    _signed_in(client, officers.reviewer_a)
    reviewer_page = client.get(url).content.decode()
    assert 'value="approve"' in reviewer_page
    assert 'value="assign"' in reviewer_page
    wrong = _act(client, case, "assign", assignee=cast.officer_b.pk)
    assert wrong.status_code == 422
    assert "Choose an officer of this agency." in wrong.content.decode()
    assigned = _act(client, case, "assign", assignee=cast.officer_a.pk)
    assert assigned.status_code == 302
    case.refresh_from_db()
    assert case.assignee == cast.officer_a


def test_correction_pauses_the_clock_and_resubmitting_resumes_it(
    cast: Cast, mini: Mini, client: Client
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    due_before = case.due_on
    _signed_in(client, cast.officer_a)
    returned = _act(client, case, "return", correction_request="The ID copy is unreadable.")
    assert returned.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED
    # The applicant sees the paused clock and exactly what to fix.
    _signed_in(client, cast.owner)
    html = client.get(reverse("applications:detail", args=[application.reference])).content
    assert b"Paused: correction requested" in html
    correction_url = reverse("applications:correction", args=[application.reference, case.pk])
    page = client.get(correction_url).content.decode()
    assert "The ID copy is unreadable." in page
    # Replace the ID copy (kept until the correction is sent), then resubmit.
    id_url = _upload_url(application, ID_CARD) + f"?case={case.pk}"
    assert client.get(id_url).status_code == 200
    replaced = client.post(id_url, {"file": _pdf("id-new.pdf", "id-new")})
    assert replaced["Location"] == correction_url
    assert "id-new.pdf" in client.get(correction_url).content.decode()
    # A document of a case not waiting for a correction cannot be changed.
    assert client.get(_upload_url(application, DRAWING)).status_code == 302
    # Resume a few working days later: the due date moves out.
    clock = case.clock
    assert clock is not None and clock.paused_on is not None
    clock.paused_on = clock.paused_on - dt.timedelta(days=7)
    clock.save()
    sent = client.post(correction_url, {"comment": "New scan attached."})
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.due_on is not None and due_before is not None and case.due_on > due_before
    slot = application.documents.get(requirement=ID_CARD)
    assert slot.document is not None and slot.document.original_name == "id-new.pdf"
    timeline = client.get(reverse("applications:detail", args=[application.reference]))
    assert b"Corrected and sent again" in timeline.content
    assert b"New scan attached." in timeline.content
    # Nothing left to correct: the page sends the applicant back.
    assert client.get(correction_url).status_code == 302


def test_other_users_cannot_send_a_correction(cast: Cast, mini: Mini, client: Client) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    services.case_return(
        actor=cast.officer_a, case=case, version=case.version, correction_request="Fix it."
    )
    url = reverse("applications:correction", args=[application.reference, case.pk])
    for user in (cast.other_member, cast.officer_a, cast.city_admin):
        assert _signed_in(client, user).post(url, {"comment": "x"}).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED


def _issued(cast: Cast, mini: Mini, officers: Officers) -> Any:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    for step in (services.case_accept, services.case_start_review, services.case_approve):
        step(actor=officers.reviewer_a, case=case, version=case.version)
        case.refresh_from_db()
    return services.certificate_issue(actor=officers.reviewer_a, case=case, version=case.version)


def test_officer_actions_through_the_page_up_to_the_certificate(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    _signed_in(client, officers.reviewer_a)
    for action in ("accept", "start_review", "approve", "issue"):
        response = _act(client, case, action, comment=f"{action} ok")
        assert response.status_code == 302, response.content.decode()[:2000]
        case.refresh_from_db()
    assert case.state == CaseState.CERTIFICATE_ISSUED
    page = client.get(reverse("applications:case", args=[case.pk])).content.decode()
    assert case.certificate.number in page
    # The licence at agency B has started now that the registration is approved.
    licence = application.cases.exclude(pk=case.pk).get()
    assert licence.state == CaseState.SUBMITTED
    # The applicant's timeline links the certificate.
    _signed_in(client, cast.owner)
    html = client.get(reverse("applications:detail", args=[application.reference])).content
    assert reverse("applications:certificate_pdf", args=[application.reference, case.pk]) in (
        html.decode()
    )


# ----- verify ------------------------------------------------------------------------------


def test_verify_genuine_revoked_and_unknown(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    certificate = _issued(cast, mini, officers)
    url = reverse("applications:verify", args=[certificate.code])
    genuine = client.get(url)
    assert genuine.status_code == 200
    assert "Genuine and valid" in genuine.content.decode()
    assert certificate.number in genuine.content.decode()
    # Typed in lower case with spaces, through the form.
    typed = client.get(reverse("applications:verify_form"), {"code": certificate.code.lower()})
    assert typed.status_code == 302
    assert client.get(typed["Location"]).status_code == 200
    services.certificate_revoke(
        actor=officers.head_a, certificate=certificate, reason="Premises closed."
    )
    revoked = client.get(url).content.decode()
    assert "This certificate has been revoked" in revoked
    assert "Premises closed." in revoked
    assert timezone.localdate().isoformat() in revoked
    unknown = client.get(reverse("applications:verify", args=["NOSUCHCODE123"]))
    assert unknown.status_code == 404
    assert "No certificate has this code" in unknown.content.decode()
    empty = client.get(reverse("applications:verify_form"), {"code": ""})
    assert empty.status_code == 422
    assert "Enter the verification code" in empty.content.decode()
    bad = client.get(reverse("applications:verify_form"), {"code": "<script>"})
    assert bad.status_code == 422


def test_certificate_pdf_download(
    cast: Cast, mini: Mini, client: Client, officers: Officers
) -> None:
    certificate = _issued(cast, mini, officers)
    case = certificate.case
    url = reverse("applications:certificate_pdf", args=[case.application.reference, case.pk])
    response = _signed_in(client, cast.owner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _signed_in(client, cast.other_member).get(url).status_code == 403


def test_queue_pages_and_filters_by_assignee(cast: Cast, mini: Mini, client: Client) -> None:
    from onestop.applications import views_officer

    applications = [
        submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a) for _ in range(3)
    ]
    mine = _case_a(applications[0])
    services.case_claim(actor=cast.officer_a, case=mine, version=mine.version)
    _signed_in(client, cast.officer_a)
    original = views_officer.PAGE_SIZE
    views_officer.PAGE_SIZE = 2
    try:
        first = client.get(reverse("applications:queue")).content.decode()
        second = client.get(reverse("applications:queue"), {"page": "2"}).content.decode()
        nonsense = client.get(reverse("applications:queue"), {"page": "many"})
    finally:
        views_officer.PAGE_SIZE = original
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert first.count('data-testid="queue-row"') == 2
    assert second.count('data-testid="queue-row"') == 1
    assert nonsense.status_code == 200
    only_mine = client.get(reverse("applications:queue"), {"assignee": "me"}).content.decode()
    assert applications[0].reference in only_mine
    assert applications[1].reference not in only_mine
    nobody = client.get(reverse("applications:queue"), {"assignee": "none"}).content.decode()
    assert applications[0].reference not in nobody
    assert applications[1].reference in nobody


def test_draft_pages_move_on_once_submitted(cast: Cast, mini: Mini, client: Client) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    _signed_in(client, cast.owner)
    detail = reverse("applications:detail", args=[application.reference])
    assert (
        client.get(reverse("applications:check", args=[application.reference]))["Location"]
        == detail
    )
    again = client.post(reverse("applications:submit", args=[application.reference]))
    assert again["Location"] == reverse("applications:submitted", args=[application.reference])
    assert client.get(_upload_url(application, LEASE))["Location"] == detail
    mine = client.get(reverse("applications:mine")).content.decode()
    assert application.reference in mine


def test_anonymous_start_goes_to_sign_in_and_back_to_the_plan(
    cast: Cast, mini: Mini, client: Client
) -> None:
    url = reverse("applications:start", args=[mini.journey.code])
    response = client.post(url)
    assert response["Location"].startswith(reverse("core:login"))
    back = client.get(url)
    assert back["Location"] == reverse("catalogue:finder_plan", args=[mini.journey.code])
