"""Catalogue pages: browse and search services, one service (any version). Public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.catalogue import selectors
from onestop.catalogue.export import catalogue_graph
from onestop.catalogue.forms import ServiceVersionForm
from onestop.catalogue.models import PublicService
from onestop.catalogue.permissions import can_edit_service
from onestop.catalogue.services import service_save
from onestop.core.errors import ValidationFailed
from onestop.core.forms import add_domain_errors
from onestop.core.permissions import require

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
            "can_edit": can_edit_service(request.user, found),
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


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, identifier: str) -> HttpResponse:
    """Back office: an officer records a new version of one of their agency's services."""
    found = selectors.service(identifier)
    if found is None or found.current is None:
        raise Http404
    require(can_edit_service(request.user, found))
    version = found.current
    form = ServiceVersionForm(
        request.POST if request.method == "POST" else None,
        initial=ServiceVersionForm.initial_from(version),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _service, changed = service_save(
                    actor=request.user,  # type: ignore[arg-type]
                    identifier=found.identifier,
                    agency=found.agency,
                    content=form.content(version),
                    valid_from=form.cleaned_data["valid_from"],
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                if changed:
                    messages.success(request, _("The new version is saved."))
                else:
                    messages.info(request, _("Nothing changed, so no new version was made."))
                return redirect("catalogue:service", identifier=found.identifier)
        status = 422
    return render(
        request, "catalogue/service_edit.html", {"service": found, "form": form}, status=status
    )
