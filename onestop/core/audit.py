"""The one way to write an audit entry. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from onestop.core.models import AuditEntry, User


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, for the changes column."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Current values of ``fields`` on ``obj``, ready to compare with ``changed_fields``."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``.

    Must run inside the calling service's transaction.
    """
    actor_label = "" if actor is None else f"{actor.display_name} <{actor.email}>"
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label[:300],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        changes=_plain(dict(changes or {})),
        ip_address=ip_address,
    )
