"""Intake on the shipped Beijing catalogue and 2020 negative lists (J3's restaurant)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from onestop.access.models import Edition
from onestop.access.tests.negative_list_fixtures import item_number_today
from onestop.applications.models import Application, ApplicationDocument
from onestop.applications.services import application_start
from onestop.catalogue.models import Journey
from onestop.conftest import Cast
from onestop.core.errors import DomainError, ValidationFailed

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


def _journey(code: str) -> Journey:
    return Journey.objects.get(code=code)


def test_wfoe_restaurant_is_permitted_and_planned(
    cast: Cast, catalogue: None, access_data: list[Edition]
) -> None:
    application = application_start(
        actor=cast.investor, journey=_journey("open_restaurant"), answers=WFOE_RESTAURANT
    )
    assert application.applicant_enterprise is None  # an investor account
    check = application.access_check
    assert check["applicable"] and check["allowed"] == "yes"
    assert check["activities"] == ["6210"] and check["foreign_share"] == "100"
    services = [s["service"] for s in application.plan["steps"]]
    assert "food_business_licence" in services and "fie_establishment_registration" in services
    assert len(services) == 17
    keys = list(
        ApplicationDocument.objects.filter(application=application).values_list(
            "requirement", flat=True
        )
    )
    assert len(keys) == len(set(keys))
    assert "营业执照" in keys


def _cinema_answers() -> dict[str, Any]:
    journey = _journey("open_cinema")
    answers: dict[str, Any] = {}
    for question in journey.questions:
        key = question["key"]
        answers[key] = WFOE_RESTAURANT.get(key, False if question["type"] == "bool" else None)
    answers["foreign_share"] = 100
    return {k: v for k, v in answers.items() if v is not None}


def test_foreign_cinema_is_prohibited_with_the_list_item(
    cast: Cast, catalogue: None, access_data: list[Edition]
) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as asked:
        application_start(
            actor=cast.investor, journey=_journey("open_cinema"), answers=_cinema_answers()
        )
    # the film item covers only part of the class: the applicant is asked first
    assert [e.field for e in asked.value.errors] == ["access_answers.film"]
    assert "yes = Yes; no = No" in str(asked.value.errors[0].message)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        application_start(
            actor=cast.investor,
            journey=_journey("open_cinema"),
            answers=_cinema_answers(),
            access_answers={"film": "yes"},
        )
    error = caught.value
    assert error.code == "access_prohibited"
    assert len(error.errors) == 1
    message = str(error.errors[0].message)
    assert message.startswith("8760 ")
    # film: no foreign investment in cinema chains etc. (item 31 in 2020, 27 in 2024)
    assert f"item {item_number_today('film')}" in message
    assert not Application.objects.exists()


def test_restricted_activity_adds_conditions_and_procedures(
    cast: Cast, catalogue: None, access_data: list[Edition]
) -> None:
    answers = {**WFOE_RESTAURANT, "foreign_share": 40}
    application = application_start(
        actor=cast.investor,
        journey=_journey("open_restaurant"),
        answers=answers,
        industry_codes_extra=["6410"],
        access_answers={"telecom": "value_added"},
    )
    check = application.access_check
    assert check["classification"] == "restricted"
    telecom = [c for c in check["conditions"] if c["key"] == "telecom"]
    assert telecom and telecom[0]["met"] is True
    assert check["procedures"] == ["icp_vats_licence"]
    steps = {s["service"]: s for s in application.plan["steps"]}
    assert steps["icp_vats_licence"]["added_by"] == "access"


def test_restricted_activity_over_the_cap_is_refused(
    cast: Cast, catalogue: None, access_data: list[Edition]
) -> None:
    with pytest.raises(DomainError) as caught:
        application_start(
            actor=cast.investor,
            journey=_journey("open_restaurant"),
            answers=WFOE_RESTAURANT,
            industry_codes_extra=["6410"],
            access_answers={"telecom": "value_added"},
        )
    assert caught.value.code == "access_prohibited"
    assert caught.value.errors[0].field == "activities.1"
