"""The one NinjaAPI, mounted at /api/v1/. Each domain adds its router here.

OpenAPI 3 at /api/v1/openapi.json, Swagger UI at /api/v1/docs. The docs page is ninja's own
template: its scripts and styles come from ninja's static files (served by us, no CDN) and its
settings travel in a ``<script type="application/json">`` data block read by a static script,
so it runs offline under our CSP (script-src 'self' + nonce, style-src 'self') with no exemption.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from onestop.core.api_auth import SessionOrToken
from onestop.core.api_errors import (
    PROBLEM_CONTENT_TYPE,
    install_problem_handlers,
    method_not_allowed_title,
    problem_json_response,
)
from onestop.core.api_render import ORJSONRenderer


def _problem_on_405(view: Callable[..., Any]) -> Callable[..., Any]:
    """ninja answers an unsupported method with a bare 405; make it a problem document."""

    @functools.wraps(view)  # keeps csrf_exempt: ninja does its own CSRF check
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            allow = response.get("Allow", "")
            response = problem_json_response(
                request, status=405, code="method_not_allowed", title=method_not_allowed_title()
            )
            response["Allow"] = allow
        return response

    return wrapper


class OneStopAPI(NinjaAPI):
    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _problem_on_405(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Declare error responses with their real media type, application/problem+json."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


api = OneStopAPI(
    title="OneStop API",
    version="1",
    description=(
        "OneStop's JSON API. Sign in with the browser session (send the CSRF token on POST, "
        "PATCH and DELETE) or send a personal API token as `Authorization: Bearer <token>`. "
        "Lists are paginated with `page` and `page_size`. Errors are RFC 9457 "
        "application/problem+json documents with a stable `code`; invalid input (422) lists "
        "each field in `errors`. Send `Accept-Language: en` for English messages (default: "
        "Simplified Chinese)."
    ),
    urls_namespace="api",
    auth=SessionOrToken(),
    renderer=ORJSONRenderer(),
    # No validator badge: it would call an outside service (and CSP would block the image).
    docs=Swagger(settings={"validatorUrl": None, "displayOperationId": True}),
)
install_problem_handlers(api)


def _add_routers() -> None:
    from onestop.access.api.industries import router as industries_router
    from onestop.access.api.negative_lists import router as access_router
    from onestop.applications.api import router as applications_router
    from onestop.catalogue.api import router as catalogue_router
    from onestop.core.api import router as core_router
    from onestop.enterprises.api import router as enterprises_router
    from onestop.policies.api import router as policies_router

    api.add_router("/", core_router)
    api.add_router("/enterprises", enterprises_router)
    api.add_router("/", catalogue_router)
    api.add_router("/industries", industries_router)
    api.add_router("/", access_router)
    api.add_router("/", policies_router)
    api.add_router("/", applications_router)


_add_routers()
