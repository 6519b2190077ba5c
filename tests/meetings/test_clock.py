"""The agenda the clock proposes: first meetings by their deadline (J 10.4), reviews
within 12 weeks at level 2 and 6 at level 3 (J 10.11), and the compliance items."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.common.dates import today
from mappa.compliance.items import Kind
from mappa.meetings import selectors, services
from mappa.meetings.models import DiscussionKind, MeetingStatus
from mappa.register.models import Case
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.meetings.conftest import accepted_referral, discussed, make_meeting

pytestmark = pytest.mark.django_db


def _case(nominal) -> Case:
    return Case.objects.get(nominal=nominal, closed_on__isnull=True)


def _older_case(personas: Personas, name: str, *, level: int = 2, days: int = 400) -> Case:
    nominal = make_nominal(
        personas.coordinator,
        family_name=name,
        level=level,
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=today() - dt.timedelta(days=days),
    )
    return _case(nominal)


def test_new_referral_is_placed_on_the_last_meeting_before_its_deadline(
    personas: Personas, nominal, chair
) -> None:
    referral = accepted_referral(personas, nominal)
    deadline = referral.first_meeting_due
    assert deadline is not None and deadline > today()
    before = make_meeting(days=2, chair=chair)
    last_in_time = make_meeting(
        days=(deadline - today()).days, chair=chair
    )  # on the day is on time
    make_meeting(days=(deadline - today()).days + 1, chair=chair)  # one day late
    make_meeting(level=3, days=(deadline - today()).days - 1)  # another level
    due = selectors.cases_due(2, deadline + dt.timedelta(days=60))
    assert [d.case.pk for d in due] == [referral.case_id]
    assert due[0].kind == DiscussionKind.FIRST and due[0].due == deadline
    assert due[0].meeting == last_in_time and due[0].meeting != before
    assert due[0].fits and due[0].problem == ""
    assert selectors.proposals_for(last_in_time)[0].case.pk == referral.case_id
    assert selectors.proposals_for(before) == []


def test_no_meeting_before_the_deadline_is_flagged_with_an_emergency_meeting(
    personas: Personas, nominal, chair
) -> None:
    referral = accepted_referral(personas, nominal)
    referral.first_meeting_due = today() + dt.timedelta(days=3)
    referral.save()
    next_one = make_meeting(days=10, chair=chair)
    due = selectors.cases_due(2, today() + dt.timedelta(days=30))
    assert len(due) == 1 and not due[0].fits
    assert due[0].next_meeting == next_one
    assert "arrange an emergency meeting" in due[0].problem
    days, unplaced = selectors.panel_days(today(), today() + dt.timedelta(days=30))
    assert [u.case.pk for u in unplaced] == [referral.case_id]
    assert all(not d.proposed for d in days)


def test_custody_case_is_heard_six_months_before_rotl(personas: Personas, nominal, chair) -> None:
    referral = accepted_referral(personas, nominal, custody="custody")
    # The referral holds the custody deadline (6 months before ROTL eligibility, J 10.4).
    referral.first_meeting_due = today() + dt.timedelta(days=95)
    referral.save()
    meetings = [make_meeting(days=d, chair=chair) for d in (10, 40, 70, 100, 130)]
    due = selectors.cases_due(2, today() + dt.timedelta(days=200))
    assert due[0].meeting == meetings[2]


def test_an_agenda_item_takes_the_case_off_the_proposals(
    personas: Personas, nominal, chair
) -> None:
    referral = accepted_referral(personas, nominal)
    meeting = make_meeting(days=5, chair=chair)
    item = services.agenda_item_add(
        actor=personas.administrator, meeting=meeting, case=referral.case
    )
    assert item.kind == DiscussionKind.FIRST and item.referral == referral
    assert item.due_by == referral.first_meeting_due
    assert selectors.cases_due(2, today() + dt.timedelta(days=90)) == []
    # A cancelled meeting gives the case back to the clock.
    services.meeting_cancel(actor=personas.administrator, meeting=meeting, reason="No chair")
    assert [d.case.pk for d in selectors.cases_due(2, today() + dt.timedelta(days=90))] == [
        referral.case_id
    ]


@pytest.mark.parametrize(("level", "weeks"), [(2, 12), (3, 6)])
def test_review_is_due_the_levels_interval_after_the_last_discussion(
    personas: Personas, level: int, weeks: int
) -> None:
    case = _older_case(personas, "Review", level=level)
    discussed(case, days_ago=100, level=level)
    last = discussed(case, days_ago=20, level=level)
    clock = selectors.clock_for_case(case, level, as_of=today())
    assert clock is not None and clock.kind == DiscussionKind.REVIEW
    assert clock.basis_date == last.meeting.date
    assert clock.due == last.meeting.date + dt.timedelta(weeks=weeks)


def test_a_review_is_due_now_when_it_falls_before_the_next_but_one_meeting(
    personas: Personas, chair
) -> None:
    urgent = _older_case(personas, "Urgent")
    discussed(urgent, days_ago=70)  # due in 14 days
    calm = _older_case(personas, "Calm")
    discussed(calm, days_ago=20)  # due in 64 days
    next_one = make_meeting(days=7, chair=chair)
    next_but_one = make_meeting(days=35, chair=chair)
    due = selectors.cases_due(2, next_but_one.date)
    assert [(d.case.pk, d.meeting) for d in due] == [(urgent.pk, next_one)]


def test_a_case_never_discussed_counts_from_the_day_it_came_to_the_level(
    personas: Personas,
) -> None:
    case = _older_case(personas, "Direct", days=30)
    clock = selectors.clock_for_case(case, 2, as_of=today())
    assert clock is not None
    assert clock.basis_event == "came to level 2"
    assert clock.due == today() - dt.timedelta(days=30) + dt.timedelta(weeks=12)


def test_a_meeting_that_did_not_reach_the_case_does_not_count(personas: Personas) -> None:
    case = _older_case(personas, "Unreached")
    first = discussed(case, days_ago=90)
    missed = discussed(case, days_ago=10)
    missed.discussed = False
    missed.save()
    clock = selectors.clock_for_case(case, 2, as_of=today())
    assert clock is not None and clock.basis_date == first.meeting.date


def test_due_items_for_the_compliance_clock(personas: Personas, nominal) -> None:
    referral = accepted_referral(personas, nominal)
    heard = make_meeting(days=0, status=MeetingStatus.HELD)
    from mappa.meetings.models import AgendaItem

    AgendaItem.objects.create(
        meeting=heard,
        case=referral.case,
        kind=DiscussionKind.FIRST,
        referral=referral,
        position=1,
        discussed=True,
    )
    reviewed = _older_case(personas, "Reviewed")
    discussed(reviewed, days_ago=100)
    later = discussed(reviewed, days_ago=30)
    items = {(i.case_id, i.kind): i for i in selectors.due_items(today())}
    first = items[(referral.case_id, Kind.FIRST_MEETING)]
    assert first.due == referral.first_meeting_due
    assert first.basis_date == referral.received_on and first.met_on == heard.date
    assert first.agency_id == personas.probation.pk
    assert first.link.endswith(f"/meetings/case/{referral.case_id}/")
    # After its first meeting the case is on the review clock from that meeting.
    review = items[(referral.case_id, Kind.REVIEW)]
    assert review.basis_date == heard.date and review.met_on is None
    other = items[(reviewed.pk, Kind.REVIEW)]
    assert other.basis_date == later.meeting.date
    assert other.due == later.meeting.date + dt.timedelta(weeks=12)
    # As at an earlier day, the next discussion is what met the review.
    as_then = {(i.case_id, i.kind): i for i in selectors.due_items(today() - dt.timedelta(days=50))}
    assert as_then[(reviewed.pk, Kind.REVIEW)].met_on == later.meeting.date


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def test_due_items_and_cases_due_run_a_fixed_number_of_queries(personas: Personas) -> None:
    def add_cases(count: int, prefix: str) -> None:
        for n in range(count):
            case = _older_case(personas, f"{prefix}{n}")
            discussed(case, days_ago=30 + n)

    add_cases(2, "Few")
    few = _queries(lambda: selectors.due_items(today()))
    few_due = _queries(lambda: selectors.cases_due(2, today() + dt.timedelta(days=120)))
    add_cases(6, "Many")
    assert _queries(lambda: selectors.due_items(today())) == few
    assert _queries(lambda: selectors.cases_due(2, today() + dt.timedelta(days=120))) == few_due
    assert few <= 8
