"""API schemas of the applications domain: inputs (unknown fields refused) and outputs
(built from selectors' data, never whole models)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

from onestop.core.schemas import InputSchema

Place = Literal["outside_ftz", "inside_ftz"]
Action = Literal[
    "claim",
    "assign",
    "accept",
    "return",
    "start_review",
    "approve",
    "refuse",
    "issue_certificate",
]


class ApplicationIn(InputSchema):
    journey: str = Field(..., max_length=80, description="Journey code, e.g. open_restaurant.")
    answers: dict[str, Any] = Field(..., description="The licence finder's answers.")
    documents: dict[str, uuid.UUID] = Field(
        default_factory=dict,
        description="Requirement -> id of a document already uploaded by you or your "
        "enterprise (reuse).",
    )
    enterprise: str | None = Field(
        None, max_length=18, description="Unified social credit code of your enterprise."
    )
    industry_codes: list[str] = Field(
        default_factory=list, max_length=20, description="Further GB/T 4754 classes."
    )
    place: Place = "outside_ftz"
    access_answers: dict[str, str] = Field(
        default_factory=dict, description="Answers to the negative list's questions."
    )
    submit: bool = Field(
        True, description="Submit at once (false: keep a draft and upload documents first)."
    )


class SubmitIn(InputSchema):
    pass


class DocumentOut(Schema):
    id: uuid.UUID
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class ApplicationDocumentOut(Schema):
    requirement: str
    name: str
    obtainable_from_other_agency: bool
    document: DocumentOut | None
    missing: bool


class CaseEventOut(Schema):
    at: dt.datetime
    action: str
    comment: str
    actor: str | None


class CertificateOut(Schema):
    number: str
    code: str
    title: str
    issued_on: dt.date
    valid_to: dt.date | None
    revoked: bool
    verify_url: str


class CaseOut(Schema):
    id: int
    service: str
    title: str
    agency: str
    agency_code: str
    state: str
    state_label: str
    version: int
    due_on: dt.date | None
    remaining: int | None
    overdue: bool
    paused: bool
    waiting_for: list[str]
    correction_request: str
    decision_reasons: str
    appeal_info: str
    assignee: str | None
    events: list[CaseEventOut]
    documents: list[str] = Field(..., description="Requirements this case needs.")
    certificate: CertificateOut | None


class ApplicationSummaryOut(Schema):
    reference: str
    status: str
    status_label: str
    journey: str | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None


class ApplicationOut(ApplicationSummaryOut):
    enterprise: str | None
    access_check: dict[str, Any]
    documents: list[ApplicationDocumentOut]
    cases: list[CaseOut]


class CreatedCaseOut(Schema):
    id: int
    service: str
    agency_code: str
    state: str
    version: int
    due_on: dt.date | None


class ApplicationCreatedOut(ApplicationSummaryOut):
    """What POST /applications answers: the reference and each case (follow the application
    with GET /applications/{reference} for the whole timeline)."""

    cases: list[CreatedCaseOut]


class QueueCaseOut(Schema):
    id: int
    reference: str
    applicant: str
    service: str
    title: str
    state: str
    state_label: str
    version: int
    due_on: dt.date | None
    overdue: bool
    assignee: str | None


class QueueOut(Schema):
    items: list[QueueCaseOut]
    page: int
    page_size: int
    count: int
    count_capped: bool
    has_next: bool


class CaseActionIn(InputSchema):
    action: Action
    version: int = Field(..., ge=1, description="The case version you saw.")
    comment: str = Field("", max_length=4000)
    assignee: int | None = Field(None, description="For assign: user id, or null for nobody.")
    correction_request: str = Field("", max_length=4000, description="For return.")
    reasons: str = Field("", max_length=4000, description="For refuse.")
    appeal_info: str = Field("", max_length=4000, description="For refuse (default wording).")
    valid_to: dt.date | None = Field(None, description="For issue_certificate.")


class ResubmitIn(InputSchema):
    comment: str = Field("", max_length=4000)
    documents: dict[str, uuid.UUID] = Field(default_factory=dict)
    version: int | None = Field(None, ge=1)


class CertificateVerifyOut(Schema):
    code: str
    number: str
    status: Literal["valid", "revoked", "expired"]
    title_zh: str
    title_en: str
    holder_zh: str
    holder_en: str
    issuer_zh: str
    issuer_en: str
    issued_on: dt.date
    valid_to: dt.date | None
    revoked_at: dt.datetime | None
    revoked_reason: str
