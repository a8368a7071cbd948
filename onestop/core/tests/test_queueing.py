"""Tasks queued from a service's transaction: with the database queue they commit or roll back
with the data; with any other backend they are sent once the transaction commits."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from onestop.core.queueing import enqueue_with_commit, queues_in_transaction
from onestop.core.tasks import send_verification_email

# Each test runs in the test's transaction, so the services' atomic blocks are savepoints: rolling
# one back discards its rows and its on-commit callbacks, as a real rollback would. (A
# transactional test could not flush the append-only audit log on PostgreSQL.)
pytestmark = pytest.mark.django_db

ran: list[int] = []


@task()
def remember(*, number: int) -> None:
    ran.append(number)


@pytest.fixture
def database_queue(settings):
    """The production backend (the suite runs tasks with the immediate one)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.usefixtures("database_queue")
def test_the_database_queue_writes_the_task_in_the_transaction():
    assert queues_in_transaction(send_verification_email)
    with transaction.atomic():
        enqueue_with_commit(send_verification_email, user_id=1)
        # Already written, in this transaction: nothing is left to do after the commit.
        assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"user_id": 1}


@pytest.mark.usefixtures("database_queue")
def test_a_rolled_back_transaction_takes_its_task_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_commit(send_verification_email, user_id=2)
        raise RuntimeError("the service failed after queueing")
    assert not DBTaskResult.objects.exists()


def test_another_backend_is_called_after_the_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ran.clear()
    assert not queues_in_transaction(remember)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue_with_commit(remember, number=3)
            assert ran == []  # not before the commit
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_with_commit(remember, number=4)
            raise RuntimeError("rolled back")
    assert ran == [3]
