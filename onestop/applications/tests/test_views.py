"""The applicant's pages: start from a plan, upload each document once, submit, follow the
timeline (the officer's pages: ``test_views_officer``). Permissions and bad input on every
page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onestop.access.tests.negative_list_fixtures import item_number_today
from onestop.applications.models import Application, ApplicationStatus, Case
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import (
    DRAWING,
    ID_CARD,
    LEASE,
    Mini,
    submitted_mini,
    upload,
)
from onestop.applications.tests.page_helpers import (
    pdf_file,
    signed_in,
    start_from_plan,
    upload_url,
    with_answers,
)
from onestop.catalogue.services import service_save
from onestop.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# ----- applicant ---------------------------------------------------------------------------


def test_plan_page_offers_to_start_an_application(cast: Cast, mini: Mini, client: Client) -> None:
    with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    plan = reverse("catalogue:finder_plan", args=[mini.journey.code])
    anonymous = client.get(plan)
    assert "sign in" in anonymous.content.decode()
    signed_in(client, cast.owner)
    with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    page = client.get(plan).content.decode()
    assert reverse("applications:start", args=[mini.journey.code]) in page
    assert "Start an application" in page
    assert "Where will the business be?" in page
    assert 'name="place" type="radio" value="outside_ftz" checked' in page
    assert 'name="place" type="radio" value="inside_ftz"' in page
    signed_in(client, cast.officer_a)
    assert "Start an application" not in client.get(plan).content.decode()


def test_start_makes_a_draft_whose_task_list_asks_each_document_once(
    cast: Cast, mini: Mini, client: Client
) -> None:
    signed_in(client, cast.owner)
    application = start_from_plan(client, mini)
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
    signed_in(client, cast.owner)
    response = client.post(reverse("applications:start", args=[mini.journey.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:finder_check", args=[mini.journey.code])
    assert not Application.objects.exists()


def test_officers_cannot_start_applications(cast: Cast, mini: Mini, client: Client) -> None:
    signed_in(client, cast.officer_a)
    with_answers(client, mini.journey.code, {"employs_staff": "yes"})
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
    signed_in(client, cast.investor)
    with_answers(client, "open_restaurant", {**RESTAURANT, "activities": ["website_commercial"]})
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
    assert Application.objects.get().access_check["place"] == "outside_ftz"


def test_the_place_chosen_on_the_plan_page_is_the_place_checked(
    cast: Cast, client: Client, access_world: Any, catalogue: None
) -> None:
    """Inside a pilot free trade zone the FTZ list answers, and the open question's page keeps
    the place; a made-up place is refused with the reason."""
    signed_in(client, cast.investor)
    with_answers(client, "open_restaurant", {**RESTAURANT, "activities": ["website_commercial"]})
    url = reverse("applications:start", args=["open_restaurant"])
    asked = client.post(url, {"place": "inside_ftz"}).content.decode()
    assert '<input type="hidden" name="place" value="inside_ftz">' in asked
    made_up = client.post(url, {"place": "on_the_moon"}, follow=True)
    assert "Choose inside or outside the free trade zone." in made_up.content.decode()
    assert not Application.objects.exists()
    allowed = client.post(
        url, {"asked": "1", "place": "inside_ftz", "access.internet_content": "no"}
    )
    assert allowed.status_code == 302
    snapshot = Application.objects.get().access_check
    assert snapshot["place"] == "inside_ftz"
    assert snapshot["edition"].startswith("ftz-")


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
    signed_in(client, cast.owner)
    application = start_from_plan(client, mini)
    url = upload_url(application, LEASE)
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    assert 'class="govuk-error-message"' in html
    assert expected in html.lower()
    assert application.documents.get(requirement=LEASE).document is None


def test_no_file_chosen_says_so(cast: Cast, mini: Mini, client: Client) -> None:
    signed_in(client, cast.owner)
    application = start_from_plan(client, mini)
    response = client.post(upload_url(application, LEASE), {})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.content.decode()


def test_upload_reuse_check_submit_and_confirmation(cast: Cast, mini: Mini, client: Client) -> None:
    signed_in(client, cast.owner)
    earlier = upload(cast.owner, enterprise=cast.enterprise_a, label="old-lease")
    application = start_from_plan(client, mini)
    # The lease: reuse the enterprise's earlier upload.
    page = client.get(upload_url(application, LEASE)).content.decode()
    assert "Or use a document you uploaded before" in page
    assert "old-lease.pdf" in page
    response = client.post(upload_url(application, LEASE), {"document": str(earlier.pk)})
    assert response.status_code == 302
    assert application.documents.get(requirement=LEASE).document == earlier
    # A document of someone else's enterprise cannot be reused.
    foreign = upload(cast.other_member, enterprise=cast.enterprise_b, label="theirs")
    refused = client.post(upload_url(application, ID_CARD), {"document": str(foreign.pk)})
    assert refused.status_code == 422
    assert "Choose one of the documents listed." in refused.content.decode()
    # Submitting with a document missing names it, linked to its upload page.
    check = client.get(reverse("applications:check", args=[application.reference]))
    assert check.status_code == 200
    missing = client.post(
        reverse("applications:submit", args=[application.reference]), {"idempotency_key": "k1"}
    )
    assert missing.status_code == 422
    assert upload_url(application, ID_CARD) in missing.content.decode()
    for requirement, label in ((ID_CARD, "id"), (DRAWING, "drawing")):
        done = client.post(
            upload_url(application, requirement), {"file": pdf_file(f"{label}.pdf", label)}
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
        assert signed_in(client, user).get(url).status_code == 403
    assert signed_in(client, cast.owner).get(url).status_code == 200
    assert signed_in(client, cast.city_admin).get(url).status_code == 200
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("core:login"))
    assert (
        signed_in(client, cast.owner)
        .get(reverse("applications:detail", args=["OS-0000-000000"]))
        .status_code
        == 404
    )


# ----- officers ----------------------------------------------------------------------------


def test_draft_pages_move_on_once_submitted(cast: Cast, mini: Mini, client: Client) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    signed_in(client, cast.owner)
    detail = reverse("applications:detail", args=[application.reference])
    assert (
        client.get(reverse("applications:check", args=[application.reference]))["Location"]
        == detail
    )
    again = client.post(reverse("applications:submit", args=[application.reference]))
    assert again["Location"] == reverse("applications:submitted", args=[application.reference])
    assert client.get(upload_url(application, LEASE))["Location"] == detail
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


def test_pages_name_each_procedure_as_applied_for(cast: Cast, mini: Mini, client: Client) -> None:
    """A new version of a procedure after submission does not rename the applicant's cases."""
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    current = mini.registration.current
    assert current is not None
    content = {
        **{f: getattr(current, f) for f in ("output_zh", "output_en", "documents")},
        "title_zh": "设立登记新版",
        "title_en": "Establishment registration, new edition",
        "statutory_limit": current.statutory_limit,
    }
    _service, changed = service_save(
        actor=None,
        identifier=mini.registration.identifier,
        agency=mini.registration.agency,
        content=content,
        valid_from=dt.date(2021, 1, 1),
    )
    assert changed
    mini.registration.refresh_from_db()
    assert str(mini.registration.current) == "Establishment registration, new edition"
    html = (
        signed_in(client, cast.owner)
        .get(reverse("applications:detail", args=[application.reference]))
        .content.decode()
    )
    assert "Establishment registration, new edition" not in html
    # The case row, the licence's "after: ..." and the documents' "needed by" all keep it.
    assert html.count("Establishment registration") >= 3
