"""Queueing background tasks so that none is lost and none runs for work that was undone.

A service queues its tasks from inside its transaction. With the database queue on the same
database as the data (the default, ``django_tasks_db``), the task's row is written in that
transaction: it commits with the data or disappears with it, and a process that dies right after
the commit cannot lose it. Any other backend (the immediate backend some tests use, a broker)
is called once the transaction commits, as ``transaction.on_commit`` would.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def queues_in_transaction(task: Task[Any, Any]) -> bool:
    """Whether ``task`` is queued as a row of the database the services write to."""
    backend = task.get_backend()
    return (
        isinstance(backend, DatabaseBackend)
        and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )


def enqueue_with_commit(task: Task[Any, Any], **kwargs: Any) -> None:
    """Queue ``task(**kwargs)`` to run once the current transaction has committed."""
    if queues_in_transaction(task):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(functools.partial(task.enqueue, **kwargs))
