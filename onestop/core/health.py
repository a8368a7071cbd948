"""The health report behind /healthz: can we reach the database, and is the task queue moving?"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

# A queued task older than this with no worker picking it up means the worker is down.
STALE_AFTER = dt.timedelta(minutes=10)


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return {"status": "error", "vendor": connection.vendor, "error": type(exc).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _task_queue() -> dict[str, Any]:
    from django.conf import settings

    backend = str(settings.TASKS["default"]["BACKEND"])
    if not backend.startswith("django_tasks_db"):
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1]}
    try:
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status="READY")
        queued = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        failed = DBTaskResult.objects.filter(status="FAILED").count()
    except Exception as exc:
        return {"status": "error", "backend": "database", "error": type(exc).__name__}
    stale = oldest is not None and timezone.now() - oldest > STALE_AFTER
    return {
        "status": "stalled" if stale else "ok",
        "backend": "database",
        "queued": queued,
        "failed": failed,
        "oldest_queued_at": oldest.isoformat() if oldest else None,
    }


def health_report() -> dict[str, Any]:
    database = _database()
    tasks = _task_queue() if database["status"] == "ok" else {"status": "unknown"}
    # A stalled queue is reported but does not take the web process out of rotation.
    status = "ok" if database["status"] == "ok" and tasks["status"] != "error" else "error"
    return {"status": status, "database": database, "tasks": tasks}
