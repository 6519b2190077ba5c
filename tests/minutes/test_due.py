"""Minutes due dates and next review dates across bank holidays, both levels, both
profiles (J 10.11, 10.12), by hand; and the compliance clock's minutes items."""

import datetime as dt

import pytest

from mappa.compliance.items import Kind
from mappa.compliance.services import area_due_items
from mappa.minutes import selectors, services
from mappa.profiles.models import Area
from tests.factories import make_nominal
from tests.minutes.conftest import OPENED, complete, make_item, make_meeting

pytestmark = pytest.mark.django_db

# (profile, meeting day, level, minutes due, next review by)
CASES = [
    # Thursday 8 May 2025; Jersey's Liberation Day is Friday 9 May.
    # Level 3, 5 working days: Jersey 12, 13, 14, 15, 16 May; England 9, 12, 13, 14, 15 May.
    ("jersey-2010", dt.date(2025, 5, 8), 3, dt.date(2025, 5, 16), dt.date(2025, 6, 19)),
    ("england-wales-2012", dt.date(2025, 5, 8), 3, dt.date(2025, 5, 15), dt.date(2025, 6, 19)),
    # Level 2, 10 working days: Jersey 12-16 and 19-23 May; England 9, 12-16, 19-22 May.
    ("jersey-2010", dt.date(2025, 5, 8), 2, dt.date(2025, 5, 23), dt.date(2025, 7, 31)),
    ("england-wales-2012", dt.date(2025, 5, 8), 2, dt.date(2025, 5, 22), dt.date(2025, 7, 31)),
    # Thursday 2 April 2026: Good Friday 3 and Easter Monday 6 April in both.
    # Level 3: 7, 8, 9, 10, 13 April; level 2: 7-10, 13-17, 20 April.
    ("jersey-2010", dt.date(2026, 4, 2), 3, dt.date(2026, 4, 13), dt.date(2026, 5, 14)),
    ("england-wales-2012", dt.date(2026, 4, 2), 3, dt.date(2026, 4, 13), dt.date(2026, 5, 14)),
    ("jersey-2010", dt.date(2026, 4, 2), 2, dt.date(2026, 4, 20), dt.date(2026, 6, 25)),
    ("england-wales-2012", dt.date(2026, 4, 2), 2, dt.date(2026, 4, 20), dt.date(2026, 6, 25)),
]


@pytest.mark.parametrize(("profile", "day", "level", "due", "review"), CASES)
def test_minutes_due_and_next_review(cast, case_nominal, profile, day, level, due, review) -> None:
    Area.objects.filter(is_current=True).update(profile_key=profile)
    item = make_item(make_meeting(day, level, chair=cast.chair), case_nominal)
    found = [i for i in selectors.due_items(day) if i.kind == Kind.MINUTES]
    assert [(i.basis_date, i.level, i.due, i.met_on) for i in found] == [(day, level, due, None)]
    minutes = services.minutes_start(actor=cast.personas.administrator, agenda_item=item)
    assert services.minutes_due_on(minutes) == due
    assert minutes.next_meeting_date == review


def test_distribution_meets_the_clock_and_a_late_one_is_met_late(
    cast, case_nominal, started
) -> None:
    personas = cast.personas
    day = dt.date(2026, 4, 2)
    minutes = complete(personas.administrator, started(day), personas)
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    services.minutes_distribute(
        actor=personas.administrator, minutes=minutes, on=dt.date(2026, 4, 21)
    )
    rows = [e for e in area_due_items(dt.date(2026, 4, 22)) if e.item.kind == Kind.MINUTES]
    assert len(rows) == 1
    assert rows[0].item.met_on == dt.date(2026, 4, 21)
    assert rows[0].met_late and rows[0].status.days_late == 1
    # Asked about the due date itself, before distribution, they were due soon; the
    # next day, overdue.
    on_due = [e for e in area_due_items(dt.date(2026, 4, 20)) if e.item.kind == Kind.MINUTES]
    assert on_due[0].state == "due_soon"


def test_minutes_items_take_a_fixed_number_of_queries(
    cast, personas, django_assert_max_num_queries
) -> None:
    day = dt.date(2026, 4, 2)
    meeting = make_meeting(day, 2, chair=cast.chair)
    for index in range(12):
        nominal = make_nominal(
            personas.coordinator,
            family_name=f"Person{index}",
            lead_agency=personas.probation,
            opened_on=OPENED,
        )
        make_item(meeting, nominal)
    with django_assert_max_num_queries(8):
        items = selectors.due_items(dt.date(2026, 4, 10))
    assert len([i for i in items if i.kind == Kind.MINUTES]) == 12


def test_a_meeting_not_held_yet_or_cancelled_owes_no_minutes(cast, case_nominal) -> None:
    make_item(
        make_meeting(dt.date(2026, 4, 2), 2, chair=cast.chair, status="cancelled"), case_nominal
    )
    assert [i for i in selectors.due_items(dt.date(2026, 4, 10)) if i.kind == Kind.MINUTES] == []
