"""Register pages: an enterprise's register record (its members; officers), the back-office list,
and imports with their progress (data stewards and city administrators)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.core.errors import ValidationFailed
from onestop.core.forms import add_domain_errors
from onestop.core.permissions import require
from onestop.enterprises import selectors
from onestop.enterprises.districts import district_name
from onestop.enterprises.forms import ImportUploadForm, RegisterSearchForm
from onestop.enterprises.models import Enterprise, ImportRun
from onestop.enterprises.permissions import (
    can_edit_register,
    can_read_register,
    can_view_register_record,
)
from onestop.enterprises.services import register_import_start
from onestop.enterprises.size import basis_text, group_name, size_label
from onestop.enterprises.tags import tag_name

PAGE_SIZE = 25


def register_context(enterprise: Enterprise) -> dict[str, Any]:
    """What the record page shows, in the active language."""
    basis = enterprise.size_basis or {}
    return {
        "enterprise": enterprise,
        "years": selectors.enterprise_years(enterprise),
        "size_label": size_label(enterprise.size_class),
        "size_reason": basis_text(basis),
        "size_group": group_name(basis.get("group")),
        "district": district_name(enterprise.district) if enterprise.district else "",
        "industry": selectors.industry_class(enterprise.industry_code),
        "tags": [tag_name(t) for t in enterprise.tag_list],
    }


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in user's enterprises' register records (straight to it when only one)."""
    enterprises = list(selectors.enterprises_of(request.user))  # type: ignore[arg-type]
    if len(enterprises) == 1:
        return redirect("enterprises:record", enterprise_id=enterprises[0].pk)
    return render(request, "enterprises/mine.html", {"enterprises": enterprises})


@login_required
@require_GET
def record(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.register_record(enterprise_id)
    if enterprise is None:
        raise Http404
    require(can_view_register_record(request.user, enterprise.pk))
    context = register_context(enterprise)
    context["back_office"] = can_read_register(request.user)
    return render(request, "enterprises/record.html", context)


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Back office: search the register."""
    require(can_read_register(request.user))
    form = RegisterSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.register_search(
        query=data.get("q", ""),
        district=data.get("district", ""),
        size_class=data.get("size", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "enterprise": e,
            "district": district_name(e.district) if e.district else "",
            "size": size_label(e.size_class),
        }
        for e in page
    ]
    query = urlencode({k: v for k, v in data.items() if v})
    return render(
        request,
        "enterprises/register.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "can_import": can_edit_register(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """Back office: upload a register file (imported in the background) and past imports."""
    require(can_edit_register(request.user))
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = register_import_start(
                    actor=request.user,  # type: ignore[arg-type]
                    upload=form.cleaned_data["file"],
                    strict=form.cleaned_data["strict"],
                    default_year=form.cleaned_data["year"],
                )
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The file is uploaded; its import has started."))
                return redirect("enterprises:import_run", run_id=run.pk)
        status = 422
    runs = Paginator(selectors.import_runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enterprises/imports.html", {"form": form, "runs": runs}, status=status)


def _run_or_404(request: HttpRequest, run_id: int) -> ImportRun:
    require(can_edit_register(request.user))
    run = ImportRun.objects.filter(pk=run_id).select_related("started_by").first()
    if run is None:
        raise Http404
    return run


@login_required
@require_GET
def import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Progress and outcome of one import; htmx polls the progress part while it runs."""
    run = _run_or_404(request, run_id)
    context = {
        "run": run,
        "run_message": selectors.import_message(run),
        "errors": selectors.import_row_errors(run, limit=200),
    }
    if getattr(request, "htmx", False):
        return render(request, "enterprises/_import_progress.html", context)
    return render(request, "enterprises/import_run.html", context)


@login_required
@require_GET
def import_report(request: HttpRequest, run_id: int) -> FileResponse:
    """The full row-error report of an import, as CSV."""
    run = _run_or_404(request, run_id)
    path = Path(run.report_path) if run.report_path else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{Path(run.file_name).stem}-errors.csv",
        content_type="text/csv; charset=utf-8",
    )
