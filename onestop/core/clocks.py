"""Legal clocks: statutory time limits that can pause (e.g. while an applicant corrects a file).

These functions run INSIDE the caller's service transaction. They save the clock and write no
audit row of their own; the calling service records what happened.

Rules (Administrative Licensing Law 行政许可法, arts. 42 and 45):
- a limit in working days is counted from the day after the start (``add_working_days``);
  a limit in calendar days ("days") likewise counts calendar days from the next day;
- time spent waiting for the applicant is not counted: resuming moves the due date out by the
  working days (or, for "days" clocks, the calendar days) from the pause to the resumption.
  Pausing and resuming on the same day credits nothing;
- the due date is always ``started_on`` + (limit + days credited) in the clock's unit.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError
from onestop.core.models import ClockState, ClockUnit, LegalClock
from onestop.core.workdays import (
    add_working_days,
    calendar_covers,
    next_working_day,
    working_days_between,
)


def clock_due_on(started_on: dt.date, units: int, unit: str) -> dt.date:
    """When a clock started on ``started_on`` with ``units`` of ``unit`` runs out."""
    if unit == ClockUnit.WORKING_DAYS:
        if units == 0:  # "at once": on a rest day that means the next working day
            return next_working_day(started_on)
        return add_working_days(started_on, units)
    return started_on + dt.timedelta(days=units)


def _between(start: dt.date, end: dt.date, unit: str) -> int:
    if unit == ClockUnit.WORKING_DAYS:
        return working_days_between(start, end)
    return (end - start).days


def _not_before(on: dt.date, earlier: dt.date) -> None:
    if on < earlier:
        raise DomainError(
            code="clock_date_invalid",
            message=_("The date %(on)s is before %(earlier)s, when the clock last changed.")
            % {"on": on.isoformat(), "earlier": earlier.isoformat()},
            status=409,
        )


def clock_start(*, limit: int, unit: str = ClockUnit.WORKING_DAYS, start: dt.date) -> LegalClock:
    """Create and save a running clock due ``limit`` units after ``start``."""
    if unit not in ClockUnit.values:
        raise ValueError(f"unknown clock unit {unit!r}; use one of {ClockUnit.values}")
    if limit < 0:
        raise ValueError(f"a time limit cannot be negative, got {limit}")
    clock = LegalClock(
        limit=limit,
        unit=unit,
        started_on=start,
        due_on=clock_due_on(start, limit, unit),
        state=ClockState.RUNNING,
    )
    clock.full_clean()
    clock.save()
    return clock


def clock_pause(*, clock: LegalClock, on: dt.date) -> LegalClock:
    """Stop counting from ``on`` (e.g. the day a correction was requested)."""
    if clock.state != ClockState.RUNNING:
        raise DomainError(
            code="clock_not_running",
            message=_("The time limit is not running, so it cannot be paused."),
            status=409,
        )
    _not_before(on, clock.started_on)
    clock.state = ClockState.PAUSED
    clock.paused_on = on
    clock.save(update_fields=["state", "paused_on"])
    return clock


def clock_resume(*, clock: LegalClock, on: dt.date) -> LegalClock:
    """Count again from ``on``; the due date moves out by the units spent paused."""
    if clock.state != ClockState.PAUSED or clock.paused_on is None:
        raise DomainError(
            code="clock_not_paused",
            message=_("The time limit is not paused, so it cannot be resumed."),
            status=409,
        )
    _not_before(on, clock.paused_on)
    clock.paused_total += _between(clock.paused_on, on, clock.unit)
    clock.due_on = clock_due_on(clock.started_on, clock.limit + clock.paused_total, clock.unit)
    clock.paused_on = None
    clock.state = ClockState.RUNNING
    clock.save(update_fields=["paused_total", "due_on", "paused_on", "state"])
    return clock


def clock_stop(*, clock: LegalClock, on: dt.date) -> LegalClock:
    """Stop the clock for good (decision made). A paused clock stops where it was paused."""
    if clock.state == ClockState.STOPPED:
        raise DomainError(
            code="clock_stopped",
            message=_("The time limit has already stopped."),
            status=409,
        )
    _not_before(on, clock.paused_on or clock.started_on)
    clock.state = ClockState.STOPPED
    clock.stopped_on = on
    clock.save(update_fields=["state", "stopped_on"])
    return clock


def clock_remaining(clock: LegalClock, today: dt.date) -> int:
    """Units left until the due date, in the clock's unit (negative = overdue by that many).

    A paused clock keeps what it had left when it was paused; a stopped clock what it had left
    when it stopped (negative if it stopped late).
    """
    if clock.state == ClockState.PAUSED and clock.paused_on is not None:
        today = clock.paused_on
    elif clock.state == ClockState.STOPPED and clock.stopped_on is not None:
        today = clock.stopped_on
    return _between(today, clock.due_on, clock.unit)


def clock_due_is_certain(clock: LegalClock) -> bool:
    """False when the due date (or the pause) lies beyond the holiday calendar's last year.

    The date is then computed with weekends only and may move when the State Council publishes
    that year's holiday notice; pages should say so.
    """
    if clock.unit != ClockUnit.WORKING_DAYS:
        return True
    return calendar_covers(clock.started_on) and calendar_covers(clock.due_on)


def clocks_due_between(start: dt.date, end: dt.date) -> QuerySet[LegalClock]:
    """Running clocks whose due date is between ``start`` and ``end`` (both included)."""
    return LegalClock.objects.filter(
        state=ClockState.RUNNING, due_on__gte=start, due_on__lte=end
    ).order_by("due_on", "pk")


def clocks_overdue(today: dt.date) -> QuerySet[LegalClock]:
    """Running clocks whose due date has passed (due before ``today``)."""
    return LegalClock.objects.filter(state=ClockState.RUNNING, due_on__lt=today).order_by(
        "due_on", "pk"
    )
