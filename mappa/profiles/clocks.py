"""One function per clock of decisions.md's table, each returning the due date.

Every function takes the profile whose time limit applies; none holds a number
of its own. The compliance service counts from recorded events and asks
``clock_status`` (or ``state_of``) how each due item stands on a given day.

A thing is on time when it happens on or before its due date. It is *met late*
when it happens after its due date: ``state_of`` still answers ``met`` (the item
is done and no longer on anyone's worklist), and ``clock_status`` answers the same
state with ``on_time=False`` and the number of ``days_late``, which is what a KPI
or an audit of timeliness reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from mappa.profiles.calendar import shift
from mappa.profiles.profile import Profile
from mappa.register.rules import deletion_review_date

RISK_LEVELS = ("very_high", "high", "medium", "low")


class ClockState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"

    @property
    def label(self) -> str:
        return {
            "not_yet_due": "Not yet due",
            "due_soon": "Due soon",
            "overdue": "Overdue",
            "met": "Met",
        }[self.value]


@dataclass(frozen=True)
class ClockStatus:
    state: ClockState
    due: dt.date
    met_on: dt.date | None
    # Only for a met item: True when met on or before the due date.
    on_time: bool | None
    # Days past the due date: for a met item, how late it was met; for an overdue
    # one, how late it is on the day asked about; otherwise 0.
    days_late: int

    @property
    def label(self) -> str:
        if self.state == ClockState.MET and self.on_time is False:
            return "Met late"
        return self.state.label


def clock_status(
    due: dt.date, met_on: dt.date | None, as_of: dt.date, due_soon_days: int
) -> ClockStatus:
    """How an item due on ``due`` stands on ``as_of``.

    Something met after ``as_of`` had not happened yet on that day, so an item can be
    looked at "as at" any past date. "Due soon" is the last ``due_soon_days``
    calendar days up to and including the due date.
    """
    if met_on is not None and met_on <= as_of:
        late = max((met_on - due).days, 0)
        return ClockStatus(ClockState.MET, due, met_on, late == 0, late)
    if as_of > due:
        return ClockStatus(ClockState.OVERDUE, due, None, None, (as_of - due).days)
    if (due - as_of).days <= due_soon_days:
        return ClockStatus(ClockState.DUE_SOON, due, None, None, 0)
    return ClockStatus(ClockState.NOT_YET_DUE, due, None, None, 0)


def state_of(
    due: dt.date, met_on: dt.date | None, as_of: dt.date, due_soon_days: int
) -> ClockState:
    """``not_yet_due``, ``due_soon``, ``overdue`` or ``met`` (see ``clock_status`` for late)."""
    return clock_status(due, met_on, as_of, due_soon_days).state


# The clocks ------------------------------------------------------------------


def identification_due(event_date: dt.date, profile: Profile) -> dt.date:
    """J 3.3: identify within 3 days of sentence, notification order or hospital
    admission or transfer."""
    return shift(event_date, profile.limit("identification"), profile)


def referral_due(
    planned_release: dt.date | None,
    is_pdp: bool,
    identified_on: dt.date,
    profile: Profile,
) -> dt.date:
    """J 3.3: 6 calendar months before the planned release or discharge, or at once
    (the day of identification) if that is nearer; a PDP on the day identified.

    A person with no planned release (already in the community) is "nearer than
    six months" from release, so the referral is due at once.
    """
    if is_pdp:
        return shift(identified_on, profile.limit("referral_pdp"), profile)
    if planned_release is None:
        return identified_on
    due = shift(planned_release, profile.limit("referral_custody"), profile)
    return max(due, identified_on)


def first_meeting_due_community(received_on: dt.date, profile: Profile) -> dt.date:
    """J 10.4: a community case is heard within 15 working days of the co-ordinator
    receiving the referral (day 1 is the next working day)."""
    return shift(received_on, profile.limit("first_meeting_community"), profile)


class CustodyMeetingDue(NamedTuple):
    due: dt.date | None
    # decisions.md: with no ROTL date the earliest release date stands in, and the
    # case shows "ROTL date missing" until the date is recorded.
    rotl_missing: bool


def first_meeting_due_custody(
    rotl_date: dt.date | None, earliest_release: dt.date | None, profile: Profile
) -> CustodyMeetingDue:
    """J 10.4: a custody case is heard no later than 6 calendar months before its
    eligibility for release on temporary licence.

    Returns ``(due, rotl_missing)``; ``due`` is None only when neither date is known.
    """
    limit = profile.limit("first_meeting_custody")
    if rotl_date is not None:
        return CustodyMeetingDue(shift(rotl_date, limit, profile), False)
    if earliest_release is not None:
        return CustodyMeetingDue(shift(earliest_release, limit, profile), True)
    return CustodyMeetingDue(None, True)


def minutes_due(meeting_date: dt.date, level: int, profile: Profile) -> dt.date:
    """J 10.12: minutes within 10 working days (level 2) or 5 (level 3)."""
    if level not in (2, 3):
        raise ValueError(f"Minutes have a time limit at levels 2 and 3, not level {level}")
    return shift(meeting_date, profile.limit(f"minutes_level_{level}"), profile)


def review_due(previous_meeting_date: dt.date, level: int, profile: Profile) -> dt.date:
    """J 10.11: the next meeting no later than 12 weeks (levels 1 and 2) or 6 weeks
    (level 3) after the previous meeting at that level."""
    if level not in (1, 2, 3):
        raise ValueError(f"There is no level {level}")
    return shift(previous_meeting_date, profile.limit(f"review_level_{level}"), profile)


def level1_review_due(
    moved_to_level1_on: dt.date, last_review_on: dt.date | None, profile: Profile
) -> dt.date:
    """J 9.2: the lead agency reviews a level 1 case at least every 3 months, counted
    from the later of the move to level 1 and the last review."""
    basis = max(moved_to_level1_on, last_review_on or moved_to_level1_on)
    return shift(basis, profile.limit("level1_review"), profile)


def home_visit_due(last_visit_on: dt.date, overall_risk: str, profile: Profile) -> dt.date:
    """J 14.9: police home visits to registered sexual offenders, by the overall risk
    level at which the person is managed (never RM2000, Stable/Acute-07 or the level):
    very high monthly, high 3-monthly, medium 6-monthly, low yearly."""
    if overall_risk not in RISK_LEVELS:
        raise ValueError(f"Unknown risk level {overall_risk!r}")
    return shift(last_visit_on, profile.limit(f"home_visit_{overall_risk}"), profile)


def deletion_review_due(date_of_birth: dt.date, profile: Profile) -> dt.date:
    """J 13.3: the 100th anniversary of birth (born 29 February: 1 March in a year
    without one), by the register's own rule, which stores it on each record."""
    # The profile schema holds this limit at 100 years (schema.DELETION_REVIEW_YEARS), so
    # the register's rule is the rule; the profile is taken so every clock reads alike.
    return deletion_review_date(date_of_birth)
