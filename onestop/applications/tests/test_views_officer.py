"""The officer's pages: the queue and the case page with its actions (version conflicts
included), the correction flow, certificates and the public certificate check. Permissions and
bad input on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onestop.applications import services
from onestop.applications.models import Application, Case, CaseState
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import (
    DRAWING,
    ID_CARD,
    Mini,
    submitted_mini,
)
from onestop.applications.tests.page_helpers import (
    pdf_file,
    signed_in,
    upload_url,
)
from onestop.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


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
    page = signed_in(client, cast.officer_a).get(reverse("applications:queue"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(first.reference) < html.index(second.reference)
    assert "Overdue" in html  # in words, not colour alone
    assert "working days late" in html
    assert "2 cases, earliest due date first." in html
    overdue_only = client.get(reverse("applications:queue"), {"overdue": "on"}).content.decode()
    assert first.reference in overdue_only and second.reference not in overdue_only
    # Agency B's officer sees none of them (the licences wait for the registrations).
    other = signed_in(client, cast.officer_b).get(reverse("applications:queue"))
    assert first.reference not in other.content.decode()


def test_queue_refuses_an_unknown_filter_value(cast: Cast, client: Client) -> None:
    response = signed_in(client, cast.officer_a).get(
        reverse("applications:queue"), {"state": "lost"}
    )
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()


def test_queue_claim_button(cast: Cast, mini: Mini, client: Client) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _case_a(application)
    signed_in(client, cast.officer_a)
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
    page = signed_in(client, cast.officer_a).get(reverse("applications:case", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Identity of the legal representative" in html
    assert "Floor plan" not in html  # agency B's document
    id_card = application.documents.get(requirement=ID_CARD).document
    assert id_card is not None
    assert reverse("core:document_download", args=[id_card.pk]) in html
    assert client.get(reverse("core:document_download", args=[id_card.pk])).status_code == 200
    signed_in(client, cast.officer_b)
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
    signed_in(client, cast.officer_a)
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
    signed_in(client, cast.officer_a)
    response = _act(client, case, "return", correction_request="  ")
    assert response.status_code == 422
    assert "Say what the applicant must correct" in response.content.decode()
    services.case_accept(actor=officers.reviewer_a, case=case, version=case.version)
    case.refresh_from_db()
    services.case_start_review(actor=officers.reviewer_a, case=case, version=case.version)
    case.refresh_from_db()
    signed_in(client, officers.reviewer_a)
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
    signed_in(client, cast.owner)
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
    clerk_page = signed_in(client, cast.officer_a).get(url).content.decode()
    assert 'value="return"' in clerk_page
    assert 'value="approve"' not in clerk_page
    assert 'value="assign"' not in clerk_page
    assert _act(client, case, "approve").status_code == 403
    signed_in(client, officers.reviewer_a)
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
    signed_in(client, cast.officer_a)
    returned = _act(client, case, "return", correction_request="The ID copy is unreadable.")
    assert returned.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED
    # The applicant sees the paused clock and exactly what to fix.
    signed_in(client, cast.owner)
    html = client.get(reverse("applications:detail", args=[application.reference])).content
    assert b"Paused: correction requested" in html
    correction_url = reverse("applications:correction", args=[application.reference, case.pk])
    page = client.get(correction_url).content.decode()
    assert "The ID copy is unreadable." in page
    # Replace the ID copy (kept until the correction is sent), then resubmit.
    id_url = upload_url(application, ID_CARD) + f"?case={case.pk}"
    assert client.get(id_url).status_code == 200
    replaced = client.post(id_url, {"file": pdf_file("id-new.pdf", "id-new")})
    assert replaced["Location"] == correction_url
    assert "id-new.pdf" in client.get(correction_url).content.decode()
    # A document of a case not waiting for a correction cannot be changed.
    assert client.get(upload_url(application, DRAWING)).status_code == 302
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
        assert signed_in(client, user).post(url, {"comment": "x"}).status_code == 403
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
    signed_in(client, officers.reviewer_a)
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
    signed_in(client, cast.owner)
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
    response = signed_in(client, cast.owner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert signed_in(client, cast.other_member).get(url).status_code == 403


def test_queue_pages_and_filters_by_assignee(cast: Cast, mini: Mini, client: Client) -> None:
    from onestop.applications import views_officer

    applications = [
        submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a) for _ in range(3)
    ]
    mine = _case_a(applications[0])
    services.case_claim(actor=cast.officer_a, case=mine, version=mine.version)
    signed_in(client, cast.officer_a)
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
