"""/healthz: database reachable, task queue moving; JSON for load balancers and monitoring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onestop.core import health
from onestop.core.tasks import send_verification_email

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    """The production task backend (the suite's default is the immediate one)."""
    settings.TASKS = DATABASE_TASKS


def test_healthz_reports_database_and_tasks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == {"status": "ok", "vendor": connection.vendor}
    assert report["tasks"]["status"] == "ok"


def test_healthz_needs_no_sign_in_and_shows_no_secrets(client):
    body = client.get("/healthz").content.decode()
    assert "SECRET" not in body.upper()
    assert "password" not in body.lower()


def test_database_queue_with_a_fresh_task_is_ok(client, database_tasks):
    send_verification_email.enqueue(user_id=0)
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["status"] == "ok"
    assert tasks["backend"] == "database"
    assert tasks["queued"] == 1
    assert tasks["oldest_queued_at"] is not None


def test_task_waiting_more_than_ten_minutes_means_the_queue_is_stalled(client, database_tasks):
    result = send_verification_email.enqueue(user_id=0)
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=11)
    )
    response = client.get("/healthz")
    # A stalled worker is reported, but the web process stays in rotation.
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["tasks"]["status"] == "stalled"
    assert report["tasks"]["queued"] == 1


def test_task_waiting_nine_minutes_is_not_yet_stalled(client, database_tasks):
    result = send_verification_email.enqueue(user_id=0)
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=9)
    )
    assert client.get("/healthz").json()["tasks"]["status"] == "ok"


def test_unreachable_database_answers_503(client, monkeypatch):
    class Unreachable:
        vendor = connection.vendor

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error"
    assert report["database"] == {
        "status": "error",
        "vendor": connection.vendor,
        "error": "OperationalError",
    }
    assert report["tasks"] == {"status": "unknown"}
