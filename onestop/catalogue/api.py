"""Catalogue API: search and read services, list journeys, compute a plan. All public."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from onestop.catalogue import present, selectors
from onestop.catalogue.finder import journey_plan
from onestop.catalogue.schemas import JourneyOut, PlanIn, PlanOut, ServiceOut, ServiceSummaryOut
from onestop.core.api import paginated
from onestop.core.schemas import problems

router = Router(tags=["catalogue"])


@router.get(
    "/services",
    response={200: list[ServiceSummaryOut], **problems(422)},
    auth=None,
    operation_id="catalogue_services_list",
)
@paginate(PageNumberPagination, **paginated())
def services(request: HttpRequest, q: str = "", agency: str = "") -> present.Summaries:
    """Public services in force. ``q`` matches Chinese (segmented), English or pinyin
    (full or initials); every word must match."""
    return present.Summaries(selectors.services(query=q[:200], agency=agency))


@router.get(
    "/services/{identifier}",
    response={200: ServiceOut, **problems(404, 422)},
    auth=None,
    operation_id="catalogue_services_get",
)
def service(request: HttpRequest, identifier: str, version: int | None = None) -> dict[str, Any]:
    """One service: the version in force, or an older one with ``version``."""
    found = selectors.service(identifier)
    chosen = selectors.service_version(found, version) if found else None
    if found is None or chosen is None:
        raise Http404
    return present.service_detail(found, chosen)


@router.get(
    "/journeys", response=list[JourneyOut], auth=None, operation_id="catalogue_journeys_list"
)
def journeys(request: HttpRequest) -> list[dict[str, Any]]:
    """Business journeys with their questions."""
    return [present.journey(j) for j in selectors.journeys()]


@router.post(
    "/journeys/{code}/plan",
    response={200: PlanOut, **problems(400, 404, 422)},
    auth=None,
    operation_id="catalogue_journeys_plan",
)
def plan(request: HttpRequest, code: str, payload: PlanIn) -> dict[str, Any]:
    """The plan for a journey: services with reasons, levels (parallel steps), documents
    once each, fees and critical-path working days. A missing or contradictory answer is a
    422 naming the question (``answers.<key>``)."""
    journey = selectors.journey(code)
    if journey is None:
        raise Http404
    return present.plan(journey_plan(journey=journey, answers=payload.answers))
