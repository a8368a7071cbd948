"""Working days against the official 2019-2026 arrangements (cn_holidays.json)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestop.core import workdays
from onestop.core.workdays import (
    add_working_days,
    calendar_covers,
    calendar_years,
    holiday_name,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = dt.date


def test_calendar_file_keeps_its_sources_and_covers_2019_to_2026():
    data = json.loads(workdays.CALENDAR_FILE.read_text(encoding="utf-8"))
    assert "source_notes" in data
    assert "legal_basis" in data
    extension = data["years"]["2020"]["amendments"][0]
    assert extension["title_zh"] == "国务院办公厅关于延长2020年春节假期的通知"
    assert calendar_years() == (2019, 2026)


def test_2020_spring_festival_extension_is_ten_days_off():
    # The extension notice of 26 Jan 2020 ran the break to Sunday 2 Feb; work resumed Monday 3 Feb.
    first, last = D(2020, 1, 24), D(2020, 2, 2)
    day = first
    while day <= last:
        assert not is_working_day(day), day
        day += dt.timedelta(days=1)
    assert is_working_day(D(2020, 1, 23))
    assert is_working_day(D(2020, 2, 3))
    # Fri 31 Jan became a day off; Sat 1 Feb is no longer a make-up working day.
    assert not is_working_day(D(2020, 1, 31))
    assert not is_working_day(D(2020, 2, 1))
    assert holiday_name(D(2020, 1, 31)) == ("春节", "Spring Festival (Chinese New Year)")


def test_adjusted_working_weekend_days_are_working_days():
    assert D(2020, 1, 19).weekday() == 6  # a Sunday
    assert is_working_day(D(2020, 1, 19))
    assert is_working_day(D(2020, 4, 26))  # Sunday before Labour Day 2020
    assert is_working_day(D(2020, 5, 9))  # Saturday after Labour Day 2020
    assert is_working_day(D(2024, 2, 4))  # Sunday before Spring Festival 2024
    assert not is_working_day(D(2020, 1, 18))  # an ordinary Saturday


def test_national_day_week_2020_with_mid_autumn():
    # 2020: 1-8 Oct off (Mid-Autumn fell on 1 Oct), Sun 27 Sep and Sat 10 Oct worked.
    for day in range(1, 9):
        assert not is_working_day(D(2020, 10, day))
    assert is_working_day(D(2020, 9, 27))
    assert is_working_day(D(2020, 10, 9))
    assert is_working_day(D(2020, 10, 10))
    assert not is_working_day(D(2020, 10, 11))


def test_national_day_week_2025():
    # 2025: 1-8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
    assert [is_working_day(D(2025, 10, d)) for d in range(1, 9)] == [False] * 8
    assert is_working_day(D(2025, 9, 28))
    assert is_working_day(D(2025, 10, 11))


def test_add_working_days_counts_from_the_next_day():
    # Monday 2 Mar 2020: 1 working day later is Tuesday.
    assert add_working_days(D(2020, 3, 2), 1) == D(2020, 3, 3)
    assert add_working_days(D(2020, 3, 2), 0) == D(2020, 3, 2)
    # Friday 6 Mar 2020 + 1 -> Monday 9 Mar.
    assert add_working_days(D(2020, 3, 6), 1) == D(2020, 3, 9)


def test_add_working_days_across_the_2020_spring_festival():
    # Received Thu 23 Jan 2020; the break runs 24 Jan - 2 Feb, so day 1 is Mon 3 Feb.
    assert add_working_days(D(2020, 1, 23), 1) == D(2020, 2, 3)
    # 20 working days: 3-7, 10-14, 17-21, 24-28 Feb.
    assert add_working_days(D(2020, 1, 23), 20) == D(2020, 2, 28)
    # Received Fri 17 Jan: Sat 18 is off, Sun 19 is worked (day 1), Mon 20-Thu 23 (days 2-5).
    assert add_working_days(D(2020, 1, 17), 1) == D(2020, 1, 19)
    assert add_working_days(D(2020, 1, 17), 5) == D(2020, 1, 23)
    assert add_working_days(D(2020, 1, 17), 6) == D(2020, 2, 3)


def test_add_working_days_across_national_day_2020():
    # Wed 30 Sep 2020 + 1 -> Fri 9 Oct (1-8 Oct off).
    assert add_working_days(D(2020, 9, 30), 1) == D(2020, 10, 9)
    assert add_working_days(D(2020, 9, 30), 2) == D(2020, 10, 10)  # a worked Saturday
    assert add_working_days(D(2020, 9, 30), 3) == D(2020, 10, 12)


def test_going_backwards():
    assert add_working_days(D(2020, 2, 3), -1) == D(2020, 1, 23)
    assert working_days_between(D(2020, 2, 3), D(2020, 1, 23)) == -1


def test_working_days_between():
    assert working_days_between(D(2020, 1, 23), D(2020, 2, 3)) == 1
    assert working_days_between(D(2020, 3, 2), D(2020, 3, 2)) == 0
    # Whole year 2020: 366 days, 262 weekdays, 19 weekdays off, 6 worked weekend days.
    assert working_days_between(D(2019, 12, 31), D(2020, 12, 31)) == 262 - 19 + 6


def test_beyond_the_calendar_only_weekends_are_off():
    assert not calendar_covers(D(2027, 1, 1))
    assert not calendar_covers(D(2018, 6, 1))
    assert calendar_covers(D(2026, 12, 31))
    assert calendar_covers(D(2019, 1, 1))
    # 1 Jan 2027 is a Friday: a working day, because no 2027 notice is in the calendar.
    assert D(2027, 1, 1).weekday() == 4
    assert is_working_day(D(2027, 1, 1))
    assert not is_working_day(D(2027, 1, 2))
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
    assert working_days_between(D(2027, 1, 1), D(2027, 1, 31)) == 20


def test_datetimes_are_taken_as_their_date_and_other_types_refused():
    assert is_working_day(dt.datetime(2020, 1, 19, 12, 0))
    with pytest.raises(TypeError):
        is_working_day("2020-01-19")  # type: ignore[arg-type]


def test_next_working_day():
    assert next_working_day(D(2020, 1, 24)) == D(2020, 2, 3)
    assert next_working_day(D(2020, 2, 3)) == D(2020, 2, 3)


def test_no_day_is_both_off_and_worked():
    cal = workdays.calendar()
    assert not (cal.days_off & cal.working_weekend_days)
    assert all(day.weekday() >= 5 for day in cal.working_weekend_days)


dates = st.dates(min_value=D(2018, 6, 1), max_value=D(2028, 6, 1))


@settings(deadline=None)  # the machine is shared: time per example varies
@given(start=dates, count=st.integers(min_value=0, max_value=400))
def test_add_then_count_gives_back_the_count(start, count):
    end = add_working_days(start, count)
    assert working_days_between(start, end) == count
    if count:
        assert is_working_day(end)


@settings(deadline=None)
@given(start=dates, end=dates)
def test_fast_count_matches_walking_every_day(start, end):
    low, high = min(start, end), max(start, end)
    if (high - low).days > 800:
        high = low + dt.timedelta(days=800)
    walked = sum(
        1 for n in range(1, (high - low).days + 1) if is_working_day(low + dt.timedelta(days=n))
    )
    assert working_days_between(low, high) == walked
    assert working_days_between(high, low) == -walked
