"""The applications API: submit and follow, upload, officer actions, verification."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onestop.applications.models import Application, Case, CaseState
from onestop.applications.services import case_accept, case_approve, certificate_issue
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import (
    DRAWING,
    ID_CARD,
    LEASE,
    MINI_ANSWERS,
    Mini,
    mini_documents,
    pdf_bytes,
    submitted_mini,
)
from onestop.conftest import Cast
from onestop.core import services as core_services
from onestop.core.models import Document, User

pytestmark = pytest.mark.django_db


def _auth(user: User) -> dict[str, Any]:
    _token, plain = core_services.api_token_create(user=user, name="t", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _post(client: Client, user: User, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(path, body, content_type="application/json", **_auth(user), **headers)


def _body(cast: Cast, mini: Mini, **changes: Any) -> dict[str, Any]:
    documents = mini_documents(cast.owner, cast.enterprise_a)
    return {
        "journey": mini.journey.code,
        "answers": MINI_ANSWERS,
        "documents": {k: str(v.pk) for k, v in documents.items()},
        "enterprise": cast.enterprise_a.credit_code,
        **changes,
    }


def test_submit_with_idempotency_key_and_follow(client: Client, cast: Cast, mini: Mini) -> None:
    body = _body(cast, mini)
    first = _post(client, cast.owner, "/api/v1/applications", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["status"] == "submitted" and data["journey"] == mini.journey.code
    assert [(c["state"], c["agency_code"]) for c in data["cases"]] == [
        ("submitted", "agency-a"),
        ("waiting", "agency-b"),
    ]
    assert data["cases"][0]["due_on"] and data["cases"][1]["due_on"] is None
    again = _post(client, cast.owner, "/api/v1/applications", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["reference"] == data["reference"]
    assert Application.objects.count() == 1
    listed = client.get("/api/v1/applications", **_auth(cast.owner)).json()
    assert [a["reference"] for a in listed] == [data["reference"]]
    one = client.get(f"/api/v1/applications/{data['reference']}", **_auth(cast.owner))
    assert one.status_code == 200 and len(one.json()["documents"]) == 4
    assert one.json()["enterprise"] == cast.enterprise_a.credit_code
    assert one.json()["cases"][1]["waiting_for"] == ["Establishment registration"]
    other = client.get(f"/api/v1/applications/{data['reference']}", **_auth(cast.investor))
    assert other.status_code == 403 and other.json()["code"] == "forbidden"
    missing = client.get("/api/v1/applications/OS-1999-000001", **_auth(cast.owner))
    assert missing.status_code == 404


def test_draft_upload_then_submit_names_missing_documents(
    client: Client, cast: Cast, mini: Mini
) -> None:
    created = _post(
        client, cast.owner, "/api/v1/applications", _body(cast, mini, documents={}, submit=False)
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    reference = created.json()["reference"]
    refused = client.post(f"/api/v1/applications/{reference}/submit", **_auth(cast.owner))
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "validation_failed"
    assert sorted(e["field"] for e in problem["errors"]) == sorted(
        [f"documents.{ID_CARD}", f"documents.{LEASE}", f"documents.{DRAWING}"]
    )
    for label, requirement in (("id", ID_CARD), ("lease", LEASE), ("plan", DRAWING)):
        upload = client.post(
            f"/api/v1/applications/{reference}/documents",
            {
                "requirement": requirement,
                "file": SimpleUploadedFile(f"{label}.pdf", pdf_bytes(label)),
            },
            **_auth(cast.owner),
        )
        assert upload.status_code == 200, upload.json()["errors"]
        assert upload.json()["document"]["content_type"] == "application/pdf"
    # a wrong type is refused with the reason, and nothing is stored
    before = Document.objects.count()
    bad = client.post(
        f"/api/v1/applications/{reference}/documents",
        {"requirement": LEASE, "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
        **_auth(cast.owner),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.file"
    assert Document.objects.count() == before
    done = client.post(f"/api/v1/applications/{reference}/submit", **_auth(cast.owner))
    assert done.status_code == 200 and done.json()["status"] == "submitted"


def test_prohibited_and_bad_input_are_problems(client: Client, cast: Cast, mini: Mini) -> None:
    unknown = _post(client, cast.owner, "/api/v1/applications", _body(cast, mini, journey="nope"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.journey"
    extra = _post(client, cast.owner, "/api/v1/applications", _body(cast, mini, colour="red"))
    assert extra.status_code == 422
    bad_doc = _post(
        client,
        cast.owner,
        "/api/v1/applications",
        _body(cast, mini, documents={LEASE: str(uuid.uuid4())}),
    )
    assert (
        bad_doc.status_code == 422 and bad_doc.json()["errors"][0]["field"] == f"documents.{LEASE}"
    )
    officer = _post(client, cast.officer_a, "/api/v1/applications", _body(cast, mini))
    assert officer.status_code == 403
    anonymous = client.post(
        "/api/v1/applications", _body(cast, mini), content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert not Application.objects.exists()


def test_officer_actions_with_versions(
    client: Client, cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = application.cases.get(service=mini.registration)
    queue = client.get("/api/v1/cases", **_auth(officers.clerk_a)).json()
    assert [i["id"] for i in queue["items"]] == [case.pk] and queue["count"] == 1
    assert queue["items"][0]["applicant"] == cast.enterprise_a.name_en  # Accept-Language: en
    assert client.get("/api/v1/cases?overdue=true", **_auth(officers.clerk_a)).json()["items"] == []
    assert client.get("/api/v1/cases?state=bad", **_auth(officers.clerk_a)).status_code == 422
    assert client.get("/api/v1/cases", **_auth(cast.owner)).status_code == 403
    path = f"/api/v1/cases/{case.pk}/actions"
    ok = _post(client, officers.clerk_a, path, {"action": "accept", "version": 1})
    assert ok.status_code == 200 and ok.json()["state"] == "accepted" and ok.json()["version"] == 2
    stale = _post(client, officers.clerk_a, path, {"action": "start_review", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "case_changed"
    assert stale["Content-Type"].startswith("application/problem+json")
    clerk_decides = _post(client, officers.clerk_a, path, {"action": "approve", "version": 2})
    assert clerk_decides.status_code == 403
    refused = _post(
        client, officers.reviewer_a, path, {"action": "refuse", "version": 2, "reasons": ""}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.reasons"
    returned = _post(
        client,
        officers.clerk_a,
        path,
        {"action": "return", "version": 2, "correction_request": "Sign the lease."},
    )
    assert returned.json()["state"] == "returned" and returned.json()["paused"]
    resubmitted = _post(
        client, cast.owner, f"/api/v1/cases/{case.pk}/resubmit", {"comment": "signed"}
    )
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == "submitted"
    assert _post(client, cast.investor, f"/api/v1/cases/{case.pk}/resubmit", {}).status_code == 403


def test_officer_of_another_agency_gets_403_on_the_case_and_its_documents(
    client: Client, cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = application.cases.get(service=mini.registration)  # agency A
    id_card = application.documents.get(requirement=ID_CARD).document
    assert id_card is not None
    assert client.get(f"/api/v1/cases/{case.pk}", **_auth(officers.clerk_a)).status_code == 200
    for path in (f"/api/v1/cases/{case.pk}", f"/api/v1/cases/{case.pk + 1000}"):
        response = client.get(path, **_auth(officers.clerk_b))
        assert response.status_code in (403, 404)
    assert client.get(f"/api/v1/cases/{case.pk}", **_auth(officers.clerk_b)).status_code == 403
    action = _post(
        client,
        officers.clerk_b,
        f"/api/v1/cases/{case.pk}/actions",
        {"action": "claim", "version": 1},
    )
    assert action.status_code == 403
    assert Case.objects.get(pk=case.pk).assignee is None
    # the document download (core's page, with our access rule): guessed URL of a real file
    client.force_login(officers.clerk_b)
    assert client.get(f"/documents/{id_card.pk}/").status_code == 403
    client.force_login(officers.clerk_a)
    assert client.get(f"/documents/{id_card.pk}/").status_code == 200


def test_public_certificate_verification(
    client: Client, cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = application.cases.get(service=mini.registration)
    case_accept(actor=officers.clerk_a, case=case, version=1)
    case_approve(actor=officers.reviewer_a, case=case, version=2)
    certificate = certificate_issue(actor=officers.reviewer_a, case=case, version=3)
    response = client.get(f"/api/v1/certificates/{certificate.code}")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "valid" and data["holder_zh"] == cast.enterprise_a.name_zh
    assert data["number"] == certificate.number
    assert client.get("/api/v1/certificates/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    detail = client.get(f"/api/v1/cases/{case.pk}", **_auth(officers.clerk_a)).json()
    assert detail["state"] == CaseState.CERTIFICATE_ISSUED
    assert detail["certificate"]["verify_url"].endswith(f"/verify/{certificate.code}/")
