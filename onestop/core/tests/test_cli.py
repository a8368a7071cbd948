"""The `onestop` console script, `onestop serve` (gunicorn) and `onestop worker` (task worker)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from onestop.core.management.commands import serve, worker
from onestop.core.tasks import send_verification_email
from onestop.core.tests.test_settings import clean_env, onestop_command
from onestop.env import EnvError


def run_onestop(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return subprocess.run(
        [*onestop_command(), *args], env=env, capture_output=True, text=True, timeout=120
    )


# ----- the console script ----------------------------------------------------------------


def test_onestop_help_lists_the_project_commands(tmp_path):
    result = run_onestop(tmp_path, "help")
    assert result.returncode == 0, result.stderr
    for command in ("serve", "worker", "load_demo", "migrate", "db_worker"):
        assert command in result.stdout


def test_onestop_check_passes(tmp_path):
    result = run_onestop(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_hyphenated_command_names_work(tmp_path):
    result = run_onestop(tmp_path, "load-demo", "--help")
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout


def test_python_dash_m_onestop_works(tmp_path):
    env = clean_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "onestop", "help", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--workers" in result.stdout


# ----- onestop serve: options ----------------------------------------------------------


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (3, 7), (64, 8)])
def test_default_workers_is_two_per_core_plus_one_capped(cores, workers):
    assert serve.default_workers(cores) == workers


def test_serve_defaults():
    options = serve.build_options(environ={})
    assert options["bind"] == ["127.0.0.1:8000"]
    assert options["workers"] == serve.default_workers()
    assert options["threads"] == 1
    assert options["timeout"] == 30
    assert options["accesslog"] == "-"
    assert options["errorlog"] == "-"
    assert options["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert options["control_socket_disable"] is True
    assert options["reload"] is False
    # Workers fork from a loaded application and recycle at different times.
    assert options["preload_app"] is True
    assert options["max_requests"] == serve.DEFAULT_MAX_REQUESTS == 10_000
    assert options["max_requests_jitter"] == 5_000


def test_serve_access_log_can_be_turned_off():
    assert serve.build_options(environ={"ONESTOP_ACCESS_LOG": "0"})["accesslog"] is None
    assert serve.build_options(environ={"ONESTOP_ACCESS_LOG": "1"})["accesslog"] == "-"
    with pytest.raises(EnvError, match="ONESTOP_ACCESS_LOG"):
        serve.build_options(environ={"ONESTOP_ACCESS_LOG": "sometimes"})


def test_serve_with_code_reloading_does_not_preload():
    options = serve.build_options(reload=True, environ={})
    assert options["reload"] is True
    assert options["preload_app"] is False


def test_loading_the_application_runs_the_warm_ups_and_closes_connections(monkeypatch):
    from onestop.core import warmup

    calls: list[str] = []

    def run_all() -> list[str]:
        calls.append("warm")
        return []

    monkeypatch.setattr(warmup, "run_all", run_all)
    monkeypatch.setattr(serve.connections, "close_all", lambda: calls.append("close"))
    monkeypatch.setattr(serve.gc, "freeze", lambda: calls.append("freeze"))
    from onestop.wsgi import application

    assert serve._loaded_application() is application
    assert calls == ["warm", "close", "freeze"]


def test_serve_reads_the_environment():
    options = serve.build_options(
        environ={
            "ONESTOP_BIND": "0.0.0.0:9000, unix:/run/onestop.sock",
            "WEB_CONCURRENCY": "3",
            "ONESTOP_THREADS": "4",
            "ONESTOP_TIMEOUT": "60",
            "ONESTOP_MAX_REQUESTS": "0",
            "FORWARDED_ALLOW_IPS": "10.0.0.5",
            "LOG_LEVEL": "WARNING",
        }
    )
    assert options["bind"] == ["0.0.0.0:9000", "unix:/run/onestop.sock"]
    assert options["workers"] == 3
    assert options["threads"] == 4
    assert options["timeout"] == options["graceful_timeout"] == 60
    assert options["max_requests"] == options["max_requests_jitter"] == 0
    assert options["forwarded_allow_ips"] == "10.0.0.5"
    assert options["loglevel"] == "warning"


def test_serve_flags_win_over_the_environment():
    options = serve.build_options(
        bind=["127.0.0.1:9999"],
        workers=1,
        timeout=5,
        control_socket="/tmp/onestop.ctl",
        environ={"ONESTOP_BIND": "0.0.0.0:80", "WEB_CONCURRENCY": "9", "ONESTOP_TIMEOUT": "90"},
    )
    assert options["bind"] == ["127.0.0.1:9999"]
    assert options["workers"] == 1
    assert options["timeout"] == 5
    assert options["control_socket_disable"] is False
    assert options["control_socket"] == "/tmp/onestop.ctl"


def test_serve_bad_environment_names_the_variable():
    with pytest.raises(EnvError, match="WEB_CONCURRENCY: must be a whole number"):
        serve.build_options(environ={"WEB_CONCURRENCY": "lots"})
    with pytest.raises(EnvError, match="ONESTOP_TIMEOUT: must be at least 1"):
        serve.build_options(environ={"ONESTOP_TIMEOUT": "0"})


def test_serve_rejects_nonsense_flags():
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        serve.build_options(workers=0, environ={})


def test_serve_command_passes_flags_to_gunicorn(monkeypatch):
    seen: dict[str, Any] = {}
    monkeypatch.setattr(serve.Command, "run_server", lambda self, options: seen.update(options))
    call_command("serve", "--bind", "127.0.0.1:8123", "--workers", "2", "--timeout", "12")
    assert seen["bind"] == ["127.0.0.1:8123"]
    assert seen["workers"] == 2
    assert seen["timeout"] == 12


def test_serve_print_options(capsys):
    call_command("serve", "--workers", "3", "--print-options")
    out = capsys.readouterr().out
    assert "workers = 3" in out
    assert "accesslog = '-'" in out


def test_gunicorn_application_takes_the_options():
    app = serve.gunicorn_application(serve.build_options(bind=["127.0.0.1:8124"], workers=2))
    assert app.cfg.bind == ["127.0.0.1:8124"]
    assert app.cfg.workers == 2
    assert app.cfg.accesslog == "-"
    assert app.cfg.proc_name == "onestop"
    from onestop.wsgi import application

    assert app.load() is application


# ----- onestop worker ----------------------------------------------------------------------


def test_worker_defaults():
    options = worker.build_worker_options(environ={})
    assert options["queue_name"] == "*"
    assert options["interval"] == 1.0
    assert options["batch"] is False
    assert options["startup_delay"] is True
    assert options["reload"] is False
    assert options["backend_name"] == "default"
    assert 0 < len(options["worker_id"]) <= 64


def test_worker_environment_and_flags():
    env = {"ONESTOP_WORKER_QUEUES": "default,emails", "ONESTOP_WORKER_INTERVAL": "2.5"}
    options = worker.build_worker_options(environ=env)
    assert options["queue_name"] == "default,emails"
    assert options["interval"] == 2.5
    options = worker.build_worker_options(queue_name="default", interval=0.5, environ=env)
    assert (options["queue_name"], options["interval"]) == ("default", 0.5)


def test_worker_batch_has_no_startup_delay_and_no_reload():
    options = worker.build_worker_options(batch=True, reload=True, max_tasks=5, environ={})
    assert options["batch"] is True
    assert options["startup_delay"] is False
    assert options["reload"] is False
    assert options["max_tasks"] == 5


def test_worker_bad_values():
    with pytest.raises(EnvError, match="ONESTOP_WORKER_INTERVAL: must be a number"):
        worker.build_worker_options(environ={"ONESTOP_WORKER_INTERVAL": "often"})
    with pytest.raises(CommandError, match="exclude-queues"):
        worker.build_worker_options(queue_name="default", exclude_queues="x", environ={})
    with pytest.raises(CommandError, match="max-tasks"):
        worker.build_worker_options(max_tasks=0, environ={})
    with pytest.raises(CommandError, match="worker-id"):
        worker.build_worker_options(worker_id="x" * 65, environ={})


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_worker_command_hands_options_to_db_worker(monkeypatch, database_tasks):
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(worker, "call_command", lambda name, **kw: calls.append((name, kw)))
    call_command("worker", "--queue-name", "default", "--interval", "3", "--max-tasks", "7")
    [(name, kwargs)] = calls
    assert name == "db_worker"
    assert kwargs["queue_name"] == "default"
    assert kwargs["interval"] == 3.0
    assert kwargs["max_tasks"] == 7


def test_worker_refuses_a_backend_that_needs_no_worker():
    # The suite's default backend runs tasks immediately.
    with pytest.raises(CommandError, match="not the database backend"):
        call_command("worker", "--batch")


@pytest.mark.django_db
def test_worker_batch_runs_queued_tasks(database_tasks, monkeypatch):
    # The worker drops connections between tasks, as after a request; inside the test's
    # transaction that would close it. (A transactional test instead would have to empty the
    # append-only audit log afterwards, which its triggers refuse.)
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    result = send_verification_email.enqueue(user_id=0)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
