"""The shape of one due item of the compliance clock (issue 4 point 6).

Every app that owns a time limit contributes a function returning ``DueItem``s; the
compliance service gathers them for the worklist, the person's page, the API and
``manage.py compliance``.
"""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    IDENTIFICATION = "identification"
    REFERRAL = "referral"
    FIRST_MEETING = "first_meeting"
    REVIEW = "review"
    MINUTES = "minutes"
    LEVEL1_REVIEW = "level1_review"
    HOME_VISIT = "home_visit"


KIND_LABELS = {
    Kind.IDENTIFICATION: "Identification",
    Kind.REFERRAL: "Referral",
    Kind.FIRST_MEETING: "First meeting",
    Kind.REVIEW: "Review meeting",
    Kind.MINUTES: "Minutes",
    Kind.LEVEL1_REVIEW: "Level 1 review",
    Kind.HOME_VISIT: "Home visit",
}


@dataclass(frozen=True)
class DueItem:
    """One thing due on one case.

    ``basis_event`` / ``basis_date``: the event the due date is counted from.
    ``met_on``: when it was done (None while outstanding).
    ``agency_id``: the agency responsible (for the agency worklist).
    """

    case_id: Any
    case_reference: str
    nominal_id: Any
    level: int | None
    kind: Kind
    basis_event: str
    basis_date: dt.date
    due: dt.date
    met_on: dt.date | None = None
    agency_id: int | None = None
    note: str = ""
    link: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
