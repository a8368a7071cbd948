"""Reads for enterprise accounts and the SME register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from onestop.core.languages import in_language
from onestop.core.models import User

if TYPE_CHECKING:
    from onestop.access.models import IndustryClass
from onestop.enterprises.models import Enterprise, EnterpriseYear, ImportRun, Membership


def _with_role_of(enterprises: QuerySet[Enterprise], user: User) -> QuerySet[Enterprise]:
    """Annotate ``my_role``: ``user``'s role in each enterprise (None when not a member)."""
    role = Membership.objects.filter(enterprise=OuterRef("pk"), user=user).values("role")[:1]
    return enterprises.annotate(my_role=Subquery(role))


def enterprises_of(user: User) -> QuerySet[Enterprise]:
    """The enterprises ``user`` is a member of, with ``my_role``."""
    return _with_role_of(
        Enterprise.objects.filter(memberships__user=user).order_by("name_zh"), user
    )


def enterprises_for_user(user: User) -> QuerySet[Enterprise]:
    """The contract's name for ``enterprises_of``: the enterprises ``user`` is a member of."""
    return enterprises_of(user)


def enterprise_by_id(*, enterprise_id: int, user: User) -> Enterprise | None:
    """One enterprise with ``user``'s ``my_role``. Callers check ``can_view_enterprise``."""
    return _with_role_of(Enterprise.objects.filter(pk=enterprise_id), user).first()


def enterprise_latest_year(enterprise: Enterprise) -> EnterpriseYear | None:
    """The enterprise's most recent year of figures (None when it has none)."""
    return EnterpriseYear.objects.filter(enterprise=enterprise).order_by("-year").first()


def register_search(
    *, query: str = "", district: str = "", size_class: str = "", division: str = ""
) -> QuerySet[Enterprise]:
    """The register for officers: by name (Chinese or English) or credit code, and filters."""
    found = Enterprise.objects.all()
    query = query.strip()
    if query:
        code = query.upper()
        if len(code) >= 4 and code.isalnum() and code.isascii():
            found = found.filter(
                Q(credit_code__startswith=code)
                | Q(name_en__icontains=query)
                | Q(name_zh__contains=query)
            )
        else:
            found = found.filter(Q(name_zh__contains=query) | Q(name_en__icontains=query))
    if district:
        found = found.filter(district=district)
    if size_class:
        found = found.filter(size_class=size_class)
    if division:
        found = found.filter(industry_division=division)
    return found.order_by("name_zh", "pk")


def register_record(enterprise_id: int) -> Enterprise | None:
    return Enterprise.objects.filter(pk=enterprise_id).first()


def enterprise_years(enterprise: Enterprise) -> list[EnterpriseYear]:
    return list(EnterpriseYear.objects.filter(enterprise=enterprise).order_by("-year"))


def industry_class(code: str) -> IndustryClass | None:
    """The GB/T 4754-2017 class (for its names), None when blank or unknown."""
    from onestop.access.models import IndustryClass

    return IndustryClass.objects.filter(code=code).first() if code else None


def import_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("started_by").order_by("-created_at")


def import_message(run: ImportRun) -> str:
    """The run's outcome message in the reader's language (kept in each language)."""
    return in_language(run.message_texts, run.message)


def import_row_errors(run: ImportRun, *, limit: int = 200) -> list[dict[str, Any]]:
    """The first stored row errors, each message in the reader's language."""
    return [
        {**error, "message": in_language(error.get("messages"), error.get("message", ""))}
        for error in run.errors[:limit]
    ]
