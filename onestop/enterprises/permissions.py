"""Who may see and change the SME register.

- An enterprise's members see their own register record.
- Officers (any agency, any level) and data stewards read the whole register: they work on
  support policies and applications, which need enterprises' size, industry and figures. These
  are the "authorised officers" of the issue; investors and other enterprises' members are not.
- Data stewards and city administrators change the register (imports, edits): the register is
  data the agencies send in, not something a case officer edits.
"""

from __future__ import annotations

from typing import Any

from onestop.core.permissions import is_city_admin
from onestop.core.roles import Role


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_read_register(user: Any) -> bool:
    """The whole register (list, search, any enterprise's record)."""
    if is_city_admin(user):
        return True
    return _signed_in(user) and user.has_role(Role.OFFICER, Role.DATA_STEWARD)


def can_view_register_record(user: Any, enterprise_id: int) -> bool:
    """One enterprise's register record: its members, and whoever reads the whole register."""
    if can_read_register(user):
        return True
    return _signed_in(user) and user.memberships.filter(enterprise_id=enterprise_id).exists()


def can_edit_register(user: Any) -> bool:
    """Import register files, change register records."""
    if is_city_admin(user):
        return True
    return _signed_in(user) and user.has_role(Role.DATA_STEWARD)
