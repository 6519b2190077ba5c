"""Working-day and month arithmetic, with every expectation worked by hand in a comment.

Day 1 is the working day after the event; weekends and the profile's public holidays
(from the holidays package, substitute days included) are skipped.
"""

import datetime as dt

import pytest

from mappa.profiles.calendar import (
    add_calendar_days,
    add_months,
    add_weeks,
    add_working_days,
    add_years,
    holiday_name,
    holidays_in,
    is_working_day,
    subtract_months,
)
from mappa.profiles.profile import Profile

D = dt.date


# What the holidays package gives (the calendar every clock relies on) -------------


def test_jersey_calendar_has_easter_liberation_day_and_christmas_substitutes(
    jersey: Profile,
) -> None:
    days = holidays_in(2026, jersey)
    assert days[D(2026, 4, 3)] == "Good Friday"
    assert days[D(2026, 4, 6)] == "Easter Monday"
    # 9 May 2026 is a Saturday: the package lists Liberation Day on the Saturday itself
    # and gives no substitute weekday, so Monday 11 May 2026 is a working day.
    assert days[D(2026, 5, 9)] == "Liberation Day"
    assert D(2026, 5, 11) not in days
    assert is_working_day(D(2026, 5, 11), jersey)
    # 25 Dec 2026 is a Friday, 26 Dec a Saturday: Boxing Day moves to Monday 28 Dec.
    assert D(2026, 12, 25) in days
    assert D(2026, 12, 28) in days
    # 9 May 2027 is a Sunday: the package lists no Liberation Day at all that year.
    assert not any(name == "Liberation Day" for name in holidays_in(2027, jersey).values())
    # 9 May 2028 is a Tuesday: a holiday in Jersey only.
    assert holiday_name(D(2028, 5, 9), jersey) == "Liberation Day"


def test_england_calendar_has_no_liberation_day(england: Profile) -> None:
    assert holiday_name(D(2026, 4, 3), england) == "Good Friday"
    assert holiday_name(D(2028, 5, 9), england) is None
    assert is_working_day(D(2028, 5, 9), england)
    assert D(2026, 12, 28) in holidays_in(2026, england)


@pytest.mark.parametrize(
    ("year", "days"),
    [
        # 2026: 25 Fri, 26 Sat -> substitute Monday 28 December.
        (2026, [D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 28)]),
        # 2027: 25 Sat, 26 Sun -> substitutes Monday 27 and Tuesday 28 December.
        (2027, [D(2027, 12, 25), D(2027, 12, 26), D(2027, 12, 27), D(2027, 12, 28)]),
    ],
)
def test_christmas_substitute_days_on_both_profiles(
    each_profile: Profile, year: int, days: list[dt.date]
) -> None:
    found = holidays_in(year, each_profile)
    assert all(day in found for day in days)
    assert not is_working_day(days[-1], each_profile)


# add_working_days -------------------------------------------------------------------


def test_required_example_community_referral_over_easter_2026(jersey: Profile) -> None:
    # Received Thursday 2 April 2026. Fri 3 Apr Good Friday, Sat 4, Sun 5, Mon 6 Easter
    # Monday are skipped. Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5),
    # Tue 14 (6), Wed 15 (7), Thu 16 (8), Fri 17 (9), Mon 20 (10), Tue 21 (11),
    # Wed 22 (12), Thu 23 (13), Fri 24 (14), Mon 27 April (15).
    assert add_working_days(D(2026, 4, 2), 15, jersey) == D(2026, 4, 27)


def test_easter_2026_is_the_same_in_england(england: Profile) -> None:
    # England has Good Friday and Easter Monday too: the same count as above.
    assert add_working_days(D(2026, 4, 2), 15, england) == D(2026, 4, 27)


def test_counting_back_over_easter(each_profile: Profile) -> None:
    # From Mon 27 Apr 2026 back 15: Fri 24 (1) ... Tue 7 (14), skip Mon 6 and Fri 3
    # (Easter), Thu 2 April (15).
    assert add_working_days(D(2026, 4, 27), -15, each_profile) == D(2026, 4, 2)


def test_liberation_day_on_a_tuesday_differs_between_profiles(
    jersey: Profile, england: Profile
) -> None:
    # Mon 8 May 2028 + 1 working day: Jersey skips Tue 9 May (Liberation Day) -> Wed 10.
    assert add_working_days(D(2028, 5, 8), 1, jersey) == D(2028, 5, 10)
    # England has no holiday on 9 May -> Tue 9 May.
    assert add_working_days(D(2028, 5, 8), 1, england) == D(2028, 5, 9)
    # 15 working days from Mon 8 May 2028.
    # Jersey: Wed 10 (1), Thu 11 (2), Fri 12 (3), Mon 15-Fri 19 (4-8), Mon 22-Fri 26
    # (9-13), Mon 29 Spring Bank Holiday skipped, Tue 30 (14), Wed 31 May (15).
    assert add_working_days(D(2028, 5, 8), 15, jersey) == D(2028, 5, 31)
    # England: Tue 9 (1) ... Fri 12 (4), 15-19 (5-9), 22-26 (10-14), 29 skipped,
    # Tue 30 May (15).
    assert add_working_days(D(2028, 5, 8), 15, england) == D(2028, 5, 30)


