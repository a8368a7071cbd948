"""``onestop load_demo``: load the demo data set (idempotent) and print the demo accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from onestop.core.roles import Role
from onestop.demo.services import DemoRefused, DemoReport, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data set: agencies, enterprises and one account for every role. "
        "Safe to run again. Refused when ONESTOP_ENV=production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = demo_load()
        except DemoRefused as exc:
            raise CommandError(str(exc.message)) from None
        if options["verbosity"] >= 1:
            self.print_report(report)

    def print_report(self, report: DemoReport) -> None:
        parts = []
        for step, tally in report.tally.items():
            counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items()))
            parts.append(f"{step}: {counts}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. " + "; ".join(parts) + "."))
        rows: list[tuple[str, ...]] = [("Role", "Email", "Password", "Who")]
        with translation.override("en"):
            rows += [
                (str(Role(a.role).label), a.email, report.password, a.label)
                for a in report.accounts
            ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        rows.insert(1, tuple("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write("Demo accounts (sign in with the email address):")
        for row in rows:
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write("  " + line.rstrip())
