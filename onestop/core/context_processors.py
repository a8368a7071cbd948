from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from onestop.core import permissions


def platform(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: the unread count for the header and what the menu may show."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    unread = 0
    if signed_in:
        from onestop.core.selectors import unread_count

        unread = unread_count(user)  # type: ignore[arg-type]
    from onestop.enterprises.permissions import can_read_register

    return {
        "unread_notifications": unread,
        "can_view_audit_log": permissions.can_view_audit_log(user),
        "can_read_register": can_read_register(user),
    }
