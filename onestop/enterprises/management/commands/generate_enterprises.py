"""``onestop generate-enterprises --count N [--seed S]``: a synthetic register."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from onestop.enterprises.generate import generate_enterprises


class Command(BaseCommand):
    help = (
        "Generate N synthetic enterprises (districts, industries, sizes, 2019 and 2020 figures). "
        "The same seed gives the same enterprises, so running it again updates, not adds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many enterprises.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        if count < 1:
            raise CommandError("--count must be 1 or more.")
        with tqdm(
            total=count, unit="enterprises", disable=options["no_progress"], file=self.stderr
        ) as bar:
            try:
                report = generate_enterprises(count, options["seed"], progress=bar.update)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {report.count:,} enterprises in {report.seconds:.1f} s "
                f"({report.count / max(report.seconds, 1e-9):,.0f} a second)."
            )
        )
