"""Background work of the applications domain: the legal clocks' daily round.

Tasks call services and hold no logic. Enqueue ``run_clocks`` from a scheduler, or run
``onestop run-clocks`` from cron (it calls the same service directly).
"""

from __future__ import annotations

from django_tasks import task

from onestop.applications.services import (
    clocks_escalate,
    clocks_remind,
    clocks_run,
    silence_consent_apply,
)


@task()
def run_clocks() -> dict[str, int]:
    run = clocks_run()
    return {
        "reminded": run.reminded,
        "escalated": run.escalated,
        "approved_by_silence": run.approved_by_silence,
    }


@task()
def remind_due_cases() -> int:
    return clocks_remind()


@task()
def escalate_overdue_cases() -> int:
    return clocks_escalate()


@task()
def apply_silence_consent() -> int:
    return silence_consent_apply()
