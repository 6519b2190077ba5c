"""The first meeting's deadline for a referral, by the area's jurisdiction profile (J 10.4)."""

import datetime as dt

from mappa.profiles import clocks
from mappa.profiles.selectors import current_profile
from mappa.referrals.models import Custody, Referral


def first_meeting_deadline(referral: Referral) -> tuple[dt.date | None, bool]:
    """``(due, rotl_missing)``: 15 working days from receipt for a community case; for a
    custody case 6 months before eligibility for release on temporary licence (the
    earliest release date stands in when that is missing). An emergency meeting needed
    sooner brings the date forward."""
    received = referral.received_on
    if received is None:
        return None, False
    profile = current_profile(received)
    rotl_missing = False
    due: dt.date | None
    if referral.custody == Custody.CUSTODY:
        sentence = referral.nominal.sentences.order_by("-sentence_date").first()
        detention = referral.nominal.detentions.order_by("-admitted_on").first()
        earliest = None
        if sentence is not None:
            earliest = min(
                (
                    d
                    for d in (
                        sentence.release_date,
                        sentence.parole_eligibility_date,
                        sentence.hdc_date,
                    )
                    if d
                ),
                default=None,
            )
        if earliest is None and detention is not None:
            earliest = detention.earliest_discharge_date
        custody_due = clocks.first_meeting_due_custody(
            sentence.rotl_eligibility_date if sentence else None, earliest, profile
        )
        due, rotl_missing = custody_due.due, custody_due.rotl_missing
        if due is None:
            # No release date known at all: hear it as a community case would be heard.
            due = clocks.first_meeting_due_community(received, profile)
    else:
        due = clocks.first_meeting_due_community(received, profile)
    if referral.emergency_meeting and referral.emergency_needed_by:
        due = min(due, referral.emergency_needed_by) if due else referral.emergency_needed_by
    return due, rotl_missing
