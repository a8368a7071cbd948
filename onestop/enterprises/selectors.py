"""Reads for enterprise accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from onestop.core.models import User
from onestop.enterprises.models import Enterprise


def enterprises_of(user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(memberships__user=user).order_by("name_zh")
