"""API authentication: a personal bearer token, or the browser session (with CSRF).

The token is tried first. A request that carries no session cookie is never CSRF-checked (it
has no ambient credentials to abuse), so scripts using a token need no CSRF dance, while a
browser session must send the CSRF token on POST, PATCH and DELETE.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from onestop.core.errors import DomainError
from onestop.core.models import User
from onestop.core.permissions import NotAuthenticated


class CsrfFailed(DomainError):
    def __init__(self) -> None:
        super().__init__(
            code="csrf_failed",
            message=_(
                "The request came with your session but without a valid CSRF token. Reload the "
                "page, or send an API token instead."
            ),
            status=403,
        )


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from onestop.core.services import api_token_authenticate

        user = api_token_authenticate(raw=token.strip())
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The signed-in session user, if active with a verified email; CSRF-checked when unsafe."""

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = super().authenticate(request, key)
        if user is None or not user.is_active or user.email_verified_at is None:
            return None
        return user


def SessionOrToken() -> list[Any]:
    return [TokenAuth(), ActiveSessionAuth()]


def signed_in_user(request: HttpRequest) -> User:
    """The user the API authenticated for this request (routes with auth only)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotAuthenticated(_("Please sign in to continue."))
    return user
