"""Catalogue pages without a browser: search, a service with its versions, the finder."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from onestop.catalogue.models import Journey, PublicService
from onestop.catalogue.services import service_save
from onestop.catalogue.tests.test_finder import WFOE_RESTAURANT

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def _english(client: Client) -> None:
    client.post("/language/", {"language": "en"})


def test_browse_and_search(catalogue: None, client: Client) -> None:
    _english(client)
    page = client.get("/services/", {"q": "shipin"}).content.decode()
    assert "Food business licence (catering)" in page
    assert "Fire safety inspection" not in page
    assert "50 services" in client.get("/services/").content.decode()


def test_service_page_shows_uncertainty_and_old_versions(catalogue: None, client: Client) -> None:
    _english(client)
    service = PublicService.objects.get(identifier="food_business_licence")
    assert service.current is not None
    content: dict[str, Any] = {
        name: getattr(service.current, name) for name in ("title_zh", "rule", "documents")
    }
    service_save(
        actor=None,
        identifier=service.identifier,
        agency=service.agency,
        content={**content, "title_en": "Food business licence (2023 rules)"},
        valid_from=dt.date(2023, 12, 1),
        change_note="2023 Measures",
    )
    page = client.get("/services/food_business_licence/").content.decode()
    assert "Food business licence (2023 rules)" in page
    assert "time limit not confirmed" in page
    assert "Version 1, in force from 2026-11-27" in page
    old = client.get("/services/food_business_licence/?version=1").content.decode()
    assert "You are reading version 1" in old and "Food business licence (catering)" in old
    assert client.get("/services/food_business_licence/?version=7").status_code == 404


def _as_form(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def test_finder_one_question_per_page_to_the_plan(catalogue: None, client: Client) -> None:
    _english(client)
    assert client.get("/services/finder/", {"journey": "open_restaurant"})["Location"] == (
        "/services/finder/open_restaurant/1/"
    )
    # "Continue" with nothing chosen: the browser sends only the form's marker.
    nothing = client.get("/services/finder/", {"sent": "1"})
    assert nothing.status_code == 200 and "Choose what you want to do." in nothing.content.decode()
    assert "Choose what you want to do." not in client.get("/services/finder/").content.decode()
    journey = Journey.objects.get(code="open_restaurant")
    # An empty answer is refused, naming the question.
    first = journey.questions[0]
    response = client.post("/services/finder/open_restaurant/1/", {})
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    for step, question in enumerate(journey.questions, start=1):
        response = client.post(
            f"/services/finder/open_restaurant/{step}/",
            {question["key"]: _as_form(WFOE_RESTAURANT[question["key"]])},
        )
        assert response.status_code == 302, (step, response.content[:500])
    assert response["Location"] == "/services/finder/open_restaurant/check/"
    check = client.get(response["Location"]).content.decode()
    assert "Chaoyang District" in check and "100%" in check
    plan = client.get("/services/finder/open_restaurant/plan/").content.decode()
    assert "At least 23 working days" in plan
    assert "Food business licence (catering)" in plan
    assert "Stage 4" in plan
    assert plan.count('<h4 class="govuk-summary-card__title">') == 17
    assert first["key"] == "district"


def test_contradictory_answers_send_back_to_the_question(catalogue: None, client: Client) -> None:
    _english(client)
    journey = Journey.objects.get(code="open_restaurant")
    answers = {**WFOE_RESTAURANT, "small_restaurant": True, "chain_restaurant": True}
    for step, question in enumerate(journey.questions, start=1):
        client.post(
            f"/services/finder/open_restaurant/{step}/",
            {question["key"]: _as_form(answers[question["key"]])},
        )
    response = client.get("/services/finder/open_restaurant/plan/")
    assert response.status_code == 422
    body = response.content.decode()
    assert "cannot be part of a chain" in body
    step = [q["key"] for q in journey.questions].index("chain_restaurant") + 1
    assert f"/services/finder/open_restaurant/{step}/?return=check" in body


def test_plan_without_answers_goes_to_the_first_question(catalogue: None, client: Client) -> None:
    response = client.get("/services/finder/open_restaurant/plan/", follow=True)
    assert response.redirect_chain[-1][0] == "/services/finder/open_restaurant/1/"
