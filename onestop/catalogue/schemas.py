"""API schemas of the catalogue: separate inputs and outputs, each field listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from onestop.core.schemas import InputSchema


class AgencyRefOut(Schema):
    code: str
    name: str


class ServiceSummaryOut(Schema):
    identifier: str
    title: str
    title_zh: str
    title_en: str
    kind: str
    agency: AgencyRefOut
    online: str
    uncertain: bool


class TimeLimitOut(Schema):
    value: float | None = None
    unit: str = ""
    note: str = ""
    uncertain: bool = False


class LegalBasisOut(Schema):
    act_id: str
    act_zh: str
    act_en: str
    articles: list[str]
    link: str = ""
    note: str = ""
    uncertain: bool = False


class DocumentOut(Schema):
    key: str
    name_zh: str
    name_en: str
    format: str = ""
    issued_by: str = ""
    obtainable_from_other_agency: bool
    note: str = ""
    uncertain: bool = False


class VersionRefOut(Schema):
    number: int
    valid_from: dt.date
    change_note: str


class ServiceOut(ServiceSummaryOut):
    version: int
    valid_from: dt.date
    description: str
    description_zh: str
    description_en: str
    legal_basis: list[LegalBasisOut]
    documents: list[DocumentOut]
    output_zh: str
    output_en: str
    fee_cny: Decimal | None
    fee_note: str
    statutory_limit: TimeLimitOut
    committed_limit: TimeLimitOut
    counter_visits: int | None
    applies_when_zh: str
    applies_when_en: str
    rule: str
    prerequisites: list[str]
    uncertain_notes: str
    sources: list[str]
    versions: list[VersionRefOut]


class FinderChoiceOut(Schema):
    value: str
    label: str


class FinderQuestionOut(Schema):
    key: str
    type: str = Field(..., description="bool, number, percent (0-100), choice or multi")
    label: str
    hint: str
    choices: list[FinderChoiceOut]
    min: float | None = None
    max: float | None = None


class JourneyOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    questions: list[FinderQuestionOut]


class PlanIn(InputSchema):
    answers: dict[str, Any] = Field(
        ...,
        description="Question key -> answer: true/false, a number, a choice value, or a list "
        "of choice values (multi).",
        examples=[{"foreign_share": 100, "employs_staff": True, "activities": []}],
    )


class ClauseOut(Schema):
    text: str
    passed: bool
    found: str
    expected: str
    sentence: str


class DurationOut(Schema):
    working_days: int
    source: str = Field(..., description="committed, statutory, or empty when unknown")
    unit: str
    value: float | None
    converted_from_calendar_days: bool
    not_confirmed: bool
    unknown: bool
    waiting_days: int


class PlanStepOut(Schema):
    service: ServiceSummaryOut
    requirement: str
    reason: str
    clauses: list[ClauseOut]
    level: int
    depends_on: list[str]
    duration: DurationOut
    start_day: int
    finish_day: int
    critical: bool


class PlanDocumentOut(Schema):
    key: str
    name: str
    name_zh: str
    name_en: str
    needed_by: list[str]
    obtainable_from_other_agency: bool
    uncertain: bool


class NotNeededOut(Schema):
    service: ServiceSummaryOut
    reason: str


class PlanOut(Schema):
    journey: str
    steps: list[PlanStepOut]
    levels: list[list[str]] = Field(
        ..., description="Service identifiers; one level can run in parallel."
    )
    not_needed: list[NotNeededOut]
    documents: list[PlanDocumentOut]
    fees_cny: Decimal
    fees_unknown: list[str]
    critical_path: list[str]
    critical_path_working_days: int
    days_lower_bound: bool
    days_not_confirmed: bool
