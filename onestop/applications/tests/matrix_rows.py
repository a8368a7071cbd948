"""Permission-matrix rows of the applications domain (see onestop/core/tests/matrix.py).

``build(world)`` makes, for the owner (enterprise A), from the engine's two-agency mini
catalogue: a draft application (documents still to upload) and a submitted one whose first
case sits with agency A (its documents uploaded, a certificate on it for the verify and
download rows). The pages rows are
kept by the pages (W); the API rows (``APIS``) by the engine (A).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onestop.core.tests.matrix import LOGIN, Case, World, api, cells, only, page


def build(world: World) -> None:
    from onestop.applications import services
    from onestop.applications.models import Certificate
    from onestop.applications.tests.helpers import (
        ID_CARD,
        LEASE,
        MINI_ANSWERS,
        mini_catalogue,
        submitted_mini,
    )

    cast = world.cast
    mini = mini_catalogue(cast.agency_a, cast.agency_b, suffix="-matrix")
    draft = services.application_start(
        actor=cast.owner, journey=mini.journey, answers=dict(MINI_ANSWERS)
    )
    submitted = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = submitted.cases.get(agency=cast.agency_a)
    slot = submitted.documents.get(requirement=ID_CARD)  # agency A's case only
    # A certificate for the verify page and the download, written directly: the issuing
    # workflow is tested by the engine's tests and the view tests.
    certificate = Certificate.objects.create(
        case=case,
        number="MATRIX-0001",
        code="MATRIXCODEGENUINE0001",
        title_zh="营业执照",
        title_en="Business licence",
        holder_zh="甲公司",
        holder_en="Company A",
        issuer_zh="甲局",
        issuer_en="Agency A",
        issued_on=dt.date(2026, 1, 5),
    )
    world.extra["applications"] = {
        "draft": draft,
        "draft_document": draft.documents.get(requirement=LEASE),
        "submitted": submitted,
        "case": case,
        "document": slot.document,
        "certificate": certificate,
    }


def _x(world: World) -> dict[str, Any]:
    extra: dict[str, Any] = world.extra["applications"]
    return extra


APPLICANTS = ("owner", "other_member", "investor")
OWNER_OR_ADMIN = only(200, ("owner", "city_admin"), others=403, anonymous=LOGIN)
OWNER = only(200, ("owner",), others=403, anonymous=LOGIN)

PAGES: list[Case] = [
    page("applications:mine", only(200, APPLICANTS, others=403, anonymous=LOGIN)),
    page(
        "applications:start",
        cells(302),
        args=lambda w: ["mini-journey-matrix"],
        label="GET goes back to the plan",
    ),
    page(
        "applications:start",
        only(302, APPLICANTS, others=403, anonymous=LOGIN),
        args=lambda w: ["mini-journey-matrix"],
        method="POST",
        label="no finder answers in the session: back to the finder",
    ),
    page(
        "applications:start",
        cells(404),
        args=lambda w: ["no-such-journey"],
        method="POST",
        label="unknown journey",
    ),
    page(
        "applications:detail",
        OWNER_OR_ADMIN,
        args=lambda w: [_x(w)["draft"].reference],
        label="owner's draft: task list",
    ),
    page(
        "applications:detail",
        OWNER_OR_ADMIN,
        args=lambda w: [_x(w)["submitted"].reference],
        label="owner's submitted application: timeline",
    ),
    page(
        "applications:detail",
        cells(404, anonymous=LOGIN),
        args=lambda w: ["OS-1999-999999"],
        label="unknown reference",
    ),
    page("applications:profile", OWNER_OR_ADMIN, args=lambda w: [_x(w)["draft"].reference]),
    page(
        "applications:upload",
        OWNER,
        args=lambda w: [_x(w)["draft"].reference, _x(w)["draft_document"].pk],
        label="owner's draft",
    ),
    page(
        "applications:upload",
        only(422, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["draft"].reference, _x(w)["draft_document"].pk],
        method="POST",
        data={},
        label="no file chosen",
    ),
    page(
        "applications:upload",
        only(404, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["draft"].reference, 987654],
        label="unknown document",
    ),
    page("applications:check", OWNER_OR_ADMIN, args=lambda w: [_x(w)["draft"].reference]),
    page(
        "applications:submit",
        only(422, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["draft"].reference],
        method="POST",
        label="a document is missing",
    ),
    page(
        "applications:submit",
        cells(405),
        args=lambda w: [_x(w)["draft"].reference],
        label="GET is refused",
    ),
    page("applications:submitted", OWNER_OR_ADMIN, args=lambda w: [_x(w)["submitted"].reference]),
    page(
        "applications:correction",
        only(302, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["submitted"].reference, _x(w)["case"].pk],
        label="nothing to correct: back to the application",
    ),
    page(
        "applications:certificate_pdf",
        OWNER_OR_ADMIN,
        args=lambda w: [_x(w)["submitted"].reference, _x(w)["case"].pk],
    ),
    # Officers: their own agency's queue and cases only.
    page(
        "applications:queue",
        only(200, ("officer_a", "officer_b"), others=403, anonymous=LOGIN),
    ),
    page(
        "applications:case",
        only(200, ("officer_a", "city_admin"), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["case"].pk],
        label="agency A's case",
    ),
    page(
        "applications:case",
        cells(404, anonymous=LOGIN),
        args=lambda w: [987654],
        label="unknown case",
    ),
    page(
        "applications:case_action",
        only(409, ("officer_a",), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["case"].pk],
        method="POST",
        data={"action": "accept", "version": 0},
        label="stale version: not applied",
    ),
    page(
        "applications:case_action",
        cells(405),
        args=lambda w: [_x(w)["case"].pk],
        label="GET is refused",
    ),
    page(
        "core:document_download",
        only(200, ("owner", "officer_a"), others=403, anonymous=LOGIN),
        args=lambda w: [_x(w)["document"].pk],
        label="document of agency A's case",
    ),
    # Anyone can check a certificate.
    page("applications:verify_form", cells(200)),
    page("applications:verify", cells(200), args=lambda w: [_x(w)["certificate"].code]),
    page("applications:verify", cells(404), args=lambda w: ["no-such-code"], label="unknown"),
]

# The API rows are kept by the engine (A).
V1 = "/api/v1"
OFFICER_A = only(200, ("officer_a",), others=403, anonymous=401)
_DRAFT_BODY = {
    "journey": "mini-journey-matrix",
    "answers": {"employs_staff": True},
    "submit": False,
}


def _ref(key: str) -> Any:
    return lambda w: {"reference": _x(w)[key].reference}


APIS: list[Case] = [
    api(
        "POST",
        f"{V1}/applications",
        only(201, APPLICANTS, others=403, anonymous=401),
        data=_DRAFT_BODY,
        label="draft from the mini journey",
    ),
    api("GET", f"{V1}/applications", cells(200, anonymous=401)),
    api(
        "GET",
        f"{V1}/applications/{{reference}}",
        only(200, ("owner", "city_admin"), others=403, anonymous=401),
        fill=_ref("submitted"),
        label="the owner's application",
    ),
    api(
        "GET",
        f"{V1}/applications/{{reference}}",
        cells(404, anonymous=401),
        fill=lambda w: {"reference": "OS-1999-000000"},
        label="unknown reference",
    ),
    api(
        "POST",
        f"{V1}/applications/{{reference}}/documents",
        cells(422, anonymous=401),
        fill=_ref("draft"),
        data={"requirement": "x"},
        label="JSON instead of multipart: refused before anything is read",
    ),
    api(
        "POST",
        f"{V1}/applications/{{reference}}/submit",
        only(422, ("owner",), others=403, anonymous=401),
        fill=_ref("draft"),
        label="the owner's draft: documents missing",
    ),
    api("GET", f"{V1}/cases", only(200, ("officer_a", "officer_b"), others=403, anonymous=401)),
    api(
        "GET",
        f"{V1}/cases/{{case_id}}",
        only(200, ("officer_a", "city_admin"), others=403, anonymous=401),
        fill=lambda w: {"case_id": _x(w)["case"].pk},
        label="agency A's case",
    ),
    api(
        "GET",
        f"{V1}/cases/{{case_id}}",
        cells(404, anonymous=401),
        fill=lambda w: {"case_id": 999_999},
        label="unknown case",
    ),
    api(
        "POST",
        f"{V1}/cases/{{case_id}}/actions",
        OFFICER_A,
        fill=lambda w: {"case_id": _x(w)["case"].pk},
        data={"action": "claim", "version": 1},
        label="claim agency A's case",
    ),
    api(
        "POST",
        f"{V1}/cases/{{case_id}}/resubmit",
        only(409, ("owner",), others=403, anonymous=401),
        fill=lambda w: {"case_id": _x(w)["case"].pk},
        data={"comment": "x"},
        label="not returned for correction",
    ),
    api(
        "GET",
        f"{V1}/certificates/{{code}}",
        cells(200),
        fill=lambda w: {"code": _x(w)["certificate"].code},
    ),
    api(
        "GET",
        f"{V1}/certificates/{{code}}",
        cells(404),
        fill=lambda w: {"code": "NO-SUCH-CODE"},
        label="unknown code",
    ),
]
