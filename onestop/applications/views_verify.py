"""The public certificate check: anyone can type or scan a certificate's code and see whether
it is genuine and current, revoked (when and why), or unknown."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from onestop.applications.forms import VerifyForm


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("applications:verify", code=form.cleaned_data["code"])
    return render(
        request,
        "applications/verify_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    from onestop.applications.selectors import certificate_by_code

    certificate = certificate_by_code(code)
    if certificate is None:
        return render(
            request,
            "applications/verify_unknown.html",
            {"code": code, "form": VerifyForm()},
            status=404,
        )
    english = (request.LANGUAGE_CODE or "").startswith("en")
    rows = [
        {"label": (en or zh) if english else (zh or en), "value": value}
        for zh, en, value in (certificate.data or {}).get("rows", [])
    ]
    return render(
        request,
        "applications/verify.html",
        {"certificate": certificate, "rows": rows, "current": certificate.is_current},
    )
