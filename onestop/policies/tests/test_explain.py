"""Explanations of policy rules, clause by clause, and the selectors the pages use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from onestop.conftest import Cast
from onestop.enterprises.tests.factories import EnterpriseYearFactory
from onestop.policies.fields import ENTERPRISE_SCHEMA, facts_from_values
from onestop.policies.models import Policy, PolicyMatch
from onestop.policies.selectors import (
    explain_for_enterprise,
    policy_takeup_stats,
    rule_check,
    rule_preview,
    support_for_enterprise,
)
from onestop.policies.services import (
    policies_match_run,
    policy_match_confirm,
    policy_publish,
    policy_save,
)
from onestop.rules import explain, parse_rule

FALL = "enterprise.revenue_2020 <= enterprise.revenue_2019 * 0.7"


def facts(**values: Any) -> dict[str, Any]:
    years = values.pop("years", {})
    return facts_from_values(values, [{"year": y, **row} for y, row in years.items()])


def sentences(rule: str, record: dict[str, Any]) -> list[str]:
    return [c.sentence for c in explain(parse_rule(rule, ENTERPRISE_SCHEMA), record).clauses()]


def test_a_fall_in_revenue_is_said_in_percent_both_ways() -> None:
    record = facts(years={2019: {"operating_revenue": Decimal("100"), "employees": None,
                                 "total_assets": None},
                          2020: {"operating_revenue": Decimal("78"), "employees": None,
                                 "total_assets": None}})  # fmt: skip
    with translation.override("en"):
        (sentence,) = sentences(FALL, record)
    assert sentence == (
        "Operating revenue fell 22 % from 2019 to 2020 (100 to 78); "
        "the rule needs a fall of at least 30 %: not met."
    )
    with translation.override("zh-hans"):
        (zh,) = sentences(FALL, record)
    assert "22" in zh and "30" in zh and "2019" in zh  # wording translated centrally


def test_a_head_count_limit_is_said_as_an_allowed_fall() -> None:
    rule = "enterprise.employees_2020 >= enterprise.employees_2019 * 0.945"
    row = {"operating_revenue": None, "total_assets": None}
    record = facts(years={2019: {**row, "employees": 40}, 2020: {**row, "employees": 36}})
    with translation.override("en"):
        (sentence,) = sentences(rule, record)
    assert sentence == (
        "The number of employees fell 10 % from 2019 to 2020 (40 to 36); "
        "the rule allows a fall of at most 5.5 %: not met."
    )


def test_membership_and_size_name_the_values() -> None:
    rule = "enterprise.industry_division in ['61', '62'] && enterprise.size in ['small', 'micro']"
    record = facts(industry_division="72", size_class="medium")
    with translation.override("en"):
        industry, size = sentences(rule, record)
    assert industry == (
        "industry division (GB/T 4754): Business Services (72); the rule needs one of "
        "Accommodation (61), Catering Services (62): not met."
    )
    assert size == (
        "size class: Medium (medium); the rule needs one of Small (small), Micro (micro): not met."
    )
    with translation.override("zh-hans"):
        industry_zh, _size = sentences(rule, record)
    assert "餐饮业 (62)" in industry_zh and "住宿业 (61)" in industry_zh


def test_tags_are_named() -> None:
    with translation.override("en"):
        (sentence,) = sentences("'zhongguancun' in enterprise.tags", facts(tags=",high_tech,"))
    assert sentence == (
        "tags: High-tech enterprise; the rule needs includes Zhongguancun enterprise: not met."
    )


def test_rule_check_gives_line_and_column() -> None:
    (error,) = rule_check("enterprise.size == 'small' &&\n   enterprise.size == 'tiny'")
    assert (error.line, error.column, error.code) == (2, 23, "type")
    assert rule_check("enterprise.size == 'small'") == []


def _publish(cast: Cast, code: str, rule: str, **extra: Any) -> Policy:
    policy = policy_save(
        actor=cast.city_admin,
        code=code,
        agency=cast.agency_a,
        rule=rule,
        title_zh=f"{code}政策",
        title_en=f"{code} policy",
        valid_from=dt.date(2020, 1, 1),
        takeup_mode="automatic",
        **extra,
    )
    return policy_publish(actor=cast.city_admin, policy=policy)


@pytest.fixture
def restaurant(cast: Cast) -> Any:
    enterprise = cast.enterprise_a
    enterprise.industry_code, enterprise.industry_division = "6210", "62"
    enterprise.industry_section, enterprise.size_class = "H", "small"
    enterprise.district = "110105"
    enterprise.save()
    EnterpriseYearFactory(enterprise=enterprise, year=2019, operating_revenue=100, employees=40)
    EnterpriseYearFactory(enterprise=enterprise, year=2020, operating_revenue=78, employees=40)
    return enterprise


@pytest.mark.django_db
def test_support_lists_eligible_and_near_misses_with_why_not(cast: Cast, restaurant: Any) -> None:
    _publish(cast, "rent", "enterprise.size in ['micro', 'small'] && "
             "enterprise.industry_division == '62'")  # fmt: skip
    _publish(cast, "fall", f"enterprise.industry_division == '62' && {FALL}")
    _publish(cast, "far", "enterprise.industry == '8760' && enterprise.size == 'large'")
    policies_match_run()
    with translation.override("en"):
        eligible, near = support_for_enterprise(restaurant)
    assert [item.policy.code for item in eligible] == ["rent"]
    assert eligible[0].match is not None and eligible[0].match.eligible
    assert [item.policy.code for item in near] == ["fall"]
    (failing,) = near[0].failing
    assert "fell 22 %" in failing.sentence and "at least 30 %" in failing.sentence
    why = explain_for_enterprise(near[0].policy, restaurant)
    assert why.passed is False and [c.passed for c in why.clauses] == [True, False]


@pytest.mark.django_db
def test_preview_and_takeup_stats(cast: Cast, restaurant: Any) -> None:
    count, sample = rule_preview("enterprise.industry_division == '62'")
    assert (count, sample) == (0, [])  # the screen is filled by the matching run
    policy = _publish(cast, "rent", "enterprise.industry_division == '62'",
                      benefit_formula="enterprise.employees * 100")  # fmt: skip
    policies_match_run()
    count, sample = rule_preview("enterprise.industry_division == '62'")
    assert (count, sample) == (1, [restaurant])
    match = PolicyMatch.objects.get(policy=policy)
    policy_match_confirm(actor=cast.owner, match=match)
    stats = policy_takeup_stats(policy)
    assert stats["eligible"] == stats["confirmed"] == 1
    assert stats["amount"] == Decimal("4000.00")
    assert stats["by_district"] == {"110105": 1}
    assert sum(stats["by_month"].values()) == 1
