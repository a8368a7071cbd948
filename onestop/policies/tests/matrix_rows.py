"""Permission-matrix rows of the policies domain (collected by onestop/core/tests/matrix.py).

``PAGES`` (P2, the pages) and ``APIS`` (P1, the API routes) point at the objects ``build``
makes: a published policy of agency A taken up automatically and one taken up by applying, each
with a match for the owner's enterprise (enterprise A), and a draft of agency A.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from onestop.core.tests.matrix import LOGIN, Case, World, api, cells, only, page
from onestop.policies.models import Policy, PolicyMatch, PolicyStatus, TakeupMode

PUBLISHED = "matrix-policy"  # published, automatic take-up, agency A
APPLY = "matrix-apply"  # published, apply mode, agency A
DRAFT = "matrix-draft"  # a draft of agency A
MATRIX_RULE = "enterprise.industry_division == '62'"

# A valid edit of the draft (also valid as a new policy of agency A with "code" and "agency").
POLICY_FORM: dict[str, object] = {
    "title_zh": "矩阵测试政策",
    "title_en": "Matrix test policy",
    "rule": MATRIX_RULE,
    "takeup_mode": "automatic",
    "valid_from": "2020-02-01",
    "valid_to": "",
    "action": "save",
}
APPLY_FORM: dict[str, object] = {
    "contact_name": "王经理",
    "contact_phone": "010-12345678",
    "contact_email": "owner@example.com",
    "declaration": "on",
}


def _policy(world: World, code: str, status: str, mode: str) -> Policy:
    return Policy.objects.create(
        code=code,
        title_zh=f"{code} 政策",
        title_en=f"{code} policy",
        summary_zh="用于权限矩阵。",
        summary_en="For the permission matrix.",
        agency=world.cast.agency_a,
        legal_basis=[{"title_zh": "测试文件", "title_en": "Test document", "number": "1号"}],
        valid_from=dt.date(2020, 2, 1),
        valid_to=None,
        rule=MATRIX_RULE,
        takeup_mode=mode,
        status=status,
        published_at=timezone.now() if status == PolicyStatus.PUBLISHED else None,
    )


def _match(policy: Policy, world: World) -> PolicyMatch:
    return PolicyMatch.objects.create(
        policy=policy,
        enterprise=world.cast.enterprise_a,
        rule_version=policy.rule_version,
        eligible=True,
        matched_at=timezone.now(),
        notified_at=timezone.now(),
    )


def build(world: World) -> None:
    enterprise = world.cast.enterprise_a
    enterprise.industry_code, enterprise.industry_division = "6210", "62"
    enterprise.industry_section, enterprise.district = "H", "110105"
    enterprise.save()
    published = _policy(world, PUBLISHED, PolicyStatus.PUBLISHED, TakeupMode.AUTOMATIC)
    apply = _policy(world, APPLY, PolicyStatus.PUBLISHED, TakeupMode.APPLY)
    world.extra["policy"] = published
    world.extra["policy_match"] = _match(published, world)
    world.extra["policy_apply_match"] = _match(apply, world)
    world.extra["policy_draft"] = _policy(world, DRAFT, PolicyStatus.DRAFT, TakeupMode.AUTOMATIC)


def _support_for(world: World, enterprise: str) -> str:
    from django.urls import reverse

    target = getattr(world.cast, enterprise)
    return f"{reverse('policies:support')}?enterprise={target.pk}"


OFFICERS = ("officer_a", "officer_b", "city_admin")
AGENCY_A = ("officer_a", "city_admin")

PAGES: list[Case] = [
    # Public: published policies.
    page("policies:list", cells(200)),
    page("policies:detail", cells(200), args=lambda w: [PUBLISHED], label="published"),
    page(
        "policies:detail",
        only(200, AGENCY_A, others=404, anonymous=404),
        args=lambda w: [DRAFT],
        label="agency A's draft",
    ),
    page("policies:detail", cells(404), args=lambda w: ["no-such-policy"], label="unknown"),
    # Support for me: each enterprise user sees its own enterprise only.
    page("policies:support", cells(200, anonymous=LOGIN)),
    Case(
        "page",
        "policies:support",
        lambda w: _support_for(w, "enterprise_a"),
        only(200, ("owner",), others=403, anonymous=LOGIN),
        label="enterprise A chosen",
    ),
    Case(
        "page",
        "policies:support",
        lambda w: _support_for(w, "enterprise_b"),
        only(200, ("other_member",), others=403, anonymous=LOGIN),
        label="enterprise B chosen",
    ),
    page(
        "policies:support_match",
        only(200, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [w.extra["policy_match"].pk],
        label="owner's match",
    ),
    page(
        "policies:support_match",
        cells(404, anonymous=LOGIN),
        args=lambda w: [987654],
        label="unknown",
    ),
    page(
        "policies:support_confirm",
        only(302, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [w.extra["policy_match"].pk],
        method="POST",
        label="owner's match",
    ),
    page(
        "policies:support_confirm",
        cells(405, anonymous=LOGIN),
        args=lambda w: [w.extra["policy_match"].pk],
        label="GET is refused",
    ),
    page(
        "policies:support_apply",
        only(200, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [w.extra["policy_apply_match"].pk],
        label="owner's apply-mode match",
    ),
    page(
        "policies:support_apply",
        only(302, ("owner",), others=403, anonymous=LOGIN),
        args=lambda w: [w.extra["policy_apply_match"].pk],
        method="POST",
        data=APPLY_FORM,
        label="owner's apply-mode match",
    ),
    # The policy officers' pages: officers of the issuing agency and city administrators.
    page("policies:manage", only(200, OFFICERS, others=403, anonymous=LOGIN)),
    page("policies:create", only(200, OFFICERS, others=403, anonymous=LOGIN)),
    page(
        "policies:create",
        only(302, AGENCY_A, others=403, anonymous=LOGIN) | {"officer_b": 422},
        method="POST",
        data={**POLICY_FORM, "code": "matrix-new", "agency": "agency-a"},
        label="new policy of agency A",
    ),
    page(
        "policies:rule_check",
        only(200, OFFICERS, others=403, anonymous=LOGIN),
        method="POST",
        data={"rule": MATRIX_RULE},
    ),
    page(
        "policies:edit",
        only(200, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [DRAFT],
        label="agency A's draft",
    ),
    page(
        "policies:edit",
        only(302, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [DRAFT],
        method="POST",
        data=POLICY_FORM,
        label="agency A's draft",
    ),
    page(
        "policies:edit",
        cells(404, anonymous=LOGIN),
        args=lambda w: ["no-such-policy"],
        label="unknown",
    ),
    page(
        "policies:publish",
        only(200, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [DRAFT],
        label="agency A's draft",
    ),
    page(
        "policies:publish",
        only(302, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [DRAFT],
        method="POST",
        label="agency A's draft",
    ),
    page(
        "policies:withdraw",
        only(200, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [PUBLISHED],
        label="agency A's policy",
    ),
    page(
        "policies:withdraw",
        only(302, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [PUBLISHED],
        method="POST",
        label="agency A's policy",
    ),
    page(
        "policies:stats",
        only(200, AGENCY_A, others=403, anonymous=LOGIN),
        args=lambda w: [PUBLISHED],
        label="agency A's policy",
    ),
]

# ----- API rows (P1) -----------------------------------------------------------------------

V1 = "/api/v1"
ENTERPRISE_A = "91110105MA01ABCD13"  # the owner's enterprise in the cast
INLINE: dict[str, object] = {"rule": MATRIX_RULE, "enterprise": {"industry_code": "6210"}}


def _policy_id(key: str) -> Any:
    return lambda w: {"policy_id": w.extra[key].pk}


APIS: list[Case] = [
    api("GET", f"{V1}/policies", cells(200)),
    api("GET", f"{V1}/policies/{{policy_id}}", cells(200), fill=_policy_id("policy")),
    api("GET", f"{V1}/policies/{{policy_id}}", cells(404), fill=_policy_id("policy_draft"),
        label="draft"),
    api("GET", f"{V1}/policies/{{policy_id}}/matches",
        only(200, ("owner", "other_member", "officer_a", "city_admin"), others=403,
             anonymous=401), fill=_policy_id("policy")),
    api("POST", f"{V1}/policies/evaluate", cells(200, anonymous=401), data=INLINE,
        label="inline facts"),
    api("POST", f"{V1}/policies/evaluate",
        only(200, ("owner", "officer_a", "officer_b", "city_admin"), others=404, anonymous=401),
        data={"rule": MATRIX_RULE, "credit_code": ENTERPRISE_A}, label="register record"),
]  # fmt: skip
