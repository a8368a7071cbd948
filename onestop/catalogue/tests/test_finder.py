"""The licence finder's plans, J2 first: a wholly foreign-owned restaurant in Chaoyang."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from onestop.catalogue.finder import journey_plan
from onestop.catalogue.models import Journey
from onestop.catalogue.profile import PROFILE_SCHEMA
from onestop.core.errors import ValidationFailed
from onestop.rules import parse_rule

pytestmark = pytest.mark.django_db

WFOE_RESTAURANT = {
    "district": "110105",  # Chaoyang
    "foreign_share": 100,
    "small_restaurant": False,
    "chain_restaurant": False,
    "public_gathering_place": True,
    "renovation": True,
    "discharges_sewage_to_network": True,
    "employs_staff": True,
    "activities": [],
    "annual_vat_sales_cny": 2_000_000,
}


def _plan(code: str = "open_restaurant", **changes: Any) -> Any:
    return journey_plan(
        journey=Journey.objects.get(code=code), answers={**WFOE_RESTAURANT, **changes}
    )


def test_wfoe_restaurant_in_chaoyang(catalogue: None) -> None:
    with translation.override("en"):
        plan = _plan()
    ids = [s.service.identifier for s in plan.steps]
    assert set(ids) == {
        # the WFOE start-up journey (included because the foreign share is above 0)
        "investor_document_legalisation", "name_declaration", "fie_establishment_registration",
        "fir_initial_report", "seal_engraving_filing", "tax_new_taxpayer_setup",
        "social_insurance_registration", "housing_provident_fund_registration",
        "bank_basic_account_opening", "enterprise_annual_report",
        "fdi_foreign_exchange_registration", "fir_annual_report", "fir_change_report",
        # the restaurant's own
        "food_business_licence", "public_gathering_fire_safety_inspection",
        "construction_fire_acceptance_or_filing", "drainage_permit",
    }  # fmt: skip
    assert "company_establishment_registration" not in ids  # the domestic one
    not_needed = {s.service.identifier for s in plan.not_needed}
    assert {"small_restaurant_permit", "vat_general_taxpayer_registration"} <= not_needed
    # every procedure says why
    for step in plan.steps:
        assert step.reason, step.service.identifier
    food = next(s for s in plan.steps if s.service.identifier == "food_business_licence")
    assert "includes 'catering': met" in food.reason
    assert next(s for s in plan.not_needed if s.service.identifier == "small_restaurant_permit")
    # order: registration after name and legalisation, licences after registration
    level = {s.service.identifier: s.level for s in plan.steps}
    assert level["name_declaration"] == 0
    assert level["fie_establishment_registration"] == 1
    assert level["food_business_licence"] == level["public_gathering_fire_safety_inspection"] == 2
    assert level["tax_new_taxpayer_setup"] == 3  # waits for the seal
    # documents once each
    keys = [d.key for d in plan.documents]
    assert len(keys) == len(set(keys))
    licence = next(d for d in plan.documents if d.key == "营业执照")
    assert len(licence.needed_by) >= 5 and licence.obtainable_from_other_agency
    # critical path: name (0) -> FIE registration (3 wd) -> food licence (20 wd, not confirmed)
    assert plan.critical_path == [
        "name_declaration", "fie_establishment_registration", "food_business_licence"
    ]  # fmt: skip
    assert plan.critical_path_days == 23
    assert plan.days_uncertain  # the food licence's 20 days are recalled, not confirmed
    assert plan.days_lower_bound  # legalisation abroad has no time limit
    assert plan.fees_cny == 0
    assert plan.fees_unknown == ["investor_document_legalisation", "bank_basic_account_opening"]


def test_domestic_restaurant_uses_the_domestic_journey(catalogue: None) -> None:
    plan = _plan(foreign_share=0)
    ids = {s.service.identifier for s in plan.steps}
    assert "company_establishment_registration" in ids
    assert not ids & {"fie_establishment_registration", "fir_initial_report"}


def test_small_restaurant_gets_the_small_permit(catalogue: None) -> None:
    ids = {s.service.identifier for s in _plan(small_restaurant=True).steps}
    assert "small_restaurant_permit" in ids and "food_business_licence" not in ids


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"employs_staff": None}, "answers.employs_staff", "required"),
        ({"foreign_share": 130}, "answers.foreign_share", "invalid"),
        ({"district": "999999"}, "answers.district", "invalid"),
        ({"activities": ["mining"]}, "answers.activities", "invalid"),
        ({"seats": 3}, "answers.seats", "unknown"),
        ({"small_restaurant": True, "chain_restaurant": True}, "answers.chain_restaurant",
         "contradiction"),
    ],
)  # fmt: skip
def test_bad_answers_name_the_question(
    catalogue: None, changes: dict[str, Any], field: str, code: str
) -> None:
    answers = {k: v for k, v in {**WFOE_RESTAURANT, **changes}.items() if v is not None}
    with pytest.raises(ValidationFailed) as caught:
        journey_plan(journey=Journey.objects.get(code="open_restaurant"), answers=answers)
    assert [(e.field, e.code) for e in caught.value.errors] == [(field, code)]


def test_every_journey_asks_what_its_rules_read(catalogue: None) -> None:
    """A conditional service must not read a profile field the journey neither asks nor fixes."""
    problems = []
    for journey in Journey.objects.all():
        known = {q["key"] for q in journey.questions} | set(journey.fixed) | {"date"}
        journeys = [
            journey,
            *Journey.objects.filter(code__in=[i["journey"] for i in journey.includes]),
        ]
        for j in journeys:
            for candidate in j.candidates.exclude(requirement="always"):
                assert candidate.service.current is not None
                rule = candidate.service.current.rule
                if not rule:
                    continue
                fields = {
                    f.removeprefix("profile.") for f in parse_rule(rule, PROFILE_SCHEMA).fields
                }
                missing = fields - known
                if missing:
                    problems.append((journey.code, candidate.service.identifier, sorted(missing)))
    assert not problems


def test_every_journey_plans_with_plausible_answers(catalogue: None) -> None:
    defaults = {"bool": False, "number": 0, "percent": 100, "multi": []}
    for journey in Journey.objects.all():
        answers = {
            q["key"]: q["choices"][0]["value"] if q["type"] == "choice" else defaults[q["type"]]
            for q in journey.questions
        }
        plan = journey_plan(journey=journey, answers=answers)
        assert plan.steps, journey.code


def test_api_plan_and_errors(catalogue: None, client: Client) -> None:
    response = client.post(
        "/api/v1/journeys/open_restaurant/plan",
        {"answers": WFOE_RESTAURANT},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["critical_path_working_days"] == 23
    assert body["levels"][0][0]
    assert all(step["reason"] for step in body["steps"])
    missing = {k: v for k, v in WFOE_RESTAURANT.items() if k != "renovation"}
    response = client.post(
        "/api/v1/journeys/open_restaurant/plan",
        {"answers": missing},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] == "answers.renovation"
    assert "premises be built" in error["message"]
    assert (
        client.post(
            "/api/v1/journeys/nope/plan", {"answers": {}}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("食品经营许可", "food_business_licence"),
        ("餐饮 许可", "food_business_licence"),
        ("food licence", "food_business_licence"),
        ("shipinjingying", "food_business_licence"),
        ("spjyxk", "food_business_licence"),
        ("消防", "public_gathering_fire_safety_inspection"),
    ],
)
def test_search_in_chinese_english_and_pinyin(
    catalogue: None, client: Client, query: str, expected: str
) -> None:
    response = client.get("/api/v1/services", {"q": query, "page_size": "100"})
    assert response.status_code == 200
    found = [item["identifier"] for item in response.json()["items"]]
    assert expected in found, found


def test_service_detail_and_versions(catalogue: None, client: Client) -> None:
    body = client.get("/api/v1/services/food_business_licence").json()
    assert body["version"] == 1 and body["versions"][0]["number"] == 1
    assert body["statutory_limit"]["uncertain"] is True
    assert client.get("/api/v1/services/food_business_licence?version=9").status_code == 404
    assert client.get("/api/v1/services/nope").status_code == 404
    journeys = client.get("/api/v1/journeys").json()
    assert len(journeys) == 10
