"""Bulk upsert of register records and yearly figures, for the importer and the generator.

``upsert_batch`` takes cleaned enterprises (by credit code) and year rows (by credit code and
year), computes each enterprise's size class from its latest year (the batch's figures merged
with those already in the database), and writes:

- on PostgreSQL: COPY into temporary tables, then ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``
  (credit code; enterprise and year) - a million rows in well under a minute;
- on SQLite: ``INSERT ... ON CONFLICT DO UPDATE`` through executemany;
- elsewhere: ``bulk_create(update_conflicts=True)`` on the same keys.

Callers run it inside a transaction per batch. It writes no audit rows: the import run (or the
generator's caller) records one.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from onestop.enterprises import changes
from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.enterprises.services import size_fields

# Register columns (besides credit_code) a caller may write; the size columns always are.
RECORD_COLUMNS = (
    "name_zh",
    "name_en",
    "registered_on",
    "district",
    "industry_code",
    "industry_division",
    "industry_section",
    "ownership",
    "registered_capital",
    "tags",
    "contact_name",
    "contact_phone",
    "contact_email",
)
SIZE_COLUMNS = ("size_class", "size_year", "size_basis")
FIGURE_COLUMNS = ("employees", "operating_revenue", "total_assets")
DEFAULTS: dict[str, Any] = {
    "name_en": "",
    "registered_on": None,
    "district": "",
    "industry_code": "",
    "industry_division": "",
    "industry_section": "",
    "ownership": "domestic",
    "registered_capital": None,
    "tags": "",
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
}


@dataclass
class Batch:
    """Cleaned rows of one batch. ``enterprises``: code -> column values (the last row of a
    code wins); ``years``: (code, year) -> figures."""

    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    years: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    sized: bool = False  # size columns already set (``size_batch``)
    # The enterprises as COPY rows (PostgreSQL), prepared ahead by ``prepare_rows``.
    rows: list[list[Any]] | None = None

    def add(self, record: dict[str, Any], figures: dict[str, Any] | None) -> None:
        code = record["credit_code"]
        self.enterprises[code] = record  # callers pass a fresh dict (not copied)
        if figures is not None:
            self.years[(code, figures["year"])] = figures

    def __len__(self) -> int:
        return len(self.enterprises)


def _has_figures(row: Mapping[str, Any]) -> bool:
    return any(row.get(k) is not None for k in FIGURE_COLUMNS)


def _stored_years(codes: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(credit code, figures) of the years already stored for these enterprises."""
    if connection.vendor == "postgresql":
        # One array parameter rather than thousands of placeholders.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.credit_code, y.year, y.employees, y.operating_revenue, "  # noqa: S608
                f"y.total_assets FROM {_YEAR_TABLE} y JOIN {_ENTERPRISE_TABLE} e "
                "ON e.id = y.enterprise_id WHERE e.credit_code = ANY(%s)",
                [codes],
            )
            for code, year, employees, revenue, assets in cursor.fetchall():
                yield (
                    code,
                    {
                        "year": year,
                        "employees": employees,
                        "operating_revenue": revenue,
                        "total_assets": assets,
                    },
                )
        return
    rows = EnterpriseYear.objects.filter(enterprise__credit_code__in=codes).values(
        "enterprise__credit_code", "year", *FIGURE_COLUMNS
    )
    for row in rows:
        yield row.pop("enterprise__credit_code"), row


