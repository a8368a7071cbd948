"""``onestop import-enterprises FILE [--strict] [--year Y] [--report PATH]``: load a register file.

CSV (UTF-8, UTF-8 with BOM or GBK, detected) or XLSX; headers in Chinese or English. Valid rows
are upserted by credit code; bad rows are listed in a CSV report (default: next to the file,
``<name>.errors.csv``) and summarised here. With ``--strict`` nothing is written if any row is bad.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from onestop.enterprises.importer import default_report_path, import_register_file
from onestop.enterprises.models import ImportStatus
from onestop.enterprises.reading import encoding_label, open_source

SHOWN_ERRORS = 10


class Command(BaseCommand):
    help = "Import enterprises and their yearly figures from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--strict", action="store_true", help="Import nothing if any row has an error."
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Year of the figures when the file has no year column.",
        )
        parser.add_argument(
            "--report", type=Path, default=None, help="Where to write the row errors (CSV)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        total = 0
        try:
            source = open_source(path)
            total = source.total
            source.close()
        except Exception:  # the import below reports the problem properly
            total = 0
        report_path = options["report"] or default_report_path(path)
        with tqdm(
            total=total or None,
            unit="rows",
            disable=options["no_progress"],
            file=self.stderr,
            desc="strict: checking" if options["strict"] else "importing",
        ) as bar:
            result = import_register_file(
                path,
                strict=options["strict"],
                default_year=options["year"],
                report_path=report_path,
                progress=bar.update,
            )
        lines = [
            f"File: {path.name} ({encoding_label(result.encoding) if result.encoding else '?'})",
            f"Rows: {result.rows_total:,}; imported: {result.rows_ok:,}; "
            f"with errors (not imported): {result.rows_failed:,}",
        ]
        if result.ignored_columns:
            lines.append("Ignored columns: " + ", ".join(result.ignored_columns))
        if result.errors:
            lines.append("First errors (row, column, value: message):")
            for error in result.errors[:SHOWN_ERRORS]:
                lines.append(
                    f"  row {error['row']}, {error['column']}, {error['value']!r}: "
                    f"{error['message']}"
                )
        if result.report_path:
            lines.append(f"All row errors: {result.report_path}")
        if result.message:
            lines.append(result.message)
        text = "\n".join(lines)
        if result.status == ImportStatus.FAILED:
            raise CommandError(text)
        if result.status == ImportStatus.REJECTED:
            raise CommandError(text + "\nStrict import: nothing was imported.")
        style = self.style.WARNING if result.rows_failed else self.style.SUCCESS
        self.stdout.write(style(text))
