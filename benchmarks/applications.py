"""Applications on PostgreSQL: submissions end to end over HTTP, and the officer queue.

Creates its own PostgreSQL database (``bench_applications`` by default, dropped at the end),
migrates it, then:

1. builds five agencies with one service each and a journey needing all five (so every
   submission fans out to five cases, each with its legal clock), CLIENTS applicant accounts
   (each with an enterprise, an API token and its three documents uploaded once: "submit
   once");
2. starts ``onestop serve`` (gunicorn) on 127.0.0.1 and sends SUBMISSIONS requests
   ``POST /api/v1/applications`` (documents by id, submit=true, a fresh Idempotency-Key each)
   from CLIENTS concurrent clients; then resends RESEND of them with their original keys, all
   at once; then counts rows: every 201 must be one application with five cases, no key may
   appear twice, every resend must answer 200 with the first reference;
3. bulk-creates QUEUE_CASES cases (spread over the five agencies, most states, due dates
   over a year, some assigned), ANALYZEs, and measures the officer queue of one agency: the
   selector in-process and ``GET /api/v1/cases`` over HTTP, each with the default view and
   its filters (state, overdue, assigned to me, a later page).

Targets (issue 5): at least 100 applications/s, zero lost or duplicated; queue p95 < 200 ms.

The clients run on the same machine as the server and the database. The script also reads
the CPU time the server used (gunicorn's processes and the PostgreSQL backends serving the
database, from /proc) and prints CPU per submission and the rate that allows on idle cores,
so a run on a busy or shared machine still says what the code costs.

    .venv/bin/python benchmarks/applications.py [--submissions 2000] [--queue-cases 100000]
    (PostgreSQL at $BENCH_PG, default postgres://postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid
from typing import Any

from _applications_world import (
    SERVICES,
    Client,
    admin_sql,
    build_world,
    cpu_seconds,
    server_pids,
    setup_django,
)
from _common import percentile, run_concurrently, start_server, stop_server

TARGET_RATE = 100.0
TARGET_QUEUE_P95_MS = 200.0


def _submit_body(world: dict[str, Any], applicant: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "journey": world["journey"].code,
            "answers": {"employs_staff": True},
            "documents": applicant["documents"],
            "submit": True,
        }
    ).encode()


def submissions(world: dict[str, Any], port: int, total: int, resend: int) -> dict[str, Any]:
    applicants = world["applicants"]
    clients = len(applicants)
    sent: list[tuple[int, str, int, str]] = []  # (client, key, status, reference)
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def run(index: int) -> None:
        applicant = applicants[index]
        client = Client(port)
        body = _submit_body(world, applicant)
        mine, times = [], []
        for _ in range(per_client[index]):
            key = uuid.uuid4().hex
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {applicant['token']}",
                "Idempotency-Key": key,
            }
            start = time.perf_counter()
            try:
                status, data = client.send("POST", "/api/v1/applications", body, headers)
                reference = json.loads(data).get("reference", "") if status < 300 else ""
            except OSError:
                status, reference = 0, ""
            times.append((time.perf_counter() - start) * 1000)
            mine.append((index, key, status, reference))
        with lock:
            sent.extend(mine)
            latencies.extend(times)

    elapsed = run_concurrently(run, clients)

    # Resend a sample with the original keys, all clients at once.
    ok = [s for s in sent if s[2] == 201]
    sample = random.Random(5).sample(ok, min(resend, len(ok)))
    replays: list[tuple[str, int, str]] = []

    def replay(chunk: list[tuple[int, str, int, str]]) -> None:
        conns: dict[int, Client] = {}
        found = []
        for index, key, _status, reference in chunk:
            client = conns.setdefault(index, Client(port))
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {applicants[index]['token']}",
                "Idempotency-Key": key,
            }
            status, data = client.send(
                "POST", "/api/v1/applications", _submit_body(world, applicants[index]), headers
            )
            found.append((reference, status, json.loads(data).get("reference", "")))
        with lock:
            replays.extend(found)

    chunks = [sample[i::clients] for i in range(clients)]
    threads = [threading.Thread(target=replay, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "sent": sent,
        "latencies": latencies,
        "elapsed": elapsed,
        "replays": replays,
    }


def count_rows(result: dict[str, Any]) -> dict[str, int]:
    from django.db.models import Count

    from onestop.applications.models import Application, Case

    created = [s for s in result["sent"] if s[2] == 201]
    references = {s[3] for s in created}
    apps = Application.objects.filter(journey__code="bench-journey")
    duplicated_keys = (
        apps.values("applicant_user", "idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    in_db = set(apps.values_list("reference", flat=True))
    cases_per_app = (
        Case.objects.filter(application__in=apps).values("application").annotate(n=Count("id"))
    )
    return {
        "requests": len(result["sent"]),
        "created (201)": len(created),
        "failed": len(result["sent"]) - len(created),
        "applications in the database": apps.count(),
        "cases in the database": Case.objects.filter(application__in=apps).count(),
        "lost (201 without a row)": len(references - in_db),
        "extra rows (no 201)": len(in_db - references),
        "duplicate keys": duplicated_keys,
        "applications without 5 cases": sum(1 for row in cases_per_app if row["n"] != SERVICES),
        "resent": len(result["replays"]),
        "resend answered 200 with the first reference": sum(
            1 for first, status, again in result["replays"] if status == 200 and first == again
        ),
    }


def bulk_cases(world: dict[str, Any], total: int) -> float:
    """QUEUE_CASES cases over the five agencies (through applications of 5 cases each)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from onestop.applications.models import Application, Case, CaseState

    start = time.perf_counter()
    rng = random.Random(7)
    today = timezone.localdate()
    states = [
        CaseState.SUBMITTED,
        CaseState.ACCEPTED,
        CaseState.UNDER_REVIEW,
        CaseState.RETURNED,
        CaseState.APPROVED,
        CaseState.CERTIFICATE_ISSUED,
        CaseState.WAITING,
    ]
    applicants = world["applicants"]
    services = world["services"]
    officer = world["officer"]
    batch = 2000
    made = 0
    while made < total:
        apps = [
            Application(
                reference=f"BENCH-{made + i:08d}",
                applicant_user=applicants[(made + i) % len(applicants)]["user"],
                journey=world["journey"],
                status="in_progress",
                submitted_at=timezone.now(),
            )
            for i in range(batch // SERVICES)
        ]
        Application.objects.bulk_create(apps)
        cases = []
        for app in apps:
            for n, service in enumerate(services):
                state = rng.choice(states)
                cases.append(
                    Case(
                        application=app,
                        service=service,
                        agency_id=service.agency_id,
                        state=state,
                        due_on=None
                        if state == CaseState.WAITING
                        else today + dt.timedelta(days=rng.randint(-60, 300)),
                        assignee=officer if n == 0 and rng.random() < 0.1 else None,
                    )
                )
        Case.objects.bulk_create(cases)
        made += len(cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_case")
        cursor.execute("ANALYZE applications_application")
    return time.perf_counter() - start


QUEUE_VIEWS: list[tuple[str, dict[str, Any]]] = [
    ("default", {}),
    ("state=accepted", {"state": "accepted"}),
    ("overdue", {"overdue": True}),
    ("assignee=me", {"assignee": "me"}),
    ("assignee=none", {"assignee": "none"}),
    ("page 20", {"page": 20}),
]


def queue_in_process(world: dict[str, Any], rounds: int) -> dict[str, list[float]]:
    from onestop.applications.selectors import officer_queue

    found: dict[str, list[float]] = {}
    for name, params in QUEUE_VIEWS:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            page = officer_queue(world["officer"], **params)
            len(page.rows)
            times.append((time.perf_counter() - start) * 1000)
        found[name] = times
    return found


def queue_http(world: dict[str, Any], port: int, rounds: int) -> list[float]:
    client = Client(port)
    headers = {"Authorization": f"Bearer {world['officer_token']}"}
    times = []
    for n in range(rounds):
        _name, params = QUEUE_VIEWS[n % len(QUEUE_VIEWS)]
        query = "&".join(f"{k}={str(v).lower()}" for k, v in params.items())
        start = time.perf_counter()
        status, _data = client.send("GET", f"/api/v1/cases?{query}", None, headers)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"GET /api/v1/cases?{query} answered {status}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--resend", type=int, default=200)
    parser.add_argument("--queue-cases", type=int, default=100_000)
    parser.add_argument("--queue-rounds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: default)")
    parser.add_argument("--database", default="bench_applications")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    workers = args.workers or max(2, min(2 * (os.cpu_count() or 1) + 1, 8))
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="onestop-bench-") as directory:
            env = setup_django(base, args.database, directory)
            world = build_world(args.clients)
            from django.db import connection

            server, port = start_server(env, workers)
            # Warm every worker (imports, plan rules, connections).
            warm = Client(port)
            for _ in range(workers * 6):
                warm.send(
                    "GET",
                    "/api/v1/cases",
                    None,
                    {"Authorization": f"Bearer {world['officer_token']}"},
                )
            pids = server_pids(server.pid, args.database)
            cpu_before = cpu_seconds(pids)
            result = submissions(world, port, args.submissions, args.resend)
            server_cpu = cpu_seconds(pids) - cpu_before
            counts = count_rows(result)
            seconds = bulk_cases(world, args.queue_cases)
            from onestop.applications.models import Case

            total_cases = Case.objects.count()
            agency_cases = Case.objects.filter(agency=world["agencies"][0]).count()
            in_process = queue_in_process(world, args.queue_rounds)
            over_http = queue_http(world, port, args.queue_rounds * len(QUEUE_VIEWS))
            version = connection.cursor().connection.info.server_version
            connection.close()
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            try:
                admin_sql(base, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            except Exception as error:  # report, do not hide the figures
                print(f"could not drop {args.database}: {error}")

    rate = counts["created (201)"] / result["elapsed"]
    requests = counts["requests"] + counts["resent"]
    cpu_ms = server_cpu * 1000 / max(requests, 1)
    cores = os.cpu_count() or 1
    lat = result["latencies"]
    all_queue = [t for times in in_process.values() for t in times]
    integrity = (
        counts["failed"] == 0
        and counts["lost (201 without a row)"] == 0
        and counts["extra rows (no 201)"] == 0
        and counts["duplicate keys"] == 0
        and counts["applications without 5 cases"] == 0
        and counts["resend answered 200 with the first reference"] == counts["resent"]
        and counts["cases in the database"] == SERVICES * counts["created (201)"]
    )
    rows = [
        ("submissions/s (201, end to end over HTTP)", f"{rate:.1f}", f">= {TARGET_RATE:.0f}",
         rate >= TARGET_RATE),
        ("submission latency median (ms)", f"{statistics.median(lat):.1f}", "", None),
        ("submission latency p95 (ms)", f"{percentile(lat, 0.95):.1f}", "", None),
        ("server CPU per submission, gunicorn + PostgreSQL (ms)", f"{cpu_ms:.1f}", "", None),
        (f"projected submissions/s on {cores} idle cores (CPU bound)",
         f"{cores * 1000 / cpu_ms:.0f}", "", None),
        ("lost / duplicated / failed", f"{counts['lost (201 without a row)']} / "
         f"{counts['duplicate keys'] + counts['extra rows (no 201)']} / {counts['failed']}",
         "0 / 0 / 0", integrity),
        ("queue p95, in-process, all views (ms)", f"{percentile(all_queue, 0.95):.1f}",
         f"< {TARGET_QUEUE_P95_MS:.0f}", percentile(all_queue, 0.95) < TARGET_QUEUE_P95_MS),
        ("queue p95, GET /api/v1/cases (ms)", f"{percentile(over_http, 0.95):.1f}",
         f"< {TARGET_QUEUE_P95_MS:.0f}", percentile(over_http, 0.95) < TARGET_QUEUE_P95_MS),
    ]  # fmt: skip
    for name, times in in_process.items():
        figure = f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f}"
        rows.append((f"  queue {name}: median / p95 (ms)", figure, "", None))
    print("Applications benchmark (PostgreSQL)")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL {version // 10000}.{version % 10000}; "
        f"gunicorn {workers} workers; {args.clients} clients; {counts['requests']} submissions "
        f"of {SERVICES} cases each in {result['elapsed']:.1f} s; {counts['resent']} resent with "
        f"their keys; queue: {total_cases} cases ({agency_cases} of the officer's agency, bulk "
        f"created in {seconds:.1f} s), {args.queue_rounds} rounds per view in-process, "
        f"{len(over_http)} HTTP requests"
    )
    print("counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"{'measure':52} {'figure':>16}  {'target':>8}  result")
    for name, figure, target, passed in rows:
        mark = "" if passed is None else ("pass" if passed else "FAIL")
        print(f"{name:52} {figure:>16}  {target:>8}  {mark}")
    return 0 if all(p for *_x, p in rows if p is not None) else 1


if __name__ == "__main__":
    raise SystemExit(main())
