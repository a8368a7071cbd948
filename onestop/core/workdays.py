"""Working days in mainland China: weekends, public holidays (放假), worked weekend days (调休上班).

The calendar is ``onestop/core/data/cn_holidays.json``, copied from the State Council General
Office's yearly notices (关于YYYY年部分节假日安排的通知) and their amendments; the file keeps its
own source notes (``source_notes``, ``legal_basis``, ``special_entries``). It holds the effective
arrangement after amendments, e.g. the 2020 Spring Festival extension to 2 February.

Time limits under the Administrative Licensing Law (行政许可法, art. 42 and following) are counted
in working days, starting the day after the application is received: ``add_working_days(start, n)``
is the n-th working day after ``start``.

Outside the years the calendar covers, only Saturdays and Sundays are days off: holidays not yet
announced cannot be known. ``calendar_covers(day)`` tells callers when that is the case so they can
warn that a due date may move once the State Council publishes that year's notice.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CALENDAR_FILE = Path(__file__).resolve().parent / "data" / "cn_holidays.json"


@dataclass(frozen=True)
class HolidayCalendar:
    days_off: frozenset[dt.date]  # public holidays, including the weekend days inside a break
    working_weekend_days: frozenset[dt.date]  # Saturdays/Sundays declared working days
    first_year: int
    last_year: int
    # Sorted lists for counting in ranges without walking every day.
    weekday_days_off: tuple[dt.date, ...]
    sorted_working_weekend_days: tuple[dt.date, ...]
    names: dict[dt.date, tuple[str, str]]  # day -> (name_zh, name_en)


@lru_cache(maxsize=1)
def calendar() -> HolidayCalendar:
    """The holiday calendar, read once per process."""
    data = json.loads(CALENDAR_FILE.read_text(encoding="utf-8"))
    days_off: set[dt.date] = set()
    working: set[dt.date] = set()
    names: dict[dt.date, tuple[str, str]] = {}
    for year in data["years"].values():
        for holiday in year["holidays"]:
            for text in set(holiday["dates"]) | set(holiday.get("break_dates", [])):
                day = dt.date.fromisoformat(text)
                days_off.add(day)
                names[day] = (holiday["name_zh"], holiday["name_en"])
        for text in year["adjusted_working_days"]:
            working.add(dt.date.fromisoformat(text))
    overlap = days_off & working
    if overlap:  # pragma: no cover - guards the data file, checked by a test
        raise ValueError(f"{CALENDAR_FILE.name}: days both off and worked: {sorted(overlap)}")
    years = [int(key) for key in data["years"]]
    return HolidayCalendar(
        days_off=frozenset(days_off),
        working_weekend_days=frozenset(working),
        first_year=min(years),
        last_year=max(years),
        weekday_days_off=tuple(sorted(d for d in days_off if d.weekday() < 5)),
        sorted_working_weekend_days=tuple(sorted(working)),
        names=names,
    )


def _as_date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


def calendar_covers(day: dt.date) -> bool:
    """True when the holiday calendar knows the official arrangement for ``day``'s year.

    For other years only weekends count as days off; callers should say so to the user.
    """
    cal = calendar()
    return cal.first_year <= _as_date(day).year <= cal.last_year


def calendar_years() -> tuple[int, int]:
    """First and last year of the holiday calendar."""
    cal = calendar()
    return cal.first_year, cal.last_year


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day: a weekday that is no holiday, or a worked weekend day."""
    day = _as_date(day)
    cal = calendar()
    if day in cal.working_weekend_days:
        return True
    if day in cal.days_off:
        return False
    return day.weekday() < 5


def holiday_name(day: dt.date) -> tuple[str, str] | None:
    """(Chinese, English) name of the public holiday ``day`` belongs to, or None."""
    return calendar().names.get(_as_date(day))


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (counting starts the day after ``start``).

    ``count`` 0 gives ``start`` itself. Negative counts go backwards: the ``-count``-th working
    day before ``start``.
    """
    day = _as_date(start)
    if count == 0:
        return day
    step = dt.timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def _weekdays_in(start: dt.date, end: dt.date) -> int:
    """Number of Monday-Friday days d with start < d <= end (start <= end)."""
    total_days = (end - start).days
    full_weeks, rest = divmod(total_days, 7)
    count = full_weeks * 5
    weekday = start.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def _in_range(items: tuple[dt.date, ...], start: dt.date, end: dt.date) -> int:
    """Number of items with start < item <= end."""
    return bisect.bisect_right(items, end) - bisect.bisect_right(items, start)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with ``start < d <= end``; negative when ``end`` is before ``start``.

    ``working_days_between(start, add_working_days(start, n)) == n`` for every n.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    cal = calendar()
    return (
        _weekdays_in(start, end)
        - _in_range(cal.weekday_days_off, start, end)
        + _in_range(cal.sorted_working_weekend_days, start, end)
    )


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    day = _as_date(day)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
