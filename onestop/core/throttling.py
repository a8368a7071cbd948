"""Login throttling helpers for django-axes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def login_identifier(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The address a sign-in attempt is for, normalised like stored emails.

    Our login form posts the email as ``username``; without this, axes would look for an
    ``email`` key, record ``None`` and never lock the attacked account. Lower-casing stops
    ``Owner@`` and ``owner@`` from counting as two accounts.
    """
    source: Any = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") or source.get("email") or ""
    return str(value).strip().lower()
