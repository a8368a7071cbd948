"""Who may change the catalogue: an agency's officers edit their own agency's services;
city administrators edit all."""

from __future__ import annotations

from typing import Any

from onestop.catalogue.models import PublicService
from onestop.core.permissions import is_city_admin
from onestop.core.roles import Role


def can_edit_service(user: Any, service: PublicService) -> bool:
    if is_city_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER)
        and user.agency_id == service.agency_id
    )
