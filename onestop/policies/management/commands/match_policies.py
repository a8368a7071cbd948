"""``onestop match-policies``: screen the register against the published policies now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.policies.models import Policy
from onestop.policies.services import policies_match_run
from onestop.policies.tasks import next_night, schedule_nightly


class Command(BaseCommand):
    help = (
        "Screen every enterprise against the published support policies (or --policy CODE), "
        "store the matches and notify new ones. --schedule starts the nightly run instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--policy", help="only this policy (code)")
        parser.add_argument(
            "--schedule", action="store_true", help="enqueue the nightly run (worker executes it)"
        )
        parser.add_argument(
            "--pause",
            type=float,
            default=0.0,
            help="seconds to wait between policies (gentler on a busy database)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            done = schedule_nightly()
            when = next_night().isoformat(timespec="minutes")
            message = f"Nightly matching enqueued for {when}." if done else "Already scheduled."
            self.stdout.write(self.style.SUCCESS(message))
            return
        policy = None
        if options["policy"]:
            policy = Policy.objects.filter(code=options["policy"]).first()
            if policy is None:
                raise CommandError(f"No policy with code {options['policy']!r}.")
        pause = options["pause"]
        if pause < 0:
            raise CommandError("--pause must be 0 or more.")

        def after(_policy: Policy) -> None:
            if pause:
                import time

                time.sleep(pause)

        run = policies_match_run(actor=None, policy=policy, after_policy=after)
        self.stdout.write(
            self.style.SUCCESS(
                f"Matched {run.policies_done} policies in {run.seconds} s: {run.eligible} "
                f"eligible, {run.added} new, {run.removed} no longer eligible, "
                f"{run.notified} notified."
            )
        )
