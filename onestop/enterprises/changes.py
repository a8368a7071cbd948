"""Which register records changed since the matching run last looked (the change log).

Every write to an enterprise or its yearly figures leaves a ``RegisterChange`` row in the same
transaction: saves and deletes through the ORM by the signal receivers below (services, tests,
anything that calls ``save()``), bulk writes (``bulk.upsert_batch``) explicitly. A bulk write
of many records leaves one "everything" row (``enterprise_id`` NULL) instead of one row each,
so a million-row import costs one insert here, and the next refresh re-reads the whole
register. ``QuerySet.update()`` on these models bypasses both: the register's own code does
not use it; anyone who must calls ``record_everything()``.

The reader (``onestop.policies.matching.screen_refresh``) claims the rows it will take in
(``claim``), refreshes from them and deletes exactly those (``forget``), all in one
transaction: a change committed meanwhile stays unclaimed for the next run, never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save

from onestop.enterprises.models import Enterprise, EnterpriseYear, RegisterChange

# Above this many records a bulk write asks for a full re-read instead of one row each: the
# refresh of everything costs about as much as re-reading this many records one by one.
EVERYTHING_AFTER = 2_000


def record(enterprise_ids: Iterable[int]) -> None:
    ids = set(enterprise_ids)
    if len(ids) > EVERYTHING_AFTER:
        record_everything()
        return
    RegisterChange.objects.bulk_create([RegisterChange(enterprise_id=pk) for pk in ids])


def record_everything() -> None:
    """The whole register must be re-read (a bulk load, a repair, an upgrade)."""
    pending = RegisterChange.objects.filter(enterprise_id__isnull=True, claimed_by__isnull=True)
    if not pending.exists():  # one is enough (a rare duplicate from a race is harmless)
        RegisterChange.objects.create(enterprise_id=None)


@dataclass(frozen=True)
class Pending:
    """What the next matching run will take in from the register."""

    everything: bool  # a bulk write: the whole register is re-read
    enterprises: int  # else: how many enterprises changed

    def __bool__(self) -> bool:
        return self.everything or self.enterprises > 0


def pending() -> Pending:
    """The changes not yet taken into the screening table (readers of the table say so)."""
    rows = RegisterChange.objects.all()
    if rows.filter(enterprise_id__isnull=True).exists():
        return Pending(everything=True, enterprises=0)
    return Pending(everything=False, enterprises=rows.values("enterprise_id").distinct().count())


def claim(token: int) -> tuple[bool, Any]:
    """Claim every unclaimed change for ``token``: (everything?, a queryset of the claimed
    enterprise ids, for use as a subquery). Call inside the reader's transaction."""
    RegisterChange.objects.filter(claimed_by__isnull=True).update(claimed_by=token)
    claimed = RegisterChange.objects.filter(claimed_by=token)
    everything = claimed.filter(enterprise_id__isnull=True).exists()
    return everything, claimed.filter(enterprise_id__isnull=False).values("enterprise_id")


def forget(token: int) -> None:
    RegisterChange.objects.filter(claimed_by=token).delete()


def _enterprise_written(sender: Any, instance: Enterprise, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures: loaddata is followed by a full refresh anyway
        record_everything()
        return
    RegisterChange.objects.create(enterprise_id=instance.pk)


def _year_written(sender: Any, instance: EnterpriseYear, **kwargs: Any) -> None:
    RegisterChange.objects.create(enterprise_id=instance.enterprise_id)


def connect() -> None:
    """Called once from the app config's ``ready``."""
    post_save.connect(_enterprise_written, sender=Enterprise, dispatch_uid="register-change-e")
    post_delete.connect(_enterprise_written, sender=Enterprise, dispatch_uid="register-change-ed")
    post_save.connect(_year_written, sender=EnterpriseYear, dispatch_uid="register-change-y")
    post_delete.connect(_year_written, sender=EnterpriseYear, dispatch_uid="register-change-yd")
