"""``onestop run-clocks``: reminders, escalations and approval by silence, once (for cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.applications.services import clocks_run


class Command(BaseCommand):
    help = (
        "Send due-date reminders, escalate overdue cases to agency heads and approve "
        "silence-means-consent cases whose time ran out. Safe to run repeatedly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Run as if today were this date (YYYY-MM-DD); default: today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    f"--today: {options['today']!r} is not a YYYY-MM-DD date"
                ) from exc
        run = clocks_run(today=today)
        self.stdout.write(
            f"approved by silence: {run.approved_by_silence}, "
            f"escalated: {run.escalated}, reminded: {run.reminded}"
        )
