"""The import outside a test transaction, as the CLI runs it (batches really commit)."""

from __future__ import annotations

from pathlib import Path

from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.importer import import_register_file
from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.enterprises.tests.factories import load_industry_classes
from onestop.enterprises.tests.test_import import write_csv


def test_outside_a_transaction_batches_commit_in_order(
    transactional_db: None, tmp_path: Path
) -> None:
    """On PostgreSQL a writer thread with its own connection writes the batches while the file
    is read (on SQLite they are written in line). Same outcome either way."""
    load_industry_classes()
    rows = [
        [credit_code_from_number(8000 + i), f"企业{i}", "6210", "2020", str(i % 30), "50"]
        for i in range(11)
    ]
    rows[4][4] = "-1"
    header = ["credit_code", "name_zh", "industry_code", "year", "employees", "operating_revenue"]
    path = write_csv(tmp_path / "f.csv", rows, "utf-8", header)
    result = import_register_file(path, batch_size=3)
    assert (result.rows_ok, result.rows_failed) == (10, 1)
    assert Enterprise.objects.count() == 10 == EnterpriseYear.objects.count()
    assert Enterprise.objects.filter(size_class="micro").count() == 10


def test_the_writer_threads_switch_interval_is_put_back(transactional_db: None) -> None:
    """The threaded writer (PostgreSQL) shortens the interpreter's switch interval while it
    runs and restores it on close, also when the writer failed."""
    import sys

    import pytest
    from django.db import connection

    from onestop.enterprises.bulk import WRITER_SWITCH_INTERVAL, BatchWriter

    before = sys.getswitchinterval()
    writer = BatchWriter(["name_zh"])
    threaded = connection.vendor == "postgresql"
    assert sys.getswitchinterval() == (WRITER_SWITCH_INTERVAL if threaded else before)
    writer.error = RuntimeError("the database went away")
    with pytest.raises(RuntimeError):
        writer.close()
    assert sys.getswitchinterval() == before
