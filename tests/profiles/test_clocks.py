"""Each clock of decisions.md on both profiles, by hand, and each at its boundary:
met on the due date is on time, met a day later is late, and not met by then is overdue."""

import datetime as dt
from collections.abc import Callable

import pytest

from mappa.profiles import clocks
from mappa.profiles.clocks import ClockState, clock_status, state_of
from mappa.profiles.profile import Profile
from mappa.register.rules import deletion_review_date

D = dt.date
ONE = dt.timedelta(days=1)


# state_of / clock_status ------------------------------------------------------------


def test_states_around_a_due_date() -> None:
    due = D(2026, 4, 27)
    # Not met, more than 7 days ahead: not yet due; 7 days or fewer: due soon.
    assert state_of(due, None, D(2026, 4, 19), 7) == ClockState.NOT_YET_DUE
    assert state_of(due, None, D(2026, 4, 20), 7) == ClockState.DUE_SOON
    # On the due date itself it is still only due soon: a day later it is overdue.
    assert state_of(due, None, due, 7) == ClockState.DUE_SOON
    assert state_of(due, None, due + ONE, 7) == ClockState.OVERDUE
    # Met on or before the due date: met, on time.
    status = clock_status(due, due, due + ONE, 7)
    assert (status.state, status.on_time, status.days_late, status.label) == (
        ClockState.MET,
        True,
        0,
        "Met",
    )
    # Met a day late: still "met" (off the worklist), but not on time.
    late = clock_status(due, due + ONE, due + ONE, 7)
    assert (late.state, late.on_time, late.days_late, late.label) == (
        ClockState.MET,
        False,
        1,
        "Met late",
    )
    # Asked about a day before it was met, the item was overdue then.
    earlier = clock_status(due, due + 3 * ONE, due + 2 * ONE, 7)
    assert (earlier.state, earlier.days_late) == (ClockState.OVERDUE, 2)
    # The states are strings for JSON output.
    assert state_of(due, None, due + ONE, 7) == "overdue"


# Each clock at its boundary on both profiles ----------------------------------------

# (name, function of the profile returning the due date, the due date by hand)
CLOCKS: list[tuple[str, Callable[[Profile], dt.date | None], dt.date]] = [
    # Sentence Mon 30 Mar 2026 + 3 calendar days -> Thu 2 Apr 2026.
    ("identification", lambda p: clocks.identification_due(D(2026, 3, 30), p), D(2026, 4, 2)),
    # Release 31 Aug 2026 - 6 months -> 28 Feb 2026 (identified 1 Jan 2026, earlier).
    (
        "referral_custody",
        lambda p: clocks.referral_due(D(2026, 8, 31), False, D(2026, 1, 1), p),
        D(2026, 2, 28),
    ),
    # A PDP: the day identified.
    ("referral_pdp", lambda p: clocks.referral_due(None, True, D(2026, 4, 2), p), D(2026, 4, 2)),
    # Received Thu 2 Apr 2026 + 15 working days -> Mon 27 Apr 2026 (see test_calendar).
    (
        "first_meeting_community",
        lambda p: clocks.first_meeting_due_community(D(2026, 4, 2), p),
        D(2026, 4, 27),
    ),
    # ROTL eligibility 31 Aug 2027 - 6 months -> 28 Feb 2027.
    (
        "first_meeting_custody",
        lambda p: clocks.first_meeting_due_custody(D(2027, 8, 31), D(2027, 12, 31), p).due,
        D(2027, 2, 28),
    ),
    # Level 2 meeting Thu 17 Dec 2026 + 10 working days: Fri 18 (1), Mon 21-Thu 24 (2-5),
    # Fri 25, Sat 26, Sun 27, Mon 28 (substitute) skipped, Tue 29-Thu 31 (6-8),
    # Fri 1 Jan skipped, Mon 4 (9), Tue 5 January 2027 (10).
    ("minutes_level_2", lambda p: clocks.minutes_due(D(2026, 12, 17), 2, p), D(2027, 1, 5)),
    # Level 3 meeting Thu 17 Dec 2026 + 5 working days: Fri 18 (1), Mon 21-Thu 24 (2-5).
    ("minutes_level_3", lambda p: clocks.minutes_due(D(2026, 12, 17), 3, p), D(2026, 12, 24)),
    # Meeting Thu 1 Jan 2026 + 12 weeks (84 days) -> Thu 26 Mar 2026; + 6 weeks -> 12 Feb.
    ("review_level_1", lambda p: clocks.review_due(D(2026, 1, 1), 1, p), D(2026, 3, 26)),
    ("review_level_2", lambda p: clocks.review_due(D(2026, 1, 1), 2, p), D(2026, 3, 26)),
    ("review_level_3", lambda p: clocks.review_due(D(2026, 1, 1), 3, p), D(2026, 2, 12)),
    # Moved to level 1 on 30 Nov 2025, last review 31 Jan 2026 (the later) + 3 months
    # -> 30 Apr 2026 (31 April does not exist).
    (
        "level1_review",
        lambda p: clocks.level1_review_due(D(2025, 11, 30), D(2026, 1, 31), p),
        D(2026, 4, 30),
    ),
    # Last visit 31 Jan 2026: very high +1 month -> 28 Feb 2026; high +3 -> 30 Apr 2026;
    # medium +6 -> 31 Jul 2026; low +12 -> 31 Jan 2027.
    (
        "home_visit_very_high",
        lambda p: clocks.home_visit_due(D(2026, 1, 31), "very_high", p),
        D(2026, 2, 28),
    ),
    ("home_visit_high", lambda p: clocks.home_visit_due(D(2026, 1, 31), "high", p), D(2026, 4, 30)),
    (
        "home_visit_medium",
        lambda p: clocks.home_visit_due(D(2026, 1, 31), "medium", p),
        D(2026, 7, 31),
    ),
    ("home_visit_low", lambda p: clocks.home_visit_due(D(2026, 1, 31), "low", p), D(2027, 1, 31)),
    # Born 17 May 1980: reviewed on 17 May 2080.
    ("deletion_review", lambda p: clocks.deletion_review_due(D(1980, 5, 17), p), D(2080, 5, 17)),
]


