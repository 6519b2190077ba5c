"""The audit's queries do not grow with a case's history (or a meeting's agenda)."""

import datetime as dt

import pytest
from django.urls import reverse

from mappa.assessments.models import HomeVisit
from mappa.minutes.models import ActionReview, ActionState, Level1Review, MinutesStatus
from mappa.register.models import Case
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.quality.conftest import (
    Built,
    add_action,
    attended,
    discuss,
    invite,
    meeting_on,
    write_minutes,
)

pytestmark = pytest.mark.django_db

# One bound for every history, short or long: measured at 36 (SQLite) and 37
# (PostgreSQL, which adds the audit chain's advisory lock) for a practitioner, whose
# links are decided by four visibility queries; the meeting page one more.
CASE_PAGE = 37
MEETING_PAGE = 38


def _long_history(personas: Personas, meetings: int = 12) -> Case:
    """A category 1 case discussed every four weeks for over a year: minutes (some
    late), three actions each (one late, one not completed), standing and case
    invitations with attendance, level 1 reviews and home visits in between."""
    nominal = make_nominal(
        personas.coordinator,
        family_name="Boscawen",
        category="1",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=dt.date(2025, 1, 6),
    )
    case = nominal.cases.get()
    previous = None
    for n in range(meetings):
        day = dt.date(2025, 1, 6) + dt.timedelta(weeks=4 * n)
        meeting = meeting_on(day)
        item = discuss(meeting, case)
        invite(meeting, personas.police)
        invite(meeting, personas.probation)
        invite(meeting, personas.housing, item)
        attended(item, personas.police, "in_person")
        attended(item, personas.housing, "apologies")
        minutes = write_minutes(
            item,
            status=MinutesStatus.DISTRIBUTED,
            disclosure="no" if n % 2 else "",
            disclosure_reasons="Reasons",
            rosh="high",
            distributed_on=day + dt.timedelta(days=20 if n % 3 else 5),
        )
        late = add_action(
            minutes,
            1,
            personas.police,
            due_date=day + dt.timedelta(days=7),
            state=ActionState.COMPLETED,
            completed_on=day + dt.timedelta(days=9),
            protects_victims=True,
        )
        add_action(minutes, 2, personas.housing, due_date=day + dt.timedelta(days=14))
        add_action(
            minutes,
            3,
            personas.probation,
            due_date=day + dt.timedelta(days=10),
            state=ActionState.NOT_COMPLETED,
        )
        if previous is not None:
            ActionReview.objects.create(minutes=minutes, action=previous, completed="no")
        previous = late
        Level1Review.objects.create(
            case=case,
            review_date=day + dt.timedelta(days=3),
            agency=personas.probation,
            reviewed_by=personas.owner,
            new_information="None",
        )
        HomeVisit.objects.create(
            nominal=nominal,
            visited_on=day + dt.timedelta(days=2),
            officers="PC Le Brocq",
            announced=False,
            outcome="seen",
        )
    return case


def _count(client, address: str, django_assert_max_num_queries, bound: int) -> None:
    with django_assert_max_num_queries(bound):
        response = client.get(address)
    assert response.status_code == 200


@pytest.mark.parametrize("user", ["coordinator", "owner", "smb_member"])
def test_case_page_queries_do_not_grow(
    client, clean_case: Built, personas: Personas, django_assert_max_num_queries, user: str
) -> None:
    long = _long_history(personas)
    sign_in(client, getattr(personas, user))
    for case in (clean_case.case, long):
        _count(
            client,
            reverse("quality:case", args=[case.pk]),
            django_assert_max_num_queries,
            CASE_PAGE,
        )
        _count(
            client,
            f"/api/v1/quality/cases/{case.pk}/",
            django_assert_max_num_queries,
            CASE_PAGE,
        )


def test_the_long_history_has_findings_of_every_kind(personas: Personas) -> None:
    from mappa.quality.selectors import case_audit

    audit = case_audit(_long_history(personas, meetings=4), dt.date(2025, 6, 30))
    assert audit.time_limits and audit.actions and audit.disclosure and audit.attendance


def test_meeting_page_queries_do_not_grow_with_history(
    client, clean_case: Built, personas: Personas, django_assert_max_num_queries
) -> None:
    long = _long_history(personas)
    latest = long.agenda_items.select_related("meeting").latest("meeting__date").meeting
    sign_in(client, personas.owner)
    for meeting in (clean_case.first, latest):
        _count(
            client,
            reverse("quality:meeting", args=[meeting.pk]),
            django_assert_max_num_queries,
            MEETING_PAGE,
        )


def test_area_list_queries_do_not_grow_with_history(
    client, clean_case: Built, personas: Personas, django_assert_max_num_queries
) -> None:
    sign_in(client, personas.coordinator)
    address = (
        reverse("quality:area")
        + "?start-day=1&start-month=1&start-year=2025&end-day=30&end-month=6&end-year=2026"
    )
    _count(client, address, django_assert_max_num_queries, CASE_PAGE)
    _long_history(personas)
    _count(client, address, django_assert_max_num_queries, CASE_PAGE)
