"""Remove the files of failed or rolled-back uploads; finish moves a crash interrupted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.core.documents import documents_sweep


class Command(BaseCommand):
    help = "Tidy the pending uploads folder under ONESTOP_PRIVATE_MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="Only touch pending files at least this old (default 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["older_than_minutes"]
        if minutes < 0:
            self.stderr.write("--older-than-minutes must be 0 or more")
            raise SystemExit(2)
        result = documents_sweep(older_than=dt.timedelta(minutes=minutes))
        self.stdout.write(f"kept {result.kept}, removed {result.removed}")
