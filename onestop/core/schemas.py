"""API schemas of the core domain. Inputs (``*In``) and outputs (``*Out``) are separate classes
and list their fields one by one: no schema exposes a whole model.

``Problem`` is the shared error document (RFC 9457 problem+json); ``problems(...)`` declares the
error responses of a route so they show in the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from onestop.core.models import Agency, Notification, User

# ----- errors ------------------------------------------------------------------------------


class ProblemFieldError(Schema):
    field: str = Field(..., description='Where the error is, e.g. "body.days" or "query.since".')
    message: str = Field(..., description="What is wrong, in the language of the response.")
    code: str = Field(..., description="Stable machine code, e.g. greater_than_equal.")


class Problem(Schema):
    """An error, as an RFC 9457 problem document (media type application/problem+json)."""

    type: str = Field(..., description="/problems/<code>")
    title: str = Field(..., description="Short translated summary.")
    status: int
    code: str = Field(..., description="Stable machine code: not_found, forbidden, ...")
    detail: str
    instance: str = Field(..., description="The path that was requested.")
    errors: list[ProblemFieldError] | None = Field(
        None, description="One entry per invalid field (validation errors only)."
    )


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """``response={200: X, **problems(401, 404)}`` declares those error responses."""
    return dict.fromkeys(statuses, Problem)


class PlainDataOut(BaseModel):
    """Base of output schemas whose answers are built as plain dicts (not models).

    Pydantic validates such an answer in one pass of its compiled core. Ninja's ``Schema`` reads
    every field through a Python attribute getter meant for model instances, which cost about a
    third of an access-check request (issue 3's API latency target). The OpenAPI document is the
    same either way.
    """


class InputSchema(Schema):
    """Base of every input schema: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


# ----- users -------------------------------------------------------------------------------

LanguageCode = Literal["zh-hans", "en"]


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    role: str
    agency_code: str | None
    officer_level: str
    language: LanguageCode

    @staticmethod
    def resolve_agency_code(obj: User) -> str | None:
        return obj.agency.code if obj.agency is not None else None


class MeUpdateIn(InputSchema):
    language: LanguageCode | None = Field(None, description="Preferred language.")


# ----- agencies ----------------------------------------------------------------------------


class AgencyOut(Schema):
    code: str
    name: str = Field(..., description="In the language of the response.")
    name_zh: str
    name_en: str
    parent_code: str | None
    level: str
    district: str = Field(..., description="GB/T 2260 district code, or empty.")

    @staticmethod
    def resolve_parent_code(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class AgencyUpdateIn(InputSchema):
    name_zh: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, min_length=1, max_length=200)
    level: str | None = Field(None, max_length=40)
    district: str | None = Field(None, max_length=6)


# ----- notifications -----------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(..., description="In the language of the response.")
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return obj.title

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.body


# ----- API tokens --------------------------------------------------------------------------


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The public part of the token, to recognise it.")
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(
        ..., description="The token itself. Shown this once only: it is stored as a digest."
    )


class ApiTokenIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    days: int = Field(
        settings.API_TOKEN_DEFAULT_DAYS,
        ge=1,
        le=settings.API_TOKEN_MAX_DAYS,
        description="How many days the token works.",
    )


# ----- audit log ---------------------------------------------------------------------------


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict[str, Any]


class AuditFilterIn(Schema):
    actor: str = Field("", max_length=300, description="Part of the actor's name or email.")
    action: str = Field("", max_length=80, description="Action, or its start (e.g. agency.).")
    object_type: str = Field("", max_length=80, description="e.g. core.agency")
    object_id: str = Field("", max_length=64)
    since: dt.date | None = Field(None, description="From this day (inclusive).")
    until: dt.date | None = Field(None, description="Up to this day (inclusive).")
