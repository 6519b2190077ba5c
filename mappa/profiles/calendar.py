"""Date arithmetic for every clock: working days, calendar days, weeks and months.

Rules (decisions.md, "Clocks"):

- Day 1 is the day after the event. ``add_working_days(event, 15, profile)`` is the
  15th working day after the event, never counting the event's own day.
- Working days are Monday to Friday, less the profile's public holidays from the
  ``holidays`` package (``JE`` for Jersey, ``GB``/``ENG`` for England and Wales),
  including the substitute days it gives (Boxing Day on a Saturday moves the
  holiday to Monday 28 December), and less any extra closures the profile lists.
  A holiday that falls on a weekend is not a working day anyway; the package
  decides whether it also gives a substitute day (it gives none for Jersey's
  Liberation Day on a Saturday: 9 May 2026).
- Months are calendar months clamped to the end of the month: 31 August + 6
  months is 28 February (29 February in a leap year).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from functools import lru_cache

import holidays

from mappa.profiles.profile import Profile, TimeLimit

_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _public_holidays(country: str, subdivision: str | None, year: int) -> dict[dt.date, str]:
    """One year's public holidays, cached: the rules of a past year do not change."""
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return dict(found.items())


def holidays_in(year: int, profile: Profile) -> dict[dt.date, str]:
    """The profile's non-working days (other than weekends) in ``year``, with their names."""
    days = dict(_public_holidays(profile.calendar_country, profile.calendar_subdivision, year))
    for closure in profile.extra_closures:
        if closure.date.year == year:
            days[closure.date] = closure.name
    return days


def holiday_name(day: dt.date, profile: Profile) -> str | None:
    return holidays_in(day.year, profile).get(day)


def is_working_day(day: dt.date, profile: Profile) -> bool:
    return day.weekday() < 5 and day not in holidays_in(day.year, profile)


def add_working_days(start: dt.date, n: int, profile: Profile) -> dt.date:
    """The ``n``th working day after ``start`` (day 1 is the next working day after it).

    A negative ``n`` counts back: -1 is the last working day before ``start``.
    ``n == 0`` is ``start`` itself, whatever kind of day it is.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day, profile):
            remaining -= 1
    return day


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    return start + dt.timedelta(days=n)


def add_weeks(start: dt.date, n: int) -> dt.date:
    return start + dt.timedelta(weeks=n)


def add_months(start: dt.date, n: int) -> dt.date:
    """Calendar months, clamped to the month's end (31 August + 6 = 28 or 29 February)."""
    index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def subtract_months(start: dt.date, n: int) -> dt.date:
    """Calendar months back, clamped the same way (31 August - 6 = 28 or 29 February)."""
    return add_months(start, -n)


def add_years(start: dt.date, n: int) -> dt.date:
    """Whole years as twelve calendar months (29 February + 1 year = 28 February)."""
    return add_months(start, 12 * n)


def shift(day: dt.date, limit: TimeLimit, profile: Profile) -> dt.date:
    """Apply a profile time limit to ``day`` in its own direction and unit."""
    amount = limit.amount if limit.direction == "after" else -limit.amount
    if limit.unit == "working_days":
        return add_working_days(day, amount, profile)
    if limit.unit == "calendar_days":
        return add_calendar_days(day, amount)
    if limit.unit == "weeks":
        return add_weeks(day, amount)
    if limit.unit == "months":
        return add_months(day, amount)
    if limit.unit == "years":
        return add_years(day, amount)
    raise ValueError(f"Unknown unit {limit.unit!r}")
