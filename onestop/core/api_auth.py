"""API authentication: the browser session (with CSRF) or a personal bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from onestop.core.services import api_token_authenticate

        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """Session auth that only accepts active users with a verified email."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "email_verified_at", None) is None:
            return None
        return user


def SessionOrToken() -> list[Any]:  # noqa: N802 - reads like a class at the call site
    return [ActiveSessionAuth(), TokenAuth()]