def test_liberation_day_on_a_saturday_changes_nothing(each_profile: Profile) -> None:
    # Fri 8 May 2026 + 1: Sat 9 (Liberation Day in Jersey, a weekend anyway), Sun 10,
    # no substitute day -> Mon 11 May on both profiles.
    assert add_working_days(D(2026, 5, 8), 1, each_profile) == D(2026, 5, 11)


def test_christmas_2026_and_the_year_end(each_profile: Profile) -> None:
    # Thu 24 Dec 2026 + 1: Fri 25 Christmas, Sat 26, Sun 27, Mon 28 (Boxing Day
    # substitute) skipped -> Tue 29 December.
    assert add_working_days(D(2026, 12, 24), 1, each_profile) == D(2026, 12, 29)
    # + 5: Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan New Year's Day skipped,
    # Sat 2, Sun 3, Mon 4 (4), Tue 5 January 2027 (5).
    assert add_working_days(D(2026, 12, 24), 5, each_profile) == D(2027, 1, 5)


def test_christmas_2027_two_substitute_days(each_profile: Profile) -> None:
    # Fri 24 Dec 2027 + 1: Sat 25, Sun 26, Mon 27 and Tue 28 (substitutes) -> Wed 29.
    assert add_working_days(D(2027, 12, 24), 1, each_profile) == D(2027, 12, 29)


def test_new_year_2028_substitute_day(each_profile: Profile) -> None:
    # Fri 31 Dec 2027 + 1: Sat 1 Jan 2028 (New Year's Day), Sun 2, Mon 3 (substitute)
    # -> Tue 4 January 2028.
    assert add_working_days(D(2027, 12, 31), 1, each_profile) == D(2028, 1, 4)


def test_weekends(each_profile: Profile) -> None:
    # Fri 6 Mar 2026 + 1 -> Mon 9 Mar; + 5 -> Fri 13 Mar.
    assert add_working_days(D(2026, 3, 6), 1, each_profile) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 6), 5, each_profile) == D(2026, 3, 13)
    # An event on a Saturday: day 1 is still the next working day, Mon 9 Mar.
    assert add_working_days(D(2026, 3, 7), 1, each_profile) == D(2026, 3, 9)
    # Zero working days is the day itself, whatever day it is.
    assert add_working_days(D(2026, 3, 7), 0, each_profile) == D(2026, 3, 7)


def test_month_end_and_leap_day(each_profile: Profile) -> None:
    # Fri 30 Jan 2026 + 1 -> Mon 2 Feb 2026.
    assert add_working_days(D(2026, 1, 30), 1, each_profile) == D(2026, 2, 2)
    # Mon 28 Feb 2028 + 1 -> Tue 29 Feb 2028 (a leap day is an ordinary working day).
    assert add_working_days(D(2028, 2, 28), 1, each_profile) == D(2028, 2, 29)
    # Fri 25 Feb 2028 + 3: Mon 28 (1), Tue 29 (2), Wed 1 March (3).
    assert add_working_days(D(2028, 2, 25), 3, each_profile) == D(2028, 3, 1)


def test_extra_closures_from_the_profile_are_skipped(jersey: Profile) -> None:
    settings = {
        **jersey.settings,
        "calendar": {
            "country": "JE",
            "subdivision": None,
            "extra_closures": [{"date": "2026-03-09", "name": "Office move"}],
        },
    }
    closed = Profile.from_settings(
        key="x", version=1, name="x", effective_from=D(2011, 1, 1), settings=settings
    )
    # Fri 6 Mar 2026 + 1: Mon 9 is closed -> Tue 10 March.
    assert add_working_days(D(2026, 3, 6), 1, closed) == D(2026, 3, 10)
    assert holiday_name(D(2026, 3, 9), closed) == "Office move"


# Calendar days, weeks, months -------------------------------------------------------


def test_calendar_days_and_weeks_ignore_holidays() -> None:
    # Tue 29 Dec 2026 + 3 calendar days -> Fri 1 Jan 2027 (a holiday, still the date).
    assert add_calendar_days(D(2026, 12, 29), 3) == D(2027, 1, 1)
    # Sat 26 Dec 2026 + 6 weeks (42 days): 5 days to 31 Dec, 31 to 31 Jan, 6 more
    # -> Sat 6 Feb 2027.
    assert add_weeks(D(2026, 12, 26), 6) == D(2027, 2, 6)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # 31 Aug + 6 months = 31 Feb, clamped to the last day of February.
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # 2028 is a leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 1, 31), 3, D(2026, 4, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # across the year end
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # leap day + a year
        (D(2028, 2, 29), 48, D(2032, 2, 29)),  # to the next leap year
    ],
)
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 8, 31), 6, D(2026, 2, 28)),
        (D(2028, 8, 31), 6, D(2028, 2, 29)),
        (D(2027, 1, 15), 1, D(2026, 12, 15)),  # back across the year end
        (D(2026, 3, 31), 1, D(2026, 2, 28)),
    ],
)
def test_subtract_months_clamps_to_month_end(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert subtract_months(start, months) == expected


def test_add_years_is_twelve_months() -> None:
    assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
    assert add_years(D(1980, 5, 17), 100) == D(2080, 5, 17)
