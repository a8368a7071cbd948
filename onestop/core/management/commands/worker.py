"""``onestop worker``: runs background tasks (emails, notifications, batch jobs).

A thin front for django-tasks-db's ``db_worker``: workers claim tasks from the database
(``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL), so any number of them can run on any
number of machines. Defaults come from the environment; flags win.
"""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from onestop.env import EnvError, env_str


def worker_id_default() -> str:
    """A readable, unique id: host name and process id (db_worker allows at most 64 chars)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


def build_worker_options(
    *,
    queue_name: str | None = None,
    exclude_queues: str | None = None,
    interval: float | None = None,
    batch: bool = False,
    max_tasks: int | None = None,
    backend: str | None = None,
    worker_id: str | None = None,
    startup_delay: bool = True,
    reload: bool = False,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``call_command("db_worker", ...)``.

    Environment: ONESTOP_WORKER_QUEUES (default ``*``, every queue), ONESTOP_WORKER_INTERVAL
    (seconds between polls of an empty queue, default 1).
    """
    if queue_name is None:
        queue_name = env_str("ONESTOP_WORKER_QUEUES", "*", environ=environ)
    if interval is None:
        raw = env_str("ONESTOP_WORKER_INTERVAL", "1", environ=environ)
        try:
            interval = float(raw)
        except ValueError:
            raise EnvError("ONESTOP_WORKER_INTERVAL", f"must be a number, got {raw!r}") from None
    if interval < 0:
        raise CommandError(f"--interval must be 0 or more, got {interval}")
    if max_tasks is not None and max_tasks < 1:
        raise CommandError(f"--max-tasks must be at least 1, got {max_tasks}")
    if exclude_queues and "*" not in queue_name.split(","):
        raise CommandError("--exclude-queues only works with --queue-name='*'")
    if worker_id is not None and not 0 < len(worker_id) <= 64:
        raise CommandError("--worker-id must be 1 to 64 characters")
    options: dict[str, Any] = {
        "queue_name": queue_name,
        "exclude_queues": exclude_queues or "",
        "interval": interval,
        "batch": batch,
        "max_tasks": max_tasks,
        "backend_name": backend or "default",
        "worker_id": worker_id or worker_id_default(),
        # The delay spreads many workers starting at once; pointless for a one-off batch.
        "startup_delay": startup_delay and not batch,
        "reload": reload and not batch,
    }
    return options


def check_database_backend(alias: str) -> None:
    """The worker only makes sense for a database task backend; say so plainly otherwise."""
    from django_tasks import task_backends
    from django_tasks.exceptions import InvalidTaskBackendError
    from django_tasks_db import DatabaseBackend

    try:
        backend = task_backends[alias]
    except InvalidTaskBackendError:
        raise CommandError(f"There is no task backend {alias!r} in settings.TASKS.") from None
    if not isinstance(backend, DatabaseBackend):
        raise CommandError(
            f"Task backend {alias!r} is {type(backend).__name__}, not the database backend: "
            "its tasks do not wait for a worker."
        )


class Command(BaseCommand):
    help = "Run a background task worker (claims tasks from the database)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name",
            help="queues to work on, comma-separated, '*' for all "
            "(env ONESTOP_WORKER_QUEUES, default '*')",
        )
        parser.add_argument(
            "--exclude-queues", help="queues to leave alone, comma-separated (with '*' only)"
        )
        parser.add_argument(
            "--interval",
            type=float,
            help="seconds to wait when the queue is empty (env ONESTOP_WORKER_INTERVAL, default 1)",
        )
        parser.add_argument(
            "--batch", action="store_true", help="run every task that is due, then exit"
        )
        parser.add_argument("--max-tasks", type=int, help="exit after this many tasks")
        parser.add_argument("--backend", help="task backend alias (default 'default')")
        parser.add_argument(
            "--worker-id", help="unique id of this worker (default host name and process id)"
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="start polling at once",
        )
        parser.add_argument(
            "--reload", action="store_true", help="restart when the code changes (development)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        check_database_backend(opts.get("backend") or "default")
        options = build_worker_options(
            queue_name=opts.get("queue_name"),
            exclude_queues=opts.get("exclude_queues"),
            interval=opts.get("interval"),
            batch=bool(opts.get("batch")),
            max_tasks=opts.get("max_tasks"),
            backend=opts.get("backend"),
            worker_id=opts.get("worker_id"),
            startup_delay=opts.get("startup_delay", True),
            reload=bool(opts.get("reload")),
        )
        call_command("db_worker", verbosity=opts.get("verbosity", 1), **options)
