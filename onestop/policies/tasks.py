"""Background work of the policies domain: the matching run.

Scheduling: django-tasks has no clock of its own, so the nightly run schedules itself.
``match_policies(nightly=True)`` runs the matching and then enqueues its successor for the
next night (``NIGHTLY_HOUR`` local time) with ``run_after``; ``onestop match-policies
--schedule`` (run once at deployment, safe to repeat) starts the chain unless a nightly run is
already waiting. Publishing a policy enqueues a run for that policy alone (after commit).
The worker (``onestop worker``) executes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

NIGHTLY_HOUR = 2


def next_night(now: dt.datetime | None = None) -> dt.datetime:
    """The next ``NIGHTLY_HOUR``:00 in the site's time zone, after ``now``."""
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


@task()
def match_policies(*, policy_id: int | None = None, nightly: bool = False) -> dict[str, Any]:
    from onestop.policies.models import Policy
    from onestop.policies.services import policies_match_run

    policy = Policy.objects.filter(pk=policy_id).first() if policy_id is not None else None
    if policy_id is not None and policy is None:
        return {"skipped": "policy not found"}
    run = policies_match_run(actor=None, policy=policy)
    if nightly:
        schedule_nightly(force=True)
    return {"run": run.pk, "added": run.added, "removed": run.removed}


def nightly_pending() -> bool:
    """A nightly run is waiting in the database queue (django-tasks-db)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover (another backend)
        return False
    return DBTaskResult.objects.filter(
        task_path=match_policies.module_path,
        status="READY",
        args_kwargs__kwargs__nightly=True,
    ).exists()


def schedule_nightly(*, force: bool = False) -> bool:
    """Enqueue the next nightly run unless one is waiting; True if one was enqueued."""
    if not force and nightly_pending():
        return False
    match_policies.using(run_after=next_night()).enqueue(nightly=True)
    return True
