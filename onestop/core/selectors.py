"""Reads of the core domain. Permission filtering happens here, so every caller gets it."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from onestop.core.models import Agency, ApiToken, AuditEntry, Notification, User


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def agencies() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent").order_by("code")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def audit_entries(
    *,
    actor_email: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries matching the filters, newest first. Callers check ``can_view_audit_log``."""
    entries = AuditEntry.objects.all()
    if actor_email:
        entries = entries.filter(actor_label__icontains=actor_email)
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-id")


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by().values_list("action", flat=True).distinct())


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
