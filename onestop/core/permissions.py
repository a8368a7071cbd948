"""Who may do what. Every page and API route calls one of these before doing anything.

The checks raise django's PermissionDenied (403 page, problem+json ``forbidden`` in the API);
an anonymous user gets a redirect to the login page or a 401 problem instead.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from onestop.core.models import Agency, User
from onestop.core.roles import OfficerLevel, Role


class NotAuthenticated(PermissionDenied):
    """The request carries no signed-in user."""


def require_authenticated(user: Any) -> User:
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(_("Please sign in to continue."))
    return user


def require_role(user: Any, *roles: str) -> User:
    signed_in = require_authenticated(user)
    if not signed_in.has_role(*roles):
        raise PermissionDenied(_("Your role does not allow this."))
    return signed_in


def is_city_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.CITY_ADMIN))


def can_view_audit_log(user: Any) -> bool:
    return is_city_admin(user)


def can_manage_agency(user: Any, agency: Agency) -> bool:
    """City administrators manage every agency; an agency head manages their own."""
    if is_city_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER)
        and user.agency_id == agency.pk
        and user.officer_level == OfficerLevel.HEAD
    )


def can_view_agency_records(user: Any, agency_id: int | None) -> bool:
    """Officers see their own agency's records only; city administrators see all."""
    if is_city_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER, Role.DATA_STEWARD)
        and agency_id is not None
        and user.agency_id == agency_id
    )


def can_view_enterprise(user: Any, enterprise_id: int) -> bool:
    """An enterprise's records are visible to its members and to city administrators."""
    if is_city_admin(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.memberships.filter(enterprise_id=enterprise_id).exists())


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to see or change this."))
