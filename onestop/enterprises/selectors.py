"""Reads for enterprise accounts."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from onestop.core.models import User
from onestop.enterprises.models import Enterprise, EnterpriseYear, Membership


def _with_role_of(enterprises: QuerySet[Enterprise], user: User) -> QuerySet[Enterprise]:
    """Annotate ``my_role``: ``user``'s role in each enterprise (None when not a member)."""
    role = Membership.objects.filter(enterprise=OuterRef("pk"), user=user).values("role")[:1]
    return enterprises.annotate(my_role=Subquery(role))


def enterprises_of(user: User) -> QuerySet[Enterprise]:
    """The enterprises ``user`` is a member of, with ``my_role``."""
    return _with_role_of(
        Enterprise.objects.filter(memberships__user=user).order_by("name_zh"), user
    )


def enterprise_by_id(*, enterprise_id: int, user: User) -> Enterprise | None:
    """One enterprise with ``user``'s ``my_role``. Callers check ``can_view_enterprise``."""
    return _with_role_of(Enterprise.objects.filter(pk=enterprise_id), user).first()


def enterprise_latest_year(enterprise: Enterprise) -> EnterpriseYear | None:
    """The enterprise's most recent year of figures (None when it has none)."""
    return EnterpriseYear.objects.filter(enterprise=enterprise).order_by("-year").first()
