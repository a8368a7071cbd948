"""Who may write support policies.

Policy officers are the agency officers (any level: clerk, reviewer, head) of the policy's
issuing agency, and city administrators (all policies). Officers see the matches of their
own agency's policies; an enterprise user sees only the matches of their own enterprises.
"""

from __future__ import annotations

from typing import Any

from onestop.core.permissions import is_city_admin
from onestop.core.roles import Role
from onestop.policies.models import Policy


def is_policy_officer(user: Any) -> bool:
    """May work on policies at all (some agency's officer, or a city administrator)."""
    if is_city_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER)
        and user.agency_id is not None
    )


def can_edit_policy(user: Any, policy: Policy) -> bool:
    if is_city_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER)
        and user.agency_id == policy.agency_id
    )


def can_issue_for(user: Any, agency_id: int) -> bool:
    """May create a policy issued by this agency."""
    if is_city_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER)
        and user.agency_id == agency_id
    )


def can_see_matches(user: Any, policy: Policy) -> bool:
    """All matches of a policy: its agency's officers and city administrators."""
    return can_edit_policy(user, policy)
