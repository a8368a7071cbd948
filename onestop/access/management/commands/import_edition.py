"""``onestop import-edition FILE.json``: import a negative-list edition (format
onestop.negative-list/1), or ``--shipped`` for the editions shipped with OneStop.

All or nothing: one problem rejects the file, every problem is listed with its place in the
file, and the editions already loaded stay as they were. Importing the same file again changes
nothing; a changed file with the same edition code replaces that edition's items.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.access.services.negative_lists import (
    EditionImport,
    edition_import,
    editions_import_shipped,
)
from onestop.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Import a negative-list edition from a JSON file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="edition file (UTF-8 JSON)")
        parser.add_argument(
            "--shipped", action="store_true", help="import the editions shipped with OneStop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        if path is None and not options["shipped"]:
            raise CommandError("Give an edition file, or --shipped.")
        try:
            if options["shipped"]:
                results = editions_import_shipped()
            else:
                assert path is not None
                if not path.is_file():
                    raise CommandError(f"No such file: {path}")
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except json.JSONDecodeError as exc:
                    raise CommandError(f"{path}: not valid JSON ({exc})") from None
                results = [edition_import(actor=None, data=data)]
        except ValidationFailed as exc:
            lines = [str(exc.message)]
            lines += [f"  {error.field}: {error.message}" for error in exc.errors]
            raise CommandError("\n".join(lines)) from None
        for result in results:
            self._report(result, options["verbosity"])

    def _report(self, result: EditionImport, verbosity: int) -> None:
        if verbosity >= 1:
            edition = result.edition
            self.stdout.write(
                self.style.SUCCESS(
                    f"{edition.code}: {result.outcome}, {edition.items.count()} items, "
                    f"in force from {edition.effective.isoformat()}."
                )
            )
