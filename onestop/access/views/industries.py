"""Pages of the GB/T 4754 industry classification: search (with htmx, and without JS) and nodes.

Public pages: anyone may look up an industry. Reads go through the selectors only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from onestop.access import selectors

MAX_QUERY = 100
RESULTS = 30


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY]


def _results_context(q: str) -> dict[str, object]:
    return {
        "q": q,
        "results": selectors.industry_search(q, limit=RESULTS) if q else [],
        "limit": RESULTS,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The search box, its results (GET ``q``) and, below, the 20 sections."""
    context = _results_context(_query(request))
    context["sections"] = selectors.industry_sections()
    return render(request, "access/industries/index.html", context)


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """Only the results, for htmx to swap in while the user types. The address bar is set to
    the full page for this query (replacing, not adding, a history entry), so a reload or a
    shared link shows the same results."""
    q = _query(request)
    response = render(request, "access/industries/_results.html", _results_context(q))
    page = reverse("industries:index")
    response["HX-Replace-Url"] = f"{page}?{urlencode({'q': q})}" if q else page
    return response


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One node: its path up to the section (breadcrumbs), its names and its children."""
    found = selectors.industry_get(code)
    if found is None:
        return render(
            request,
            "access/industries/not_found.html",
            {"code": code[:20], "suggestions": selectors.industry_closest(code)},
            status=404,
        )
    return render(request, "access/industries/detail.html", {"detail": found, "node": found.node})
