"""problem+json (RFC 9457) for every API error, with a stable ``code`` and a translated message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from onestop.core.errors import DomainError
from onestop.core.permissions import NotAuthenticated

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail or title,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _validation_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    from onestop.core.api_messages import translate_pydantic_error

    result = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", [])]
        result.append(
            {
                "field": ".".join(location),
                "message": translate_pydantic_error(error),
                "code": str(error.get("type", "invalid")),
            }
        )
    return result


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem(
            api,
            request,
            status=422,
            code="validation_failed",
            title=_("Some of the information given is not valid."),
            errors=_validation_errors(exc),
        )

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(
            api,
            request,
            status=exc.status,
            code=exc.code,
            title=str(exc.message),
            errors=[e.as_dict() for e in exc.errors] if exc.errors else None,
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            api,
            request,
            status=401,
            code="not_authenticated",
            title=_("Sign in or send a valid API token."),
        )

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        if isinstance(exc, NotAuthenticated):
            return on_auth(request, AuthenticationError())
        return problem(
            api,
            request,
            status=403,
            code="forbidden",
            title=_("You do not have permission to see or change this."),
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(
            api, request, status=404, code="not_found", title=_("Nothing was found at this address.")
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(
            api, request, status=exc.status_code, code="http_error", title=str(exc.message)
        )
