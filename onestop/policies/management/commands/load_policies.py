"""``onestop load-policies [DIR]``: load the policy YAML files (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.core.errors import ValidationFailed
from onestop.policies.loader import DATA_DIR, policies_load


class Command(BaseCommand):
    help = "Check and load the support-policy YAML files of DIR (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", type=Path, default=DATA_DIR)
        parser.add_argument("--publish", action="store_true", help="publish the policies too")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = policies_load(
                actor=None, directory=options["directory"], publish=options["publish"]
            )
        except ValidationFailed as exc:
            lines = [f"{e.field}: {e.message}" for e in exc.errors]
            raise CommandError("\n".join([str(exc.message), *lines])) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Policies: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged; agencies created: "
                f"{', '.join(report.agencies) or 'none'}."
            )
        )
