"""Concurrency on PostgreSQL: the same Idempotency-Key sent at once by many clients creates one
application; two officers acting on one case at once: one wins, the other is told it changed.

These need a database with real row locks and concurrent connections, so they run on
PostgreSQL only (SQLite serialises every write on one file and has no SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from onestop.applications.models import Application, Case, CaseEvent, CaseState
from onestop.applications.services import (
    application_apply,
    case_accept,
    case_return,
)
from onestop.applications.tests.helpers import MINI_ANSWERS, mini_catalogue, mini_documents
from onestop.conftest import build_cast
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks and concurrent connections); run with DATABASE_URL",
    ),
]


def _race(workers: list[Callable[[], Any]]) -> list[Any]:
    """Run the workers in threads released together; results or exceptions, in order."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(index: int, work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_submissions_with_one_key_create_one_application(transactional_db: None) -> None:
    cast = build_cast()
    mini = mini_catalogue(cast.agency_a, cast.agency_b)
    documents = mini_documents(cast.owner, cast.enterprise_a)

    def submit() -> int:
        return application_apply(
            actor=cast.owner,
            journey=mini.journey,
            answers=dict(MINI_ANSWERS),
            documents=documents,
            enterprise=cast.enterprise_a,
            idempotency_key="same-key",
        ).pk

    results = _race([submit] * 8)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert Application.objects.count() == 1
    assert Case.objects.count() == 2
    assert AuditEntry.objects.filter(action="application.submit").count() == 1
    # different keys: one application each
    results = _race(
        [
            lambda k=k: (
                application_apply(  # type: ignore[misc]
                    actor=cast.owner,
                    journey=mini.journey,
                    answers=dict(MINI_ANSWERS),
                    documents=documents,
                    idempotency_key=f"key-{k}",
                ).pk
            )
            for k in range(4)
        ]
    )
    assert len(set(results)) == 4 and Application.objects.count() == 5


def test_two_officers_at_once_one_wins_the_other_is_told(transactional_db: None) -> None:
    cast = build_cast()
    mini = mini_catalogue(cast.agency_a, cast.agency_b)
    application = application_apply(
        actor=cast.owner,
        journey=mini.journey,
        answers=dict(MINI_ANSWERS),
        documents=mini_documents(cast.owner, cast.enterprise_a),
    )
    case = Case.objects.get(application=application, service=mini.registration)
    second = type(cast.officer_a).objects.create_user(
        "officer-a2@example.com",
        "x-very-long-password",
        display_name="a2",
        role="officer",
        agency=cast.agency_a,
        officer_level="clerk",
    )
    results = _race(
        [
            lambda: case_accept(actor=cast.officer_a, case=case, version=1).state,
            lambda: (
                case_return(
                    actor=second, case=case, version=1, correction_request="Sign the lease."
                ).state
            ),
        ]
    )
    wins = [r for r in results if isinstance(r, str)]
    losses = [r for r in results if isinstance(r, DomainError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert losses[0].code == "case_changed" and losses[0].status == 409
    case.refresh_from_db()
    assert case.version == 2 and case.state in (CaseState.ACCEPTED, CaseState.RETURNED)
    assert case.state == wins[0]
    # exactly one transition was recorded
    assert CaseEvent.objects.filter(case=case).exclude(action="submitted").count() == 1
    assert (
        AuditEntry.objects.filter(object_type="applications.case", object_id=str(case.pk)).count()
        == 1
    )


def test_database_connection_lost_mid_submission_leaves_nothing(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server side of the connection dies after the cases are written, before COMMIT
    (as in a database restart): no application, case, clock or audit row survives."""
    from django.db import OperationalError

    from onestop.applications.models import CaseEvent
    from onestop.core.models import LegalClock

    cast = build_cast()
    mini = mini_catalogue(cast.agency_a, cast.agency_b)
    documents = mini_documents(cast.owner, cast.enterprise_a)
    clocks_before = LegalClock.objects.count()
    audit_before = AuditEntry.objects.count()
    original = CaseEvent.objects.bulk_create

    def write_then_die(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return result

    monkeypatch.setattr(CaseEvent.objects, "bulk_create", write_then_die)
    with pytest.raises(OperationalError):
        application_apply(
            actor=cast.owner,
            journey=mini.journey,
            answers=dict(MINI_ANSWERS),
            documents=documents,
            idempotency_key="doomed",
        )
    connection.close()  # a new connection, as after a restart
    assert not Application.objects.exists()
    assert not Case.objects.exists()
    assert LegalClock.objects.count() == clocks_before
    assert AuditEntry.objects.count() == audit_before
