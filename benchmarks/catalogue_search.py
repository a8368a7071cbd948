"""Catalogue search with 10,000 generated services: median and p95 through the API.

Sets up Django against a temporary SQLite database, imports the demo catalogue, then adds
generated services (bulk insert, benchmark data only: titles recombined from the demo's
words, with their search text) up to SERVICES, and GETs /api/v1/services?q=... ROUNDS times
with Django's test client, cycling through Chinese, English and pinyin queries.

Target (issue 4): p95 under 50 ms with 10,000 services.

    DJANGO_SETTINGS_MODULE=onestop.settings .venv/bin/python benchmarks/catalogue_search.py
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import tempfile
import time

from _common import django_on_temporary_sqlite, percentile

SERVICES = 10_000
ROUNDS = 1_000
TARGET_P95_MS = 50.0
QUERIES = ["食品经营许可", "餐饮 许可", "消防", "food licence", "registration", "shipin",
           "spjy", "xiaofang", "tax", "税务 登记", "travel agency", "zzz"]  # fmt: skip


def _generate(count: int) -> None:
    from django.db import transaction

    from onestop.catalogue.content import search_text
    from onestop.catalogue.models import PublicService, ServiceVersion

    demo = list(PublicService.objects.select_related("current", "agency"))
    rng = random.Random(4)
    with transaction.atomic():
        services = [
            PublicService(identifier=f"generated-{n}", agency=rng.choice(demo).agency)
            for n in range(count)
        ]
        PublicService.objects.bulk_create(services, batch_size=1000)
        generated = list(PublicService.objects.filter(identifier__startswith="generated-"))
        versions = []
        for n, service in enumerate(generated):
            a, b = rng.choice(demo).current, rng.choice(demo).current
            assert a is not None and b is not None
            title_zh = f"{a.title_zh[:6]}{b.title_zh[-6:]}{n}"
            title_en = f"{a.title_en.split(' (')[0]} / {b.title_en.split(' (')[0]} {n}"
            versions.append(
                ServiceVersion(service=service, number=1, valid_from=dt.date(2020, 1, 1),
                               title_zh=title_zh, title_en=title_en)
            )  # fmt: skip
            service.search_text = search_text(service.identifier, title_zh, title_en)
        ServiceVersion.objects.bulk_create(versions, batch_size=1000)
        for service, version in zip(generated, versions, strict=True):
            service.current = version
        PublicService.objects.bulk_update(generated, ["current", "search_text"], batch_size=1000)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="onestop-bench-") as directory:
        django_on_temporary_sqlite(directory)
        from django.test import Client

        from onestop.catalogue.importer import catalogue_import
        from onestop.catalogue.models import PublicService

        catalogue_import(actor=None)
        _generate(SERVICES - PublicService.objects.count())
        total = PublicService.objects.filter(current__isnull=False).count()
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        for query in QUERIES:  # warm up (jieba's dictionary loads on first use)
            client.get("/api/v1/services", {"q": query})
        timings: dict[str, list[float]] = {q: [] for q in QUERIES}
        for i in range(ROUNDS):
            query = QUERIES[i % len(QUERIES)]
            start = time.perf_counter()
            response = client.get("/api/v1/services", {"q": query})
            timings[query].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        every = [t for values in timings.values() for t in values]
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, SQLite (temporary file)")  # fmt: skip
        print(f"{total} services; {ROUNDS} searches through GET /api/v1/services?q= (first page)")
        for query, values in timings.items():
            print(f"  {query:16s} median {statistics.median(values):6.1f} ms  "
                  f"p95 {percentile(values, 0.95):6.1f} ms")  # fmt: skip
        p95 = percentile(every, 0.95)
        verdict = "OK" if p95 < TARGET_P95_MS else "TOO SLOW"
        print(f"all queries: median {statistics.median(every):.1f} ms, p95 {p95:.1f} ms "
              f"(target < {TARGET_P95_MS:.0f} ms): {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
