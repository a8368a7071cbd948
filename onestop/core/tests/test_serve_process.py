"""``onestop serve`` as a real gunicorn process on a free port, against the test database."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from onestop.core.tests.test_settings import clean_env, onestop_command

# Booting takes 1-2 s alone; allow for a machine busy with the rest of the suite.
SERVE_DEADLINE = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    """The test database as a DATABASE_URL, so the server sees the migrated schema."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """TERM the whole process group (master and workers), then KILL what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _get_json(url: str) -> tuple[int, Any]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


@contextlib.contextmanager
def serving(tmp_path: Path, *flags: str) -> Iterator[tuple[str, list[str]]]:
    """Start ``onestop serve`` with ``flags``; yield its base URL and, once it has stopped, the
    lines of its log (filled in after the block)."""
    port = _free_port()
    env = clean_env(tmp_path, DATABASE_URL=_database_url())
    log = (tmp_path / "serve.log").open("w+")
    started = time.monotonic()
    process = subprocess.Popen(
        [*onestop_command(), "serve", "--bind", f"127.0.0.1:{port}", *flags],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: gunicorn's workers die with it
    )
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    try:
        while True:
            try:
                _get_json(f"{base}/healthz")
                break
            except OSError:  # refused while booting, or no answer yet
                assert process.poll() is None, "onestop serve exited early"
                assert time.monotonic() < started + SERVE_DEADLINE, (
                    f"no answer within {SERVE_DEADLINE} s"
                )
                time.sleep(0.2)
        yield base, lines
    finally:
        _stop(process)
        log.seek(0)
        lines.extend(log.read().splitlines())
        log.close()


@pytest.mark.serve
@pytest.mark.django_db
def test_onestop_serve_answers_healthz(tmp_path):
    with serving(tmp_path, "--workers", "1") as (base, log):
        status, report = _get_json(f"{base}/healthz")
        assert status == 200
        assert report["status"] == "ok"
        assert report["database"]["status"] == "ok"
    output = "\n".join(log)
    assert "Listening at: http://127.0.0.1:" in output
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log goes to stdout


@pytest.mark.serve
@pytest.mark.django_db
def test_recycled_workers_are_forked_from_the_loaded_application(tmp_path):
    """Workers restart every 5 requests; each new one is forked from the master, which loaded
    the application once, and still opens its own database connection."""
    with serving(tmp_path, "--workers", "2", "--max-requests", "5") as (base, log):
        answers = [_get_json(f"{base}/healthz") for _ in range(40)]
    assert all(status == 200 for status, _report in answers)
    assert all(report["database"]["status"] == "ok" for _status, report in answers)
    booted = [line for line in log if re.search(r"Booting worker with pid", line)]
    assert len(booted) > 4, "workers were not recycled:\n" + "\n".join(log)
    # gunicorn says so when a worker reaches max_requests.
    assert any("Autorestarting worker" in line for line in log), "\n".join(log)
    loaded = [line for line in log if "Application loaded in process" in line]
    assert len(loaded) == 1, "\n".join(log)