def _sizes(batch: Batch, columns: Iterable[str], *, fresh: bool) -> None:
    """Set size_class/size_year/size_basis on every enterprise of the batch."""
    codes = list(batch.enterprises)
    latest: dict[str, dict[str, Any]] = {}
    industry: dict[str, str] = {}
    if not fresh:
        for code, row in _stored_years(codes):
            if (code, row["year"]) in batch.years or not _has_figures(row):
                continue  # the batch's figures for that year replace the stored ones
            if code not in latest or row["year"] > latest[code]["year"]:
                latest[code] = row
        if "industry_code" not in columns:
            industry = dict(
                Enterprise.objects.filter(credit_code__in=codes).values_list(
                    "credit_code", "industry_code"
                )
            )
    for (code, year), figures in batch.years.items():
        if not _has_figures(figures):
            continue
        if code not in latest or year > latest[code]["year"]:
            latest[code] = {"year": year, **figures}
    for code, record in batch.enterprises.items():
        industry_code = (
            record.get("industry_code", "")
            if "industry_code" in columns
            else industry.get(code, record.get("industry_code", ""))
        )
        record.update(size_fields(industry_code, latest.get(code)))


def _record_columns(columns: Iterable[str]) -> list[str]:
    result = [c for c in RECORD_COLUMNS if c in set(columns)]
    if "industry_code" in result:
        result += [c for c in ("industry_division", "industry_section") if c not in result]
    return result


def size_batch(batch: Batch, *, columns: Iterable[str]) -> None:
    """Set the size columns of a batch of enterprises none of which exist yet (no database
    look-up), ahead of ``upsert_batch``."""
    _sizes(batch, _record_columns(columns), fresh=True)
    batch.sized = True


def upsert_batch(batch: Batch, *, columns: Iterable[str], fresh: bool = False) -> None:
    """Write the batch. ``columns``: the record columns the source carries (only those are
    overwritten on existing enterprises; new ones get defaults for the rest). ``fresh``: the
    caller knows none of these enterprises exist yet (skips the look-up of stored years)."""
    if not batch.enterprises:
        return
    columns = _record_columns(columns)
    if not batch.sized:
        _sizes(batch, columns, fresh=fresh)
    if connection.vendor == "postgresql":
        _write_postgresql(batch, columns)
    elif connection.vendor == "sqlite":
        _write_sqlite(batch, columns)
    else:
        _write_orm(batch, columns)
    # The change log for the matching run, in the same transaction (``changes``).
    if len(batch.enterprises) > changes.EVERYTHING_AFTER:
        changes.record_everything()
    else:
        written = Enterprise.objects.filter(credit_code__in=list(batch.enterprises))
        changes.record(written.values_list("pk", flat=True))


def _insert_values(record: Mapping[str, Any]) -> dict[str, Any]:
    values = {"credit_code": record["credit_code"], "name_zh": record.get("name_zh", "")}
    for name in RECORD_COLUMNS:
        if name != "name_zh":
            values[name] = record.get(name, DEFAULTS.get(name))
    for name in SIZE_COLUMNS:
        values[name] = record[name]
    return values


