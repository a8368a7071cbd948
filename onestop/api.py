"""The one NinjaAPI, mounted at /api/v1/. Each domain adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

from onestop.core.api_auth import SessionOrToken
from onestop.core.api_errors import install_problem_handlers

api = NinjaAPI(
    title="OneStop API",
    version="1",
    description=(
        "OneStop's JSON API. Sign in with the browser session or send a personal API token as "
        "`Authorization: Bearer <token>`. Errors are RFC 9457 problem+json documents with a "
        "stable `code`."
    ),
    urls_namespace="api",
    auth=SessionOrToken(),
)
install_problem_handlers(api)


def _add_routers() -> None:
    from onestop.core.api import router as core_router

    api.add_router("/", core_router)


_add_routers()
