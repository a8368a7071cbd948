"""``onestop import-catalogue``: load the public services and journeys (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.catalogue.importer import FINDER_FILE, PROCEDURES_FILE, catalogue_import, read_json
from onestop.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Import the service catalogue (procedures and journeys). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--procedures", type=Path, default=PROCEDURES_FILE)
        parser.add_argument("--finder", type=Path, default=FINDER_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tally = catalogue_import(
                actor=None,
                procedures=read_json(options["procedures"]),
                finder=read_json(options["finder"]),
            )
        except ValidationFailed as exc:
            lines = [f"{e.field}: {e.message}" for e in exc.errors]
            raise CommandError("\n".join([str(exc.message), *lines])) from None
        summary = ", ".join(f"{n} {what}" for what, n in sorted(tally.items()))
        self.stdout.write(self.style.SUCCESS(f"Catalogue imported: {summary}."))