def _write_orm(batch: Batch, columns: list[str]) -> None:
    objects = [Enterprise(**_insert_values(r)) for r in batch.enterprises.values()]
    Enterprise.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["credit_code"],
        update_fields=[*columns, *SIZE_COLUMNS, "updated_at"],
    )
    if not batch.years:
        return
    ids = dict(
        Enterprise.objects.filter(
            credit_code__in={code for code, _year in batch.years}
        ).values_list("credit_code", "pk")
    )
    EnterpriseYear.objects.bulk_create(
        [
            EnterpriseYear(
                enterprise_id=ids[code],
                year=year,
                employees=figures["employees"],
                operating_revenue=figures["operating_revenue"],
                total_assets=figures["total_assets"],
            )
            for (code, year), figures in batch.years.items()
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["enterprise", "year"],
        update_fields=list(FIGURE_COLUMNS),
    )


WRITER_SWITCH_INTERVAL = 0.0005  # seconds (Python's default: 0.005)
_ENTERPRISE_TABLE = Enterprise._meta.db_table
_YEAR_TABLE = EnterpriseYear._meta.db_table
_STAGE_ENTERPRISES = "onestop_register_stage"
_STAGE_YEARS = "onestop_register_year_stage_v2"


_INSERT_COLUMNS = [
    "credit_code", "name_zh", *[c for c in RECORD_COLUMNS if c != "name_zh"], *SIZE_COLUMNS,
    "created_at", "updated_at",
]  # fmt: skip


def prepare_rows(batch: Batch) -> None:
    """Turn the batch's enterprises into COPY rows now (``_write_postgresql`` sends them).

    The import's writer thread calls this in the reading thread: the two share one
    interpreter lock, and the writer, left with only sending, hands it back at once while
    the database works."""
    now = timezone.now()
    rows = []
    for record in batch.enterprises.values():
        values = _insert_values(record)
        values["size_basis"] = json.dumps(values["size_basis"], ensure_ascii=False)
        rows.append([values[c] for c in _INSERT_COLUMNS[:-2]] + [now, now])
    batch.rows = rows


def _write_postgresql(batch: Batch, columns: list[str]) -> None:
    # SQL text is built from this module's table and column names only; values go through COPY.
    insert_columns = _INSERT_COLUMNS
    if batch.rows is None:
        prepare_rows(batch)
    assert batch.rows is not None
    with connection.cursor() as cursor:
        column_list = ", ".join(insert_columns)
        # Stages with the table's column types and no constraints; they live for the session.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_ENTERPRISES} AS "  # noqa: S608
            f"SELECT {column_list} FROM {_ENTERPRISE_TABLE} WITH NO DATA"
        )
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_YEARS} (enterprise_id bigint, "
            "year smallint, employees integer, operating_revenue numeric(16,2), "
            "total_assets numeric(16,2))"
        )
        raw = cursor.cursor  # the psycopg cursor, for COPY
        with raw.copy(f"COPY {_STAGE_ENTERPRISES} ({column_list}) FROM STDIN") as copy:
            for row in batch.rows:
                copy.write_row(row)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*columns, *SIZE_COLUMNS, "updated_at"])
        cursor.execute(
            f"INSERT INTO {_ENTERPRISE_TABLE} ({column_list}) "  # noqa: S608
            f"SELECT {column_list} FROM {_STAGE_ENTERPRISES} "
            f"ON CONFLICT (credit_code) DO UPDATE SET {updates} RETURNING credit_code, id"
        )
        ids = dict(cursor.fetchall())
        if batch.years:
            # The enterprise ids came back from the upsert: no join against the whole table.
            with raw.copy(
                f"COPY {_STAGE_YEARS} (enterprise_id, year, employees, operating_revenue, "
                "total_assets) FROM STDIN"
            ) as copy:
                for (code, year), figures in batch.years.items():
                    copy.write_row(
                        (
                            ids[code],
                            year,
                            figures["employees"],
                            figures["operating_revenue"],
                            figures["total_assets"],
                        )
                    )
            cursor.execute(
                f"INSERT INTO {_YEAR_TABLE} "  # noqa: S608
                "(enterprise_id, year, employees, operating_revenue, total_assets) "
                "SELECT enterprise_id, year, employees, operating_revenue, total_assets "
                f"FROM {_STAGE_YEARS} "
                "ON CONFLICT (enterprise_id, year) DO UPDATE SET "
                "employees = EXCLUDED.employees, operating_revenue = EXCLUDED.operating_revenue, "
                "total_assets = EXCLUDED.total_assets"
            )
        # Empty the stages for the next batch (in this transaction or a later one).
        cursor.execute(f"TRUNCATE {_STAGE_ENTERPRISES}, {_STAGE_YEARS}")


