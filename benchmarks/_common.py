"""What every benchmark script shares: Django on a throw-away SQLite database, percentiles, and
``onestop serve`` started on a free port.

The leading underscore keeps `make bench` from running this file as a benchmark.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_temporary_sqlite(directory: str) -> dict[str, str]:
    """Point Django at a new SQLite file in ``directory``, set it up and migrate.

    Returns the environment it set, for scripts that start a server process with it.
    """
    env = {
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
        "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
        "ONESTOP_VAR_DIR": directory,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return env


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.95 is the p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_concurrently(target: Callable[[int], object], count: int) -> float:
    """Run ``target(0) .. target(count - 1)`` in ``count`` threads at once; seconds taken."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """``onestop serve`` (gunicorn) on 127.0.0.1 with ``env``, once /healthz answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "onestop"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("onestop serve did not answer /healthz in time")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)
