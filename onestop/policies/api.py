"""The policies router of the one API (mounted in onestop/api.py at /api/v1/).

- ``GET /policies``, ``GET /policies/{policy_id}``: published policies, public (drafts and
  withdrawn ones are not in the API; their editors use the back-office pages).
- ``GET /policies/{policy_id}/matches``: the eligible enterprises; officers of the issuing
  agency and city administrators see all, enterprise users only their own enterprises'.
- ``POST /policies/evaluate``: a rule against an enterprise of the register (by credit code:
  policy officers any, enterprise users their own) or against facts given inline; the result
  with the explanation clause by clause. A bad rule is a 422 naming line and column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from onestop.core.api import paginated
from onestop.core.api_auth import signed_in_user
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.permissions import PermissionDenied, is_city_admin
from onestop.core.roles import Role
from onestop.core.schemas import InputSchema, problems
from onestop.enterprises.models import Enterprise, Membership
from onestop.policies.fields import ENTERPRISE_SCHEMA, enterprise_facts
from onestop.policies.loader import CASE_FIELDS, _Problems, case_facts, case_values
from onestop.policies.models import Policy, PolicyMatch, PolicyStatus
from onestop.policies.permissions import can_see_matches, is_policy_officer
from onestop.rules import RuleError, explain, parse_rule

router = Router(tags=["policies"])


# ----- schemas -----------------------------------------------------------------------------


class AgencyRefOut(Schema):
    code: str
    name_zh: str
    name_en: str


class LegalBasisOut(Schema):
    title_zh: str = ""
    title_en: str = ""
    number: str = ""
    item: str = ""
    url: str = ""


class SourceOut(Schema):
    title: str = ""
    url: str = ""


class PolicySummaryOut(Schema):
    id: int
    code: str
    title: str
    title_zh: str
    title_en: str
    agency: AgencyRefOut
    valid_from: dt.date
    valid_to: dt.date | None
    takeup_mode: str
    status: str


class PolicyOut(PolicySummaryOut):
    summary_zh: str
    summary_en: str
    legal_basis: list[LegalBasisOut]
    issued_on: dt.date | None
    rule: str
    rule_version: int
    benefit_formula: str
    benefit_unit: str
    benefit_note_zh: str
    benefit_note_en: str
    budget: Decimal | None
    not_in_rule_zh: str
    not_in_rule_en: str
    uncertain_zh: str
    uncertain_en: str
    sources: list[SourceOut]


class MatchOut(Schema):
    id: int
    enterprise_credit_code: str
    enterprise_name: str
    rule_version: int
    eligible: bool
    benefit: Decimal | None
    matched_at: dt.datetime
    notified_at: dt.datetime | None
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_enterprise_credit_code(obj: PolicyMatch) -> str:
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_enterprise_name(obj: PolicyMatch) -> str:
        return str(obj.enterprise.name)


class YearFiguresIn(InputSchema):
    employees: int | None = Field(None, ge=0)
    operating_revenue: Decimal | None = Field(None, description="10,000 CNY")
    total_assets: Decimal | None = Field(None, description="10,000 CNY")


class EnterpriseFactsIn(InputSchema):
    """An enterprise record given inline, as the register holds it."""

    size_class: str = ""
    industry_code: str = Field("", description="GB/T 4754-2017 class; division/section derived")
    district: str = ""
    ownership: str = "domestic"
    registered_capital: Decimal | None = None
    registered_on: dt.date | None = None
    tags: list[str] = Field(default_factory=list)
    years: dict[int, YearFiguresIn] = Field(default_factory=dict)


class EvaluateIn(InputSchema):
    rule: str = Field(..., max_length=4000, description="CEL over enterprise.<field>")
    credit_code: str | None = Field(None, max_length=18)
    enterprise: EnterpriseFactsIn | None = None


class ClauseOut(Schema):
    text: str
    passed: bool
    sentence: str


class EvaluateOut(Schema):
    rule: str = Field(..., description="The rule as read back (canonical form).")
    eligible: bool
    clauses: list[ClauseOut]
    fields: list[str]


# ----- helpers -----------------------------------------------------------------------------


def _summary(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.pk,
        "code": policy.code,
        "title": policy.title,
        "title_zh": policy.title_zh,
        "title_en": policy.title_en,
        "agency": {
            "code": policy.agency.code,
            "name_zh": policy.agency.name_zh,
            "name_en": policy.agency.name_en,
        },
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        "takeup_mode": policy.takeup_mode,
        "status": policy.status,
    }


def _visible_policy(request: HttpRequest, policy_id: int) -> Policy:
    """A published policy (drafts and withdrawn policies are not in the public API: their
    editors work on them in the back office)."""
    policy = Policy.objects.select_related("agency").filter(pk=policy_id).first()
    if policy is None or policy.status != PolicyStatus.PUBLISHED:
        raise Http404
    return policy


# ----- routes ------------------------------------------------------------------------------


@router.get(
    "/policies",
    response={200: list[PolicySummaryOut], **problems(422)},
    auth=None,
    operation_id="policies_list",
)
@paginate(PageNumberPagination, **paginated())
def policies(request: HttpRequest, agency: str = "") -> list[dict[str, Any]]:
    """Published support policies, newest first; ``agency`` filters by agency code."""
    found = Policy.objects.filter(status=PolicyStatus.PUBLISHED).select_related("agency")
    if agency:
        found = found.filter(agency__code=agency[:64])
    return [_summary(p) for p in found.order_by("-valid_from", "code")]


@router.get(
    "/policies/{int:policy_id}",
    response={200: PolicyOut, **problems(404, 422)},
    auth=None,
    operation_id="policies_get",
)
def policy(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    """One policy with its rule, legal basis, sources and what is uncertain."""
    found = _visible_policy(request, policy_id)
    names = [
        "summary_zh",
        "summary_en",
        "legal_basis",
        "issued_on",
        "rule",
        "rule_version",
        "benefit_formula",
        "benefit_unit",
        "benefit_note_zh",
        "benefit_note_en",
        "budget",
        "not_in_rule_zh",
        "not_in_rule_en",
        "uncertain_zh",
        "uncertain_en",
        "sources",
    ]
    return {**_summary(found), **{name: getattr(found, name) for name in names}}


@router.get(
    "/policies/{int:policy_id}/matches",
    response={200: list[MatchOut], **problems(401, 403, 404, 422)},
    operation_id="policies_matches",
)
@paginate(PageNumberPagination, **paginated())
def matches(request: HttpRequest, policy_id: int) -> QuerySet[PolicyMatch]:
    """The enterprises eligible for the policy (last matching run)."""
    user = signed_in_user(request)
    found = _visible_policy(request, policy_id)
    rows = PolicyMatch.objects.filter(policy=found, eligible=True).select_related("enterprise")
    if can_see_matches(user, found):
        return rows.order_by("enterprise__credit_code")
    if user.has_role(Role.ENTERPRISE):
        mine = Membership.objects.filter(user=user).values("enterprise_id")
        return rows.filter(enterprise_id__in=mine).order_by("enterprise__credit_code")
    raise PermissionDenied(_("Only the issuing agency's officers see all matches."))


def _record_for(user: Any, payload: EvaluateIn) -> dict[str, Any]:
    if (payload.credit_code is None) == (payload.enterprise is None):
        raise ValidationFailed(
            [FieldError("body.credit_code", _("Give either credit_code or enterprise."), "one_of")]
        )
    if payload.credit_code is not None:
        enterprise = Enterprise.objects.filter(credit_code=payload.credit_code.upper()).first()
        allowed = enterprise is not None and (
            is_policy_officer(user)
            or is_city_admin(user)
            or Membership.objects.filter(user=user, enterprise=enterprise).exists()
        )
        if not allowed:  # the same answer whether it exists or not: nothing leaks
            raise Http404
        return enterprise_facts(enterprise)
    assert payload.enterprise is not None
    raw = payload.enterprise.model_dump()
    raw["years"] = {
        year: {k: v for k, v in figures.items() if v is not None}
        for year, figures in raw["years"].items()
    }
    raw = {k: v for k, v in raw.items() if k in CASE_FIELDS}
    problems_found = _Problems("body.enterprise")
    values = case_values(raw, "facts", problems_found)
    if values is None or problems_found.errors:
        raise ValidationFailed(
            [FieldError("body.enterprise", e.message, e.code) for e in problems_found.errors]
        )
    return case_facts(values)


@router.post(
    "/policies/evaluate",
    response={200: EvaluateOut, **problems(400, 401, 403, 404, 422)},
    operation_id="policies_evaluate",
)
def evaluate(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    """Evaluate a rule for one enterprise and explain it clause by clause."""
    user = signed_in_user(request)
    try:
        rule = parse_rule(payload.rule, ENTERPRISE_SCHEMA)
    except RuleError as exc:
        raise ValidationFailed(
            [
                FieldError(
                    "body.rule",
                    _("Line %(line)s, column %(column)s: %(message)s")
                    % {"line": exc.line, "column": exc.column, "message": exc.message},
                    f"rule_{exc.code}",
                )
            ]
        ) from None
    record = _record_for(user, payload)
    result = explain(rule, record)
    return {
        "rule": str(rule),
        "eligible": result.passed,
        "clauses": [
            {"text": c.text, "passed": c.passed, "sentence": c.sentence} for c in result.clauses()
        ],
        "fields": rule.fields,
    }
