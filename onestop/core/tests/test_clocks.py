"""Legal clocks: start, pause, resume and stop against real holiday dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from onestop.core.clocks import (
    clock_due_is_certain,
    clock_pause,
    clock_remaining,
    clock_resume,
    clock_start,
    clock_stop,
    clocks_due_between,
    clocks_overdue,
)
from onestop.core.errors import DomainError
from onestop.core.models import ClockState, LegalClock
from onestop.core.workdays import add_working_days, working_days_between

D = dt.date
pytestmark = pytest.mark.django_db


def test_start_counts_working_days_across_the_2020_spring_festival():
    # Received Thu 23 Jan 2020, 20 working days: the break (24 Jan - 2 Feb) does not count.
    clock = clock_start(limit=20, unit="working_days", start=D(2020, 1, 23))
    clock.refresh_from_db()
    assert clock.due_on == D(2020, 2, 28)
    assert clock.state == ClockState.RUNNING
    assert clock_remaining(clock, D(2020, 1, 23)) == 20
    assert clock_remaining(clock, D(2020, 2, 3)) == 19
    assert clock_remaining(clock, D(2020, 2, 28)) == 0
    assert clock_remaining(clock, D(2020, 3, 2)) == -1


def test_a_days_clock_counts_calendar_days():
    clock = clock_start(limit=10, unit="days", start=D(2020, 1, 23))
    assert clock.due_on == D(2020, 2, 2)  # holidays count too
    assert clock_remaining(clock, D(2020, 1, 30)) == 3
    clock_pause(clock=clock, on=D(2020, 1, 25))
    clock_resume(clock=clock, on=D(2020, 1, 30))
    assert clock.paused_total == 5
    assert clock.due_on == D(2020, 2, 7)


def test_an_immediate_limit_started_on_a_rest_day_is_due_the_next_working_day():
    # 2020-09-19 is a Saturday (not one of the adjusted working weekends of 2020).
    assert clock_start(limit=0, start=D(2020, 9, 19)).due_on == D(2020, 9, 21)
    assert clock_start(limit=0, start=D(2020, 9, 21)).due_on == D(2020, 9, 21)  # a Monday
    # The Sunday worked for the National Day holiday is a working day: due that day.
    assert clock_start(limit=0, start=D(2020, 9, 27)).due_on == D(2020, 9, 27)
    # Inside the National Day holiday (1-8 October 2020): due the 9th.
    assert clock_start(limit=0, start=D(2020, 10, 3)).due_on == D(2020, 10, 9)


def test_pause_and_resume_move_the_due_date_by_the_working_days_spent_paused():
    # 20 working days from Mon 21 Sep 2020; National Day 1-8 Oct is off, 27 Sep and 10 Oct worked.
    clock = clock_start(limit=20, unit="working_days", start=D(2020, 9, 21))
    assert clock.due_on == add_working_days(D(2020, 9, 21), 20)
    original_due = clock.due_on
    # Correction requested Wed 30 Sep; the applicant resubmits Mon 12 Oct.
    clock_pause(clock=clock, on=D(2020, 9, 30))
    assert clock.state == ClockState.PAUSED
    # While paused the remaining days do not go down.
    left = clock_remaining(clock, D(2020, 9, 30))
    assert clock_remaining(clock, D(2020, 10, 20)) == left
    clock_resume(clock=clock, on=D(2020, 10, 12))
    clock.refresh_from_db()
    # Working days in (30 Sep, 12 Oct]: 9 Oct (Fri), 10 Oct (worked Sat), 12 Oct (Mon) = 3.
    assert clock.paused_total == 3
    assert clock.due_on == add_working_days(original_due, 3)
    assert working_days_between(original_due, clock.due_on) == 3
    assert clock.state == ClockState.RUNNING
    assert clock.paused_on is None
    assert clock_remaining(clock, D(2020, 10, 12)) == left


def test_pause_and_resume_on_the_same_day_credits_nothing():
    clock = clock_start(limit=5, unit="working_days", start=D(2021, 3, 1))
    due = clock.due_on
    clock_pause(clock=clock, on=D(2021, 3, 3))
    clock_resume(clock=clock, on=D(2021, 3, 3))
    assert clock.due_on == due
    assert clock.paused_total == 0


def test_two_pauses_add_up():
    clock = clock_start(limit=20, unit="working_days", start=D(2021, 3, 1))
    due = clock.due_on
    clock_pause(clock=clock, on=D(2021, 3, 2))
    clock_resume(clock=clock, on=D(2021, 3, 4))  # 2 working days
    clock_pause(clock=clock, on=D(2021, 3, 5))  # a Friday
    clock_resume(clock=clock, on=D(2021, 3, 8))  # Monday: 1 working day
    assert clock.paused_total == 3
    assert clock.due_on == add_working_days(due, 3)


def test_stop_freezes_the_remaining_days():
    clock = clock_start(limit=20, unit="working_days", start=D(2020, 1, 23))
    clock_stop(clock=clock, on=D(2020, 2, 5))
    assert clock.state == ClockState.STOPPED
    assert clock_remaining(clock, D(2021, 1, 1)) == 17
    with pytest.raises(DomainError) as info:
        clock_stop(clock=clock, on=D(2020, 2, 6))
    assert info.value.code == "clock_stopped"


def test_wrong_transitions_are_refused_with_codes():
    clock = clock_start(limit=20, unit="working_days", start=D(2020, 1, 23))
    with pytest.raises(DomainError) as info:
        clock_resume(clock=clock, on=D(2020, 2, 5))
    assert info.value.code == "clock_not_paused"
    clock_pause(clock=clock, on=D(2020, 2, 5))
    with pytest.raises(DomainError) as info:
        clock_pause(clock=clock, on=D(2020, 2, 6))
    assert info.value.code == "clock_not_running"
    with pytest.raises(DomainError) as info:
        clock_resume(clock=clock, on=D(2020, 2, 4))
    assert info.value.code == "clock_date_invalid"
    assert info.value.status == 409


def test_a_pause_before_the_start_is_refused():
    clock = clock_start(limit=20, unit="working_days", start=D(2020, 1, 23))
    with pytest.raises(DomainError) as info:
        clock_pause(clock=clock, on=D(2020, 1, 22))
    assert info.value.code == "clock_date_invalid"


def test_bad_arguments():
    with pytest.raises(ValueError, match="unit"):
        clock_start(limit=20, unit="weeks", start=D(2020, 1, 23))
    with pytest.raises(ValueError, match="negative"):
        clock_start(limit=-1, unit="days", start=D(2020, 1, 23))


def test_due_and_overdue_selectors():
    early = clock_start(limit=1, unit="working_days", start=D(2020, 1, 23))  # due 3 Feb
    later = clock_start(limit=10, unit="working_days", start=D(2020, 1, 23))  # due 14 Feb
    paused = clock_start(limit=1, unit="working_days", start=D(2020, 1, 23))
    clock_pause(clock=paused, on=D(2020, 1, 23))
    stopped = clock_start(limit=1, unit="working_days", start=D(2020, 1, 23))
    clock_stop(clock=stopped, on=D(2020, 1, 23))
    assert early.due_on == D(2020, 2, 3)
    assert later.due_on == D(2020, 2, 14)
    assert list(clocks_due_between(D(2020, 2, 1), D(2020, 2, 3))) == [early]
    assert list(clocks_due_between(D(2020, 2, 1), D(2020, 2, 14))) == [early, later]
    assert list(clocks_overdue(D(2020, 2, 4))) == [early]
    assert list(clocks_overdue(D(2020, 2, 3))) == []
    assert set(clocks_overdue(D(2020, 3, 1))) == {early, later}


def test_due_dates_beyond_the_calendar_are_flagged():
    inside = clock_start(limit=20, unit="working_days", start=D(2026, 3, 2))
    assert clock_due_is_certain(inside)
    across = clock_start(limit=20, unit="working_days", start=D(2026, 12, 15))
    assert not clock_due_is_certain(across)
    assert clock_due_is_certain(clock_start(limit=20, unit="days", start=D(2026, 12, 15)))


class ClockProperties(HypothesisTestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        start=st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 6, 1)),
        limit=st.integers(min_value=1, max_value=60),
        pause_after=st.integers(min_value=0, max_value=30),
        pause_for=st.integers(min_value=0, max_value=40),
    )
    def test_remaining_days_survive_a_pause(self, start, limit, pause_after, pause_for):
        clock = clock_start(limit=limit, unit="working_days", start=start)
        pause_on = start + dt.timedelta(days=pause_after)
        resume_on = pause_on + dt.timedelta(days=pause_for)
        clock_pause(clock=clock, on=pause_on)
        left = clock_remaining(clock, pause_on)
        clock_resume(clock=clock, on=resume_on)
        stored = LegalClock.objects.get(pk=clock.pk)
        assert stored.paused_total == working_days_between(pause_on, resume_on)
        assert stored.due_on == add_working_days(start, limit + stored.paused_total)
        # What was left at the pause is left again at resumption.
        assert clock_remaining(stored, resume_on) == left
