"""API schemas of the negative lists and the access checker (inputs and outputs separate)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from onestop.core.schemas import PlainDataOut

Form = Literal["company", "partnership", "individual_business"]
Place = Literal["outside_ftz", "inside_ftz"]
Verdict = Literal["yes", "no", "depends"]


class AccessCheckIn(BaseModel):
    # A plain pydantic model (not ninja's Schema, which validates an input with extra="forbid"
    # twice, the second time through a per-field getter): the hot path of the checker's API.
    model_config = ConfigDict(extra="forbid")

    activities: list[str] = Field(
        ...,
        min_length=1,
        max_length=20,
        description="GB/T 4754-2017 industry codes, e.g. 8760 (film projection).",
    )
    foreign_share: float = Field(..., ge=0, le=100, description="Total foreign share, percent.")
    single_share: float | None = Field(
        None,
        ge=0,
        le=100,
        description="Largest single foreign investor's share, percent; default: the total.",
    )
    form: Form = "company"
    place: Place = "outside_ftz"
    date: dt.date | None = Field(None, description="Default: today.")
    answers: dict[str, str] = Field(
        default_factory=dict,
        description='Answers to clarifying questions, by question key, e.g. {"film": "no"}.',
    )


class EditionRefOut(PlainDataOut):
    id: int
    code: str
    scope: str
    title: str
    decree: str
    effective: dt.date
    repeal: dt.date | None


class ConditionOut(PlainDataOut):
    kind: str = Field(..., description="prohibited, chinese_control, max_foreign_share, ...")
    text: str
    met: bool | None = Field(..., description="None: cannot be decided from the input.")
    satisfied_by: str = Field(..., description='What would satisfy it, e.g. "at most 49 %".')


class FindingOut(PlainDataOut):
    item_id: int
    number: int
    key: str
    edition: str
    summary: str
    coverage: Literal["full", "partial"]
    status: Literal["applies", "open", "not_applicable"]
    allowed: Verdict
    measure: str
    measure_label: str
    subject: str = Field(..., description="The sub-measure that applies, if any.")
    conditions: list[ConditionOut]
    question: str = Field(..., description="The open question (status open).")
    uncertain: bool
    uncertain_note: str


class ActivityOut(PlainDataOut):
    code: str
    name: str = Field(
        ..., description="In the language of the response; Chinese where no English name exists."
    )
    name_en_missing: bool
    classification: Literal["permitted", "restricted", "prohibited", "depends"]
    classification_label: str
    allowed: Verdict
    allowed_label: str
    items: list[FindingOut]


class NoteOut(PlainDataOut):
    key: str
    kind: Literal["rule", "information"]
    text: str
    broken: bool | None


class OptionOut(PlainDataOut):
    value: str
    label: str


class QuestionOut(PlainDataOut):
    key: str
    text: str
    options: list[OptionOut]
    items: list[int]


class VerdictOut(PlainDataOut):
    edition: EditionRefOut
    allowed: Verdict
    allowed_label: str
    classification: str
    classification_label: str
    warnings: list[str]
    activities: list[ActivityOut]
    notes: list[NoteOut]
    questions: list[QuestionOut]


class AlternativeOut(VerdictOut):
    kind: Literal["other_place", "other_edition"]


class CheckInputOut(PlainDataOut):
    date: dt.date
    form: str
    place: str
    foreign_share: float
    single_share: float


class BilingualOut(PlainDataOut):
    zh: str
    en: str


class LinkOut(PlainDataOut):
    text: str
    url: str


class AccessCheckOut(VerdictOut):
    input: CheckInputOut
    alternatives: list[AlternativeOut]
    explanation: BilingualOut
    licence_reminder: LinkOut


class EditionOut(Schema):
    id: int
    code: str
    scope: str
    title_zh: str
    title_en: str
    decree_zh: str
    decree_en: str
    effective: dt.date
    repeal: dt.date | None
    repeal_uncertain: bool
    superseded_by: dict[str, object]
    item_count: int


class ItemIndustryOut(Schema):
    code: str
    coverage: str


class ItemOut(Schema):
    number: int
    key: str
    section_zh: str
    section_en: str
    measure: str
    max_foreign_share: float | None
    min_chinese_share: float | None
    max_single_foreign_share: float | None
    summary_zh: str
    summary_en: str
    sub_measures: list[dict[str, object]]
    requirements: list[dict[str, str]]
    question: dict[str, object]
    transition: dict[str, object]
    uncertain: bool
    uncertain_note_zh: str
    uncertain_note_en: str
    industries: list[ItemIndustryOut]


class NoteTextOut(Schema):
    key: str
    kind: str
    text: BilingualOut


class EditionDetailOut(EditionOut):
    notes: list[NoteTextOut]
    source: dict[str, object]
    items: list[ItemOut]


class DiffIn(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(..., alias="from", description="Edition code or id, e.g. national-2021.")
    to: str = Field(..., description="Edition code or id, e.g. national-2024.")


class ItemChangeOut(Schema):
    key: str
    change: Literal["removed", "added", "relaxed", "tightened", "reworded", "moved", "unchanged"]
    from_number: int | None = Field(
        ..., description="The item in the first edition (for a moved item: the one holding it)."
    )
    to_number: int | None = Field(
        ..., description="The item in the second edition (for a moved item: the one holding it)."
    )
    from_summary: str
    to_summary: str
    parts: list[str] = Field(..., description="Sub-measures that changed.")
    moved_to: str | None = Field(
        ...,
        description="For a moved item: the key of the second edition's item that now holds "
        "its measure as a sub-measure with the same key.",
    )
    moved_from: str | None = Field(
        ...,
        description="For a moved item: the key of the first edition's item that held its "
        "measure as a sub-measure with the same key.",
    )
    direction: Literal["relaxed", "tightened", "unchanged"] | None = Field(
        ..., description="For a moved item: what happened to the measure itself."
    )


class IndustryChangeOut(Schema):
    code: str
    change: Literal["removed", "added", "relaxed", "tightened", "reworded", "moved"]
    items: list[str]


class DiffOut(Schema):
    from_edition: EditionRefOut
    to_edition: EditionRefOut
    counts: dict[str, int]
    items: list[ItemChangeOut]
    industries: list[IndustryChangeOut]