@pytest.mark.parametrize(("name", "compute", "expected"), CLOCKS, ids=[c[0] for c in CLOCKS])
def test_each_clock_and_its_boundary(
    each_profile: Profile,
    name: str,
    compute: Callable[[Profile], dt.date | None],
    expected: dt.date,
) -> None:
    due = compute(each_profile)
    assert due == expected
    assert due is not None
    soon = each_profile.due_soon_days
    # Done exactly on the last day: met, on time.
    on_time = clock_status(due, due, due, soon)
    assert on_time.state == ClockState.MET and on_time.on_time
    # Done a day later: met late.
    late = clock_status(due, due + ONE, due + ONE, soon)
    assert late.state == ClockState.MET and late.on_time is False and late.days_late == 1
    # Not done: due soon on the last day, overdue the day after.
    assert state_of(due, None, due, soon) == ClockState.DUE_SOON
    assert state_of(due, None, due + ONE, soon) == ClockState.OVERDUE


def test_every_profile_limit_has_a_boundary_test(each_profile: Profile) -> None:
    assert {c[0] for c in CLOCKS} == {limit.name for limit in each_profile.limits}


# Details of the clocks --------------------------------------------------------------


def test_identification_counts_calendar_days(jersey: Profile) -> None:
    # Sentenced Thu 2 Apr 2026: 3 calendar days -> Sun 5 Apr (Easter does not move it).
    assert clocks.identification_due(D(2026, 4, 2), jersey) == D(2026, 4, 5)


def test_referral_is_due_at_once_when_release_is_near(jersey: Profile) -> None:
    # Release 31 Aug 2026 - 6 months = 28 Feb 2026, but identified on 1 Apr 2026: at once.
    assert clocks.referral_due(D(2026, 8, 31), False, D(2026, 4, 1), jersey) == D(2026, 4, 1)
    # No planned release (in the community): at once.
    assert clocks.referral_due(None, False, D(2026, 4, 1), jersey) == D(2026, 4, 1)
    # Release 31 Aug 2028 - 6 months -> 29 Feb 2028 (a leap year).
    assert clocks.referral_due(D(2028, 8, 31), False, D(2027, 1, 1), jersey) == D(2028, 2, 29)


def test_custody_first_meeting_falls_back_to_earliest_release(jersey: Profile) -> None:
    with_rotl = clocks.first_meeting_due_custody(D(2027, 8, 31), D(2027, 12, 31), jersey)
    assert with_rotl == (D(2027, 2, 28), False)
    # No ROTL date: earliest release 31 Aug 2028 - 6 months -> 29 Feb 2028, flagged.
    due, rotl_missing = clocks.first_meeting_due_custody(None, D(2028, 8, 31), jersey)
    assert (due, rotl_missing) == (D(2028, 2, 29), True)
    assert clocks.first_meeting_due_custody(None, None, jersey) == (None, True)


def test_minutes_have_no_limit_at_level_1(jersey: Profile) -> None:
    with pytest.raises(ValueError, match="levels 2 and 3"):
        clocks.minutes_due(D(2026, 1, 1), 1, jersey)


def test_level1_review_counts_from_the_move_when_no_later_review(jersey: Profile) -> None:
    # Moved 30 Nov 2025, never reviewed: + 3 months -> 28 Feb 2026.
    assert clocks.level1_review_due(D(2025, 11, 30), None, jersey) == D(2026, 2, 28)
    # A review before the move does not count: still from the move.
    assert clocks.level1_review_due(D(2025, 11, 30), D(2025, 10, 1), jersey) == D(2026, 2, 28)


def test_home_visit_from_month_end_into_a_leap_february(jersey: Profile) -> None:
    # Medium risk, last visit 31 Aug 2027: + 6 months -> 29 Feb 2028.
    assert clocks.home_visit_due(D(2027, 8, 31), "medium", jersey) == D(2028, 2, 29)
    with pytest.raises(ValueError):
        clocks.home_visit_due(D(2027, 8, 31), "moderate", jersey)


def test_deletion_review_is_the_registers_rule(jersey: Profile) -> None:
    # Born 29 Feb 2000: 2100 is not a leap year, so the review is on 1 March 2100.
    assert clocks.deletion_review_due(D(2000, 2, 29), jersey) == D(2100, 3, 1)
    assert clocks.deletion_review_due(D(2000, 2, 29), jersey) == deletion_review_date(
        D(2000, 2, 29)
    )
