"""``onestop serve``: the production web server (gunicorn) for onestop.wsgi:application.

Every option has a flag and an environment variable; the flag wins. Put it behind a reverse
proxy that terminates TLS (see docs/deploy.md). Access and error logs go to stdout/stderr.
"""

from __future__ import annotations

import gc
import logging
import os
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from onestop.env import env_bool, env_int, env_list, env_str

logger = logging.getLogger(__name__)

DEFAULT_BIND = "127.0.0.1:8000"
MAX_DEFAULT_WORKERS = 8
# Recycling guards against slow memory growth; at 1,000 requests/s on 5 workers, 10,000 (plus up
# to half again) renews each worker about once a minute.
DEFAULT_MAX_REQUESTS = 10_000


def default_workers(cpu_count: int | None = None) -> int:
    """gunicorn's rule of thumb, 2 x cores + 1, capped so a big machine is not flooded."""
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(1, min(2 * cores + 1, MAX_DEFAULT_WORKERS))


def build_options(
    *,
    bind: list[str] | None = None,
    workers: int | None = None,
    threads: int | None = None,
    timeout: int | None = None,
    max_requests: int | None = None,
    forwarded_allow_ips: list[str] | None = None,
    control_socket: str | None = None,
    reload: bool = False,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The gunicorn settings for one run: flags first, then the environment, then defaults.

    Environment: ONESTOP_BIND (comma-separated), WEB_CONCURRENCY (workers), ONESTOP_THREADS,
    ONESTOP_TIMEOUT, ONESTOP_MAX_REQUESTS, FORWARDED_ALLOW_IPS (comma-separated),
    ONESTOP_ACCESS_LOG (0 turns gunicorn's access log off).
    """
    if not bind:
        bind = env_list("ONESTOP_BIND", [DEFAULT_BIND], environ=environ) or [DEFAULT_BIND]
    if workers is None:
        workers = env_int("WEB_CONCURRENCY", default_workers(), minimum=1, environ=environ)
    if threads is None:
        threads = env_int("ONESTOP_THREADS", 1, minimum=1, environ=environ)
    if timeout is None:
        timeout = env_int("ONESTOP_TIMEOUT", 30, minimum=1, environ=environ)
    if max_requests is None:
        max_requests = env_int(
            "ONESTOP_MAX_REQUESTS", DEFAULT_MAX_REQUESTS, minimum=0, environ=environ
        )
    if not forwarded_allow_ips:
        forwarded_allow_ips = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"], environ=environ)
    for value, flag in ((workers, "--workers"), (threads, "--threads"), (timeout, "--timeout")):
        if value < 1:
            raise CommandError(f"{flag} must be at least 1, got {value}")
    if max_requests < 0:
        raise CommandError(f"--max-requests must be 0 or more, got {max_requests}")
    options: dict[str, Any] = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": timeout,
        # Behind nginx the proxy keeps the client connection; a short keep-alive is enough.
        "keepalive": 5,
        "max_requests": max_requests,
        # Spread restarts so the workers do not recycle at once: under an even load they all
        # reach the limit within a second of each other, and a 10 % spread left the server
        # with no free worker for about a second (the API's slowest answers, issue 3).
        "max_requests_jitter": max_requests // 2,
        "forwarded_allow_ips": ",".join(forwarded_allow_ips),
        # Off (ONESTOP_ACCESS_LOG=0) where the reverse proxy logs every request already:
        # writing the line costs about 7 % of a small API request.
        "accesslog": "-" if env_bool("ONESTOP_ACCESS_LOG", True, environ=environ) else None,
        "errorlog": "-",
        "loglevel": env_str("LOG_LEVEL", "info", environ=environ).lower(),
        "proc_name": "onestop",
        "reload": reload,
        # Load the application once in the master and fork the workers from it: a recycled
        # worker (max_requests) then starts in milliseconds instead of importing Django, the URL
        # configuration and the API anew, which cost about a second of CPU and showed as the API's
        # slowest answers under load. Code reloading needs each worker to import the code itself.
        "preload_app": not reload,
        # gunicorn's runtime control socket defaults to one path per user, which two servers on
        # one machine would fight over: off unless a path is given.
        "control_socket_disable": not control_socket,
    }
    if control_socket:
        options["control_socket"] = control_socket
    return options


def _wsgi_application() -> Callable[..., Any]:
    from onestop.wsgi import application

    return application


def _loaded_application() -> Callable[..., Any]:
    """The WSGI application with its URL configuration (every view and the API) imported and
    the apps' warm-ups run (``onestop.core.warmup``).

    With preload_app this runs once in the master, before the workers are forked. A database
    connection the warm-ups opened is closed here: each worker opens its own.
    """
    from django.urls import get_resolver

    from onestop.core import warmup

    application = _wsgi_application()
    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration, views and API
    warmup.run_all()
    connections.close_all()
    # What was loaded lives as long as the process: keep it out of the collector's way, and
    # out of the pages that forked workers copy when the collector touches them.
    gc.freeze()
    logger.info("Application loaded in process %s; workers are forked from it.", os.getpid())
    return application


def gunicorn_application(options: dict[str, Any]) -> Any:
    """A gunicorn application configured with ``options`` (from ``build_options``).

    gunicorn is imported only here: importing it parses WEB_CONCURRENCY with a bare int(), so
    ``build_options`` must have checked the environment first and named any bad variable.
    """
    from gunicorn.app.base import BaseApplication

    class OneStopServer(BaseApplication):
        def __init__(self, opts: dict[str, Any]) -> None:
            self.opts = opts
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.opts.items():
                # Skip what this gunicorn does not know (the control socket came in 25.1).
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            # With preload_app this runs once in the master, before the workers are forked.
            return _loaded_application()

    return OneStopServer(options)


class Command(BaseCommand):
    help = "Run the OneStop web server (gunicorn) for production use."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            action="append",
            metavar="ADDRESS",
            help=f"host:port or unix:/path to listen on; repeatable (env ONESTOP_BIND, "
            f"default {DEFAULT_BIND})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="worker processes (env WEB_CONCURRENCY, default 2 x cores + 1, at most "
            f"{MAX_DEFAULT_WORKERS})",
        )
        parser.add_argument(
            "--threads", type=int, help="threads per worker (env ONESTOP_THREADS, default 1)"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            help="seconds before a silent worker is restarted (env ONESTOP_TIMEOUT, default 30)",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            help="restart a worker after this many requests, 0 = never "
            f"(env ONESTOP_MAX_REQUESTS, default {DEFAULT_MAX_REQUESTS})",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            help="comma-separated proxy addresses whose X-Forwarded-* headers are trusted "
            "(env FORWARDED_ALLOW_IPS, default 127.0.0.1,::1)",
        )
        parser.add_argument(
            "--control-socket",
            help="path of gunicorn's runtime control socket (off unless given)",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="restart workers when the code changes (development only)",
        )
        parser.add_argument(
            "--print-options",
            action="store_true",
            help="print the gunicorn settings and exit without serving",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        forwarded = opts.get("forwarded_allow_ips")
        options = build_options(
            bind=opts.get("bind"),
            workers=opts.get("workers"),
            threads=opts.get("threads"),
            timeout=opts.get("timeout"),
            max_requests=opts.get("max_requests"),
            forwarded_allow_ips=[ip.strip() for ip in forwarded.split(",")] if forwarded else None,
            control_socket=opts.get("control_socket"),
            reload=bool(opts.get("reload")),
        )
        if opts.get("print_options"):
            for key in sorted(options):
                self.stdout.write(f"{key} = {options[key]!r}")
            return
        self.run_server(options)

    def run_server(self, options: dict[str, Any]) -> None:
        # Workers are forked from this process: no database connection may cross the fork.
        connections.close_all()
        gunicorn_application(options).run()
