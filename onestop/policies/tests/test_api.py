"""The policies API: list and read, matches by who asks, evaluate with explanation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from onestop.conftest import Cast
from onestop.core.models import User
from onestop.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from onestop.policies.models import Policy
from onestop.policies.services import policies_match_run, policy_publish, policy_save

pytestmark = pytest.mark.django_db
RULE = "enterprise.industry_division == '62' && enterprise.size in ['small', 'micro']"


def client_for(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def policy(cast: Cast) -> Policy:
    enterprise = cast.enterprise_a
    enterprise.industry_code, enterprise.industry_division = "6210", "62"
    enterprise.industry_section, enterprise.size_class = "H", "small"
    enterprise.save()
    EnterpriseYearFactory(enterprise=enterprise, year=2019, operating_revenue=100)
    EnterpriseYearFactory(enterprise=enterprise, year=2020, operating_revenue=78)
    EnterpriseFactory(size_class="micro")  # another eligible restaurant
    draft = policy_save(actor=None, code="rent", agency=cast.agency_a, rule=RULE,
                        title_zh="房租减免", title_en="Rent relief",
                        valid_from=dt.date(2020, 3, 1), takeup_mode="apply")  # fmt: skip
    published = policy_publish(actor=None, policy=draft)
    policies_match_run()
    return published


def test_list_and_read(policy: Policy) -> None:
    listed = client_for(None).get("/api/v1/policies").json()
    assert [item["code"] for item in listed["items"]] == ["rent"]
    one = client_for(None).get(f"/api/v1/policies/{policy.pk}").json()
    assert one["rule"] == RULE and one["agency"]["code"] == "agency-a"
    assert one["title"] == "Rent relief" and one["rule_version"] == 1


def test_matches_all_for_the_agency_own_for_enterprise_users(cast: Cast, policy: Policy) -> None:
    url = f"/api/v1/policies/{policy.pk}/matches"
    everything = client_for(cast.officer_a).get(url).json()
    assert everything["count"] == 2
    own = client_for(cast.owner).get(url).json()
    assert [m["enterprise_credit_code"] for m in own["items"]] == [cast.enterprise_a.credit_code]
    assert client_for(cast.other_member).get(url).json()["count"] == 0
    assert client_for(cast.officer_b).get(url).status_code == 403


def test_evaluate_explains_for_a_register_enterprise(cast: Cast, policy: Policy) -> None:
    body = {"rule": "enterprise.revenue_2020 <= enterprise.revenue_2019 * 0.7",
            "credit_code": cast.enterprise_a.credit_code}  # fmt: skip
    response = post(client_for(cast.owner), "/api/v1/policies/evaluate", body)
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["eligible"] is False
    (clause,) = result["clauses"]
    assert clause["sentence"].startswith("Operating revenue fell 22 % from 2019 to 2020")
    assert "at least 30 %" in clause["sentence"]
    # someone else's enterprise: the same 404 as an unknown code
    other = post(client_for(cast.other_member), "/api/v1/policies/evaluate", body)
    assert other.status_code == 404


def test_evaluate_inline_facts(cast: Cast) -> None:
    body = {"rule": RULE, "enterprise": {"industry_code": "6110", "size_class": "small"}}
    result = post(client_for(cast.investor), "/api/v1/policies/evaluate", body).json()
    assert result["eligible"] is False
    with translation.override("en"):
        assert "Accommodation (61)" in result["clauses"][0]["sentence"]
    assert result["fields"] == ["enterprise.industry_division", "enterprise.size"]


@pytest.mark.parametrize(
    ("rule", "code", "where"),
    [
        (
            "enterprise.size == 'small' &&\n enterprise.sales > 1",
            "rule_unknown_field",
            "2, column 2",
        ),
        ("enterprise.size > 'small'", "rule_type", "1, column 1"),
        ("enterprise.size == ", "rule_syntax", "1, column"),
        ("'; DROP TABLE policies_policy; --", "rule_syntax", "1, column 1"),
    ],
)
def test_evaluate_refuses_bad_rules_with_position(
    cast: Cast, rule: str, code: str, where: str
) -> None:
    body = {"rule": rule, "enterprise": {"size_class": "small"}}
    response = post(client_for(cast.owner), "/api/v1/policies/evaluate", body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] == "body.rule" and error["code"] == code
    assert error["message"].startswith(f"Line {where}")


def test_evaluate_refuses_bad_facts(cast: Cast) -> None:
    body = {"rule": RULE, "enterprise": {"industry_code": "9999", "tags": ["nope"]}}
    response = post(client_for(cast.owner), "/api/v1/policies/evaluate", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.enterprise"
    both = post(client_for(cast.owner), "/api/v1/policies/evaluate", {"rule": RULE})
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "body.credit_code"