def _write_sqlite(batch: Batch, columns: list[str]) -> None:
    """SQLite's upsert through executemany (the ORM's bulk_create costs ~5x more per row)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_columns = _INSERT_COLUMNS
    rows = []
    for record in batch.enterprises.values():
        values = _insert_values(record)
        values["size_basis"] = json.dumps(values["size_basis"], ensure_ascii=False)
        rows.append([values[c] for c in insert_columns[:-2]] + [now, now])
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*columns, *SIZE_COLUMNS, "updated_at"])
    placeholders = ", ".join(["%s"] * len(insert_columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_ENTERPRISE_TABLE} ({', '.join(insert_columns)}) "  # noqa: S608
            f"VALUES ({placeholders}) ON CONFLICT (credit_code) DO UPDATE SET {updates}",
            rows,
        )
        if not batch.years:
            return
        codes = list({code for code, _year in batch.years})
        ids: dict[str, int] = {}
        for start in range(0, len(codes), 900):  # stay under SQLite's parameter limit
            chunk = codes[start : start + 900]
            cursor.execute(
                f"SELECT credit_code, id FROM {_ENTERPRISE_TABLE} "  # noqa: S608
                f"WHERE credit_code IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            ids.update(cursor.fetchall())
        cursor.executemany(
            f"INSERT INTO {_YEAR_TABLE} "  # noqa: S608
            "(enterprise_id, year, employees, operating_revenue, total_assets) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (enterprise_id, year) DO UPDATE SET "
            "employees = excluded.employees, operating_revenue = excluded.operating_revenue, "
            "total_assets = excluded.total_assets",
            [
                (
                    ids[code],
                    year,
                    figures["employees"],
                    figures["operating_revenue"],
                    figures["total_assets"],
                )
                for (code, year), figures in batch.years.items()
            ],
        )


class BatchWriter:
    """Writes batches, one transaction each.

    On PostgreSQL, outside a transaction, a second thread (with its own connection) writes
    while this one reads and checks the next batch: the database works on one batch while
    Python prepares the next. Otherwise (SQLite, or inside a caller's transaction) it writes
    in line. Batches are written in order; an error in the writer stops the import.
    """

    def __init__(
        self, columns: Iterable[str], *, fresh: bool = False, track_fresh: bool = False
    ) -> None:
        """``fresh``: none of the enterprises written exist yet. ``track_fresh``: the register
        was empty when the caller started, so a batch whose codes were not in an earlier batch
        is fresh too (hashes of the codes written are kept; a collision only costs a look-up)."""
        self.columns = list(columns)
        self.fresh = fresh
        self.seen: set[int] | None = set() if track_fresh else None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.switch_interval: float | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The writer thread gives the interpreter lock up at every send to the database
            # and then waits for the busy reading thread to hand it back, by default after
            # 5 ms: hundreds of times a batch. Handing it over sooner made a 200,000-row
            # import a third faster here (restored in ``close``).
            self.switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(WRITER_SWITCH_INTERVAL)
            self.queue: queue.Queue[tuple[Batch, bool] | None] = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._work, name="register-writer", daemon=True)
            self.thread.start()

    def _fresh(self, batch: Batch) -> bool:
        """Whether none of the batch's enterprises can exist yet (called in batch order)."""
        if self.seen is None:
            return self.fresh
        hashes = {hash(code) for code in batch.enterprises}
        fresh = self.fresh or self.seen.isdisjoint(hashes)
        self.seen |= hashes
        return fresh

    def _write(self, batch: Batch, fresh: bool) -> None:
        if len(batch):
            with transaction.atomic():
                upsert_batch(batch, columns=self.columns, fresh=fresh)

    def _work(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        self._write(*item)
                    except BaseException as exc:  # handed to the reading thread
                        self.error = exc
        finally:
            connection.close()  # this thread's connection

    def put(self, batch: Batch) -> None:
        fresh = self._fresh(batch)
        if self.thread is None:
            self._write(batch, fresh)
            return
        if self.error is not None:
            raise self.error
        if fresh and len(batch):
            # Sizes need no stored years here: work them out in this thread, and the rows
            # too, so the writer thread only sends (the two share one interpreter lock).
            size_batch(batch, columns=self.columns)
            prepare_rows(batch)
        self.queue.put((batch, fresh))

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if self.switch_interval is not None:
            sys.setswitchinterval(self.switch_interval)
            self.switch_interval = None
        if self.error is not None:
            raise self.error
