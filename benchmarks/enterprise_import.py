"""Register import: `onestop import-enterprises FILE` with 1,000,000 rows from CSV.

1. Creates its own database (PostgreSQL ``bench_enterprise_import`` on 127.0.0.1:5432, or a
   temporary SQLite file with ``--database sqlite``), migrates it and loads the GB/T 4754-2017
   classification.
2. Writes a CSV of ``--rows`` synthetic enterprises (the register generator's distributions,
   Chinese headers, UTF-8), one row per enterprise with its 2020 figures; one row in a thousand
   is bad (a wrong check character, negative employees or an unknown industry).
3. Runs the import as the real command in a child process and measures its wall time and peak
   memory (maximum resident set size of the child, from getrusage).
4. Checks what landed (enterprises, year rows, size classes, the bad rows in the report) and
   drops the database.

Targets (issue 6): 1,000,000 rows under 60 s on PostgreSQL; memory under 1 GB.

    .venv/bin/python benchmarks/enterprise_import.py                 # PostgreSQL, 1,000,000 rows
    .venv/bin/python benchmarks/enterprise_import.py --rows 100000
    .venv/bin/python benchmarks/enterprise_import.py --database sqlite
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "bench_enterprise_import"
TARGET_SECONDS = 60.0
TARGET_MEMORY_MB = 1024.0
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "英文名称",
    "成立日期",
    "所属区",
    "行业代码",
    "投资类型",
    "注册资本(万元)",
    "标签",
    "联系人",
    "联系电话",
    "年度",
    "从业人员(人)",
    "营业收入(万元)",
    "资产总额(万元)",
]


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _setup(database: str, directory: str) -> dict[str, str]:
    if database == "postgresql":
        _pg(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _pg(f"CREATE DATABASE {PG_NAME}")
        url = f"{PG_SERVER}/{PG_NAME}"
    else:
        url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
    env = {
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
        "DATABASE_URL": url,
        "ONESTOP_VAR_DIR": directory,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    from onestop.enterprises.tests.factories import load_industry_classes

    load_industry_classes()
    return env


def _write_csv(path: Path, rows: int) -> int:
    """The benchmark file; returns how many rows are bad on purpose."""
    from onestop.enterprises.clean import industry_sections
    from onestop.enterprises.generate import synthetic_enterprises

    bad = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index, (record, years) in enumerate(
            synthetic_enterprises(rows, 99, industry_sections())
        ):
            figures = years[-1]
            code = record["credit_code"]
            employees = figures["employees"]
            industry = record["industry_code"]
            if index % 1000 == 999:
                bad += 1
                kind = (index // 1000) % 3
                if kind == 0:
                    code = code[:17] + ("0" if code[17] != "0" else "1")
                elif kind == 1:
                    employees = -employees
                else:
                    industry = "9999"
            writer.writerow(
                [
                    code,
                    record["name_zh"],
                    record["name_en"],
                    record["registered_on"].isoformat(),
                    record["district"],
                    industry,
                    record["ownership"],
                    record["registered_capital"],
                    record["tags"].strip(","),
                    record["contact_name"],
                    record["contact_phone"],
                    figures["year"],
                    employees,
                    figures["operating_revenue"],
                    figures["total_assets"],
                ]
            )
    return bad


def _run(database: str, rows: int) -> list[tuple[str, str, str, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-enterprise-") as directory:
        env = _setup(database, directory)
        path = Path(directory) / "register.csv"
        started = time.perf_counter()
        bad = _write_csv(path, rows)
        write_seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        report = Path(directory) / "errors.csv"
        command = [
            str(Path(sys.executable).parent / "onestop"),
            "import-enterprises",
            str(path),
            "--no-progress",
            "--report",
            str(report),
            "--skip-checks",
        ]
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        before = usage_before.ru_maxrss
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        completed = subprocess.run(
            command, env={**os.environ, **env}, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
        cpu_seconds = (usage.ru_utime + usage.ru_stime) - (
            usage_before.ru_utime + usage_before.ru_stime
        )
        load_after = os.getloadavg()[0]
        if completed.returncode != 0:
            print(completed.stdout, completed.stderr, file=sys.stderr)
            raise SystemExit(f"import failed with exit code {completed.returncode}")
        if before > peak_mb * 1024:
            print("warning: an earlier child used more memory; peak may be overstated")

        from django.db.models import Count

        from onestop.enterprises.models import Enterprise, EnterpriseYear

        enterprises = Enterprise.objects.count()
        years = EnterpriseYear.objects.count()
        sizes = dict(
            Enterprise.objects.values_list("size_class").annotate(n=Count("id")).order_by()
        )
        with report.open(encoding="utf-8-sig") as handle:
            reported = {line.split(",", 1)[0] for line in list(handle)[1:]}
        landed_ok = enterprises == years == rows - bad and len(reported) == bad
        from django.db import connections

        connections.close_all()
        if database == "postgresql":
            _pg(f"DROP DATABASE IF EXISTS {PG_NAME}")
    print(
        f"{database}: {rows:,} rows ({size_mb:.0f} MB CSV written in {write_seconds:.1f} s), "
        f"{bad:,} bad on purpose; landed {enterprises:,} enterprises, {years:,} year rows; "
        f"sizes {sizes}; {len(reported):,} bad rows in the report"
    )
    scale = f" ({rows:,} rows)" if rows != 1_000_000 else ""
    return [
        (
            f"import wall time, {database}{scale}",
            f"{seconds:.1f} s",
            f"< {TARGET_SECONDS:.0f} s" if database == "postgresql" else "-",
            ("pass" if seconds < TARGET_SECONDS else "FAIL") if database == "postgresql" else "-",
        ),
        (
            f"import rows a second, {database}",
            f"{rows / seconds:,.0f}",
            "-",
            "-",
        ),
        (
            f"import process CPU time (user+sys), {database}",
            f"{cpu_seconds:.1f} s",
            "-",
            "-",
        ),
        (
            "machine load average (1 min) before / after",
            f"{load_before:.1f} / {load_after:.1f}",
            "-",
            "-",
        ),
        (
            f"import peak memory (RSS), {database}",
            f"{peak_mb:.0f} MB",
            f"< {TARGET_MEMORY_MB:.0f} MB",
            "pass" if peak_mb < TARGET_MEMORY_MB else "FAIL",
        ),
        (
            f"rows landed / bad rows reported, {database}",
            f"{enterprises:,} / {len(reported):,}",
            f"{rows - bad:,} / {bad:,}",
            "pass" if landed_ok else "FAIL",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    options = parser.parse_args()
    rows = _run(options.database, options.rows)
    print("Enterprise register import benchmark")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; database: {options.database}; one run of "
        f"`onestop import-enterprises` on {options.rows:,} CSV rows"
    )
    print(f"{'measure':48} {'figure':>16}  {'target':>16}  result")
    for measure, figure, target, result in rows:
        print(f"{measure:48} {figure:>16}  {target:>16}  {result}")


if __name__ == "__main__":
    main()
