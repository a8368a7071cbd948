"""``onestop import-industries [FILE]``: import the GB/T 4754 classification from a CSV file.

Without FILE, the table shipped with OneStop (onestop/access/data/gbt4754_2017.csv). All or
nothing: one invalid row rejects the file, and every problem is listed with its row. Running it
again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.access.services.industries import SHIPPED_CSV, industries_import_file
from onestop.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "Import the GB/T 4754 industry classification from a CSV file (columns code, level, "
        "parent, name_zh, name_en, name_en_source, note). Default: the shipped 2017 table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, default=SHIPPED_CSV, help="CSV file (UTF-8)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            report = industries_import_file(path=path)
        except ValidationFailed as exc:
            lines = [str(exc.message)]
            lines += [f"  {error.field}: {error.message}" for error in exc.errors]
            raise CommandError("\n".join(lines)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {path.name}: {report.total} rows, {len(report.created)} created, "
                    f"{len(report.updated)} updated, {report.unchanged} unchanged."
                )
            )
