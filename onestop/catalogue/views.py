"""Catalogue pages: browse and search services, one service (any version). Public."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from onestop.catalogue import selectors
from onestop.catalogue.export import catalogue_graph
from onestop.catalogue.models import PublicService

PAGE_SIZE = 20


@require_GET
def services(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    found = selectors.services(query=query)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/services.html",
        {"q": query, "page": page, "query": urlencode({"q": query}) if query else ""},
    )


@require_GET
def service(request: HttpRequest, identifier: str) -> HttpResponse:
    found = selectors.service(identifier)
    if found is None:
        raise Http404
    raw = request.GET.get("version", "")
    version = selectors.service_version(found, int(raw) if raw.isdigit() else None)
    if version is None:
        raise Http404
    prerequisites = selectors.services_by_identifier(version.prerequisites)
    return render(
        request,
        "catalogue/service.html",
        {
            "service": found,
            "version": version,
            "is_current": version.pk == found.current_id,
            "versions": found.versions.order_by("-number"),
            "prerequisites": [
                prerequisites.get(i) or PublicService(identifier=i) for i in version.prerequisites
            ],
        },
    )


@require_GET
def cpsv_ttl(request: HttpRequest) -> HttpResponse:
    """The catalogue as CPSV-AP 3.2 Turtle (conditions in CCCEV)."""
    data = catalogue_graph().serialize(format="turtle")
    return HttpResponse(data, content_type="text/turtle; charset=utf-8")


@require_GET
def cpsv_jsonld(request: HttpRequest) -> HttpResponse:
    """The same graph as JSON-LD."""
    data = catalogue_graph().serialize(format="json-ld", auto_compact=True)
    return HttpResponse(data, content_type="application/ld+json; charset=utf-8")
