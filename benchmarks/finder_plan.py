"""Licence-finder plans through the API: median and p95 per demo journey.

Sets up Django against a temporary SQLite database, imports the demo catalogue (50 Beijing
procedures, 10 journeys), then POSTs /api/v1/journeys/{code}/plan ROUNDS times, cycling
through the journeys, with Django's test client (the full middleware, ninja and
serialisation path, in-process: no network server).

Target (issue 4): p95 under 50 ms for any demo journey.

    DJANGO_SETTINGS_MODULE=onestop.settings .venv/bin/python benchmarks/finder_plan.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from typing import Any

from _common import django_on_temporary_sqlite, percentile

ROUNDS = 1_000
TARGET_P95_MS = 50.0


def _answers(questions: list[dict[str, Any]]) -> dict[str, object]:
    defaults: dict[str, object] = {"bool": True, "number": 1_000_000, "percent": 100, "multi": []}
    answers = {
        str(q["key"]): q["choices"][0]["value"] if q["type"] == "choice" else defaults[q["type"]]
        for q in questions
    }
    if "chain_restaurant" in answers:  # a small restaurant cannot be part of a chain
        answers["chain_restaurant"] = False
    return answers


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="onestop-bench-") as directory:
        django_on_temporary_sqlite(directory)
        from django.test import Client

        from onestop.catalogue.importer import catalogue_import
        from onestop.catalogue.models import Journey

        catalogue_import(actor=None)
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        bodies = {
            j.code: json.dumps({"answers": _answers(j.questions)}) for j in Journey.objects.all()
        }
        codes = list(bodies)
        timings: dict[str, list[float]] = {code: [] for code in codes}
        for code in codes:  # warm up: jieba, templates, query compilation
            client.post(
                f"/api/v1/journeys/{code}/plan", bodies[code], content_type="application/json"
            )
        for i in range(ROUNDS):
            code = codes[i % len(codes)]
            start = time.perf_counter()
            response = client.post(
                f"/api/v1/journeys/{code}/plan", bodies[code], content_type="application/json"
            )
            timings[code].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content[:300]
        every = [t for values in timings.values() for t in values]
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, SQLite (temporary file)")  # fmt: skip
        print(f"{ROUNDS} plans through POST /api/v1/journeys/{{code}}/plan (test client)")
        for code, values in timings.items():
            print(f"  {code:32s} median {statistics.median(values):6.1f} ms  "
                  f"p95 {percentile(values, 0.95):6.1f} ms")  # fmt: skip
        p95 = percentile(every, 0.95)
        verdict = "OK" if p95 < TARGET_P95_MS else "TOO SLOW"
        print(f"all journeys: median {statistics.median(every):.1f} ms, p95 {p95:.1f} ms "
              f"(target < {TARGET_P95_MS:.0f} ms): {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
