"""A small register with a missed level 3 review KPI, for the dashboard's tests.

T = today. M0 = T - 50 days; the level 3 review interval is 6 weeks (jersey-2010), so
a case discussed at a level 3 meeting on M0 is due for review on D = M0 + 42 = T - 8.

    X  "Daniel RENOUF", cat 2, level 3 since T - 1 year, lead probation:
       discussed at level 3 on M0, never again           review due D: missed (not held)
    Y  "Amy LE BRUN", cat 2, level 3 since T - 1 year, lead police:
       discussed at level 3 on M0 and on D               review due D: met (on the day)
    Z  "Paul VIBERT", cat 1, level 2, lead probation     no level 3 due
    W  "Old LEAVER", cat 3, level 2, archived T - 100 days (population: archived)

Period P = D - 5 .. T (both reviews fall due in it; the next ones, D + 42, after T):
    level3_reviews_on_time = 1 of 2 = 50%, target 90%: missed by 40 points (red)
    level2_reviews_on_time: nothing due (Z was never discussed at level 2... its review
        counts from the day it came to level 2, a year ago, but the KPI counts only
        reviews after a level 2 *meeting*): no items
    disclosure_considered: Y's discussion on D is in P and has no minutes: 0 of 1, missed
    smb_attendance, meeting_attendance: nothing to count (no seats, no invitations)

Population (active): cat 2 level 3 = X, Y (2); cat 1 level 2 = Z (1). Archived: cat 3
level 2 = W (1).
"""

import datetime as dt
from dataclasses import dataclass

from mappa.common.dates import today
from mappa.meetings.models import AgendaItem, Meeting, MeetingStatus
from mappa.register import services
from mappa.register.models import Case, Nominal
from tests.conftest import Personas
from tests.factories import make_nominal


@dataclass
class Scene:
    today: dt.date
    m0: dt.date
    due: dt.date
    start: dt.date
    x: Nominal
    y: Nominal
    z: Nominal
    w: Nominal

    @property
    def x_case(self) -> Case:
        return self.x.cases.get()

    @property
    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.today.isoformat()}


def meeting(level: int, on: dt.date) -> Meeting:
    return Meeting.objects.create(
        level=level, date=on, start_time=dt.time(10, 0), status=MeetingStatus.HELD
    )


def discuss(at: Meeting, nominal: Nominal) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=at, case=nominal.cases.get(), kind="review", discussed=True
    )


def person(personas: Personas, given: str, family: str, **extra: object) -> Nominal:
    return make_nominal(
        personas.coordinator,
        given_names=given,
        family_name=family,
        opened_on=today() - dt.timedelta(days=365),
        **extra,  # type: ignore[arg-type]
    )


def build(
    personas: Personas, *, extra_level3: int = 0, tag: str = "", registered: int = 0
) -> Scene:
    """The scene above; ``extra_level3`` adds that many more level 3 cases discussed on
    M0 and never again (more missed reviews), for the query-count tests. ``tag`` names
    a second scene built beside the first (it adds only the extra cases, and
    ``registered`` category 1 cases at level 2, whose home visits the clock follows)."""
    day = today()
    m0 = day - dt.timedelta(days=50)
    due = m0 + dt.timedelta(weeks=6)
    if tag:
        first = meeting(3, m0)
        for n in range(extra_level3):
            more = person(personas, f"{tag}{n}", "Person", level=3, lead_agency=personas.police)
            discuss(first, more)
        for n in range(registered):
            person(
                personas, f"{tag}{n}", "Visited", category="1", level=2, lead_agency=personas.police
            )
        return Scene(day, m0, due, due - dt.timedelta(days=5), *([Nominal()] * 4))
    x = person(personas, "Daniel", "Renouf", level=3, lead_agency=personas.probation)
    y = person(personas, "Amy", "Le Brun", level=3, lead_agency=personas.police)
    z = person(personas, "Paul", "Vibert", category="1", level=2, lead_agency=personas.probation)
    w = person(personas, "Old", "Leaver", category="3", level=2, lead_agency=personas.police)
    services.nominal_archive(
        actor=personas.coordinator,
        nominal=w,
        reason="Left MAPPA",
        effective_on=day - dt.timedelta(days=100),
    )
    first = meeting(3, m0)
    discuss(first, x)
    discuss(first, y)
    discuss(meeting(3, due), y)
    for n in range(extra_level3):
        more = person(personas, f"Extra{n}", "Person", level=3, lead_agency=personas.probation)
        discuss(first, more)
    return Scene(day, m0, due, due - dt.timedelta(days=5), x, y, z, w)
