"""problem+json (RFC 9457) for every API error, with a stable ``code`` and a translated message.

| status | code                 | raised by                                                   |
|--------|----------------------|-------------------------------------------------------------|
| 400    | malformed_json       | a request body that is not JSON                             |
| 401    | not_authenticated    | no (valid) session or token; NotAuthenticated               |
| 403    | forbidden            | PermissionDenied from a permission check                    |
| 403    | csrf_failed          | a session request without the CSRF token                    |
| 404    | not_found            | Http404, unknown /api/ URLs (via the project's handler404)  |
| 405    | method_not_allowed   | a method the route does not have                            |
| 422    | validation_failed    | input that does not fit the schema, or ValidationFailed     |
| 4xx    | DomainError.code     | any other rule of the domain                                |
| 500    | server_error         | a bug; logged, and reported to Django's error signal        |
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from onestop.core.errors import DomainError, FieldError, ValidationFailed
from onestop.core.permissions import NotAuthenticated

PROBLEM_CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("onestop.api")

# Where a service's field errors come from, by method: services name fields like the input
# schema does, so ``days`` from api_token_create is ``body.days`` to the client.
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def problem_body(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
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
    return body


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
    body = problem_body(
        request, status=status, code=code, title=title, detail=detail, errors=errors
    )
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_path(location: list[Any] | tuple[Any, ...]) -> str:
    """``("body", "payload", "days")`` -> ``body.days``: the handler's parameter name is noise."""
    parts = [str(part) for part in location]
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "payload":
        del parts[1]
    return ".".join(parts)


def _validation_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    from onestop.core.api_messages import translate_pydantic_error

    return [
        {
            "field": _field_path(error.get("loc", [])),
            "message": translate_pydantic_error(error),
            "code": str(error.get("type", "invalid")),
        }
        for error in exc.errors
    ]


def _domain_field_errors(request: HttpRequest, errors: list[FieldError]) -> list[dict[str, str]]:
    source = "body" if request.method in _BODY_METHODS else "query"
    result = []
    for error in errors:
        item = error.as_dict()
        if "." not in item["field"] and item["field"] != "__all__":
            item["field"] = f"{source}.{item['field']}"
        result.append(item)
    return result


_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "too_many_requests",
}


def not_found_title() -> str:
    return _("Nothing was found at this address.")


def method_not_allowed_title() -> str:
    return _("This address does not accept this method.")


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
        errors = None
        if exc.errors or isinstance(exc, ValidationFailed):
            errors = _domain_field_errors(request, exc.errors)
        return problem(
            api, request, status=exc.status, code=exc.code, title=str(exc.message), errors=errors
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            api,
            request,
            status=401,
            code="not_authenticated",
            title=_("Sign in or send a valid API token."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

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
        return problem(api, request, status=404, code="not_found", title=not_found_title())

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja could not parse the body (json.JSONDecodeError is a ValueError).
            return problem(
                api,
                request,
                status=400,
                code="malformed_json",
                title=_("The request body is not valid JSON."),
                errors=[
                    {
                        "field": "body",
                        "message": _("The request body is not valid JSON."),
                        "code": "json_invalid",
                    }
                ],
            )
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        return problem(api, request, status=exc.status_code, code=code, title=str(exc.message))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug. Tell Django (error reporting; the test client re-raises it) and the log, and
        # answer with a problem document rather than an HTML page.
        got_request_exception.send(sender=None, request=request)
        logger.exception("API error on %s %s", request.method, request.path)
        return problem(
            api,
            request,
            status=500,
            code="server_error",
            title=_("Something went wrong on our side. It has been logged; please try again."),
        )


def problem_json_response(
    request: HttpRequest, *, status: int, code: str, title: str
) -> HttpResponse:
    """A problem document outside ninja (405 answers from ninja's URL views)."""
    body = problem_body(request, status=status, code=code, title=title)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
