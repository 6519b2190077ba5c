"""Attendance by seat (J 16.2 (4); the KPI smb_attendance), worked out by hand.

Ten meetings held on the 10th of each month, January to October 2025, one cancelled
(10 November) and one left planned (10 December). Seats and what each did:

| seat      | exists                     | held while it existed | attended                      | rate |
| police    | from 1 Jan 2025            | 10                    | 9 (apologies in April)        | 0.9, met (exactly 90%) |
| probation | from 1 Jan 2025            | 10                    | 8 (absent Feb, apologies Jul) | 0.8, missed |
| housing   | from 1 Jan 2025            | 10                    | 10 (a deputy in Mar and Aug)  | 1.0 |
| prison    | from 10 Jun 2025 (mid-year)| 5 (Jun to Oct)        | 4 (absent Oct)                | 0.8 |
| education | 1 Jan to 10 Mar 2025       | 3 (Jan, Feb, Mar)     | 3                             | 1.0 |

Pooled: 9 + 8 + 10 + 4 + 3 = 34 attended of 10 + 10 + 10 + 5 + 3 = 38 held. The
cancelled meeting (police recorded absent there) and the planned one count nowhere.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.smb import selectors, services
from mappa.smb.models import SmbMeeting, SmbSeat
from mappa.smb.services import AttendanceEntry
from tests.conftest import Personas
from tests.smb.conftest import START, Board, Hold

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def day(month: int) -> dt.date:
    return dt.date(2025, month, 10)


@pytest.fixture
def year(personas: Personas, board: Board, hold: Hold) -> dict[str, SmbSeat]:
    actor = personas.coordinator
    prison = services.seat_create(
        actor=actor,
        title="Deputy Governor, Prison",
        agency=board.prison_agency,
        minimum_grade="Deputy Governor",
        created_on=day(6),
    )
    education = services.seat_create(
        actor=actor,
        title="Director, Education",
        agency=personas.education,
        minimum_grade="Assistant Director",
        created_on=START,
    )
    services.seat_end(actor=actor, seat=education, ended_on=day(3))
    police_status = {4: "apologies"}
    probation_status = {2: "absent", 7: "apologies"}
    housing_status = {3: "deputy", 8: "deputy"}
    prison_status = {10: "absent"}
    for month in range(1, 11):
        statuses = {
            board.police: police_status.get(month, "attended"),
            board.probation: probation_status.get(month, "attended"),
            board.housing: housing_status.get(month, "attended"),
        }
        if month >= 6:
            statuses[prison] = prison_status.get(month, "attended")
        if month <= 3:
            statuses[education] = "attended"
        chair = board.probation if month == 4 else board.police
        hold(day(month), statuses, chair=chair)
    cancelled = services.meeting_create(actor=actor, date=day(11))
    services.meeting_record(
        actor=actor,
        meeting=cancelled,
        attendance={board.police.pk: AttendanceEntry("absent")},
        chair_seat=None,
    )
    services.meeting_cancel(actor=actor, meeting=cancelled, reason="Not quorate")
    services.meeting_create(actor=actor, date=day(12))
    return {
        "police": board.police,
        "probation": board.probation,
        "housing": board.housing,
        "prison": prison,
        "education": education,
    }


def _by_seat(rows: list[selectors.SeatAttendance]) -> dict[str, tuple[int, int]]:
    return {row.title.split(",")[0]: (row.attended, row.held) for row in rows}


def test_each_seat_is_counted_over_the_meetings_held_while_it_existed(year) -> None:
    rows = selectors.seat_attendance(*YEAR)
    assert [(r.seat_id, r.attended, r.held) for r in rows] == [
        (year["police"].pk, 9, 10),
        (year["probation"].pk, 8, 10),
        (year["housing"].pk, 10, 10),
        (year["prison"].pk, 4, 5),
        (year["education"].pk, 3, 3),
    ]
    assert sum(r.attended for r in rows) == 34
    assert sum(r.held for r in rows) == 38


def test_exactly_90_percent_meets_the_target_and_80_misses_it(year) -> None:
    rows = {r.seat_id: r for r in selectors.seat_attendance(*YEAR)}
    police, probation = rows[year["police"].pk], rows[year["probation"].pk]
    assert police.rate == 0.9
    assert police.met(0.9) is True
    assert probation.rate == 0.8
    assert probation.met(0.9) is False
    # One more apology would take the police seat to 8 of 10: below the target.
    assert selectors.SeatAttendance(**{**police.__dict__, "attended": 8}).met(0.9) is False


def test_a_deputy_counts_as_attended_and_apologies_do_not(year) -> None:
    rows = {r.seat_id: r for r in selectors.seat_attendance(*YEAR)}
    assert (rows[year["housing"].pk].attended, rows[year["housing"].pk].held) == (10, 10)


def test_a_seat_created_mid_period_counts_from_its_first_day(year) -> None:
    rows = {r.seat_id: r for r in selectors.seat_attendance(*YEAR)}
    prison = rows[year["prison"].pk]
    # Created on 10 June, the day of a meeting: that meeting counts (both days included).
    assert (prison.attended, prison.held) == (4, 5)
    assert prison.met(0.9) is False


def test_a_seat_that_ended_counts_to_its_last_day(year) -> None:
    rows = {r.seat_id: r for r in selectors.seat_attendance(*YEAR)}
    education = rows[year["education"].pk]
    assert (education.attended, education.held, education.rate) == (3, 3, 1.0)


def test_cancelled_and_planned_meetings_are_not_counted(year) -> None:
    assert SmbMeeting.objects.count() == 12
    # The cancelled meeting recorded the police absent: still 9 of 10.
    rows = {r.seat_id: r for r in selectors.seat_attendance(dt.date(2025, 11, 1), YEAR[1])}
    assert rows[year["police"].pk].held == 0
    assert rows[year["police"].pk].rate is None
    assert rows[year["police"].pk].met(0.9) is None


def test_the_period_includes_both_of_its_days(year) -> None:
    rows = selectors.seat_attendance(day(2), day(3))
    police = next(r for r in rows if r.seat_id == year["police"].pk)
    assert (police.attended, police.held) == (2, 2)
    # The education seat ended on 10 March and the prison seat began on 10 June: a
    # period between the two leaves out both.
    titles = [r.title for r in selectors.seat_attendance(dt.date(2025, 3, 11), dt.date(2025, 6, 9))]
    assert "Director, Education" not in titles
    assert "Deputy Governor, Prison" not in titles


def test_narrowed_to_one_agency(year, personas: Personas) -> None:
    rows = selectors.seat_attendance(*YEAR, agency_id=personas.probation.pk)
    assert [(r.title, r.attended, r.held) for r in rows] == [
        ("Assistant Chief Officer, Probation", 8, 10)
    ]


def test_a_held_meeting_without_a_row_for_a_seat_counts_as_not_attended(
    personas: Personas, board: Board, hold: Hold
) -> None:
    hold(day(1), {board.police: "attended", board.probation: "attended", board.housing: "attended"})
    # A seat added afterwards, back-dated before that meeting: nothing recorded for it.
    late = services.seat_create(
        actor=personas.coordinator,
        title="Head of Service, Customs",
        agency=board.prison_agency,
        minimum_grade="Head of Service",
        created_on=START,
    )
    row = next(r for r in selectors.seat_attendance(*YEAR) if r.seat_id == late.pk)
    assert (row.attended, row.held, row.not_recorded) == (0, 1, 1)


def test_the_kpi_figures_are_the_same_numbers(year) -> None:
    figures = {f.id: f for f in selectors.seat_figures(*YEAR, 0.9)}
    police = figures[str(year["police"].pk)]
    assert (police.numerator, police.denominator, police.value, police.met) == (9, 10, 0.9, True)
    assert figures[str(year["prison"].pk)].met is False


def test_the_count_is_one_query_whatever_the_history(year) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.seat_attendance(*YEAR)
    assert len(queries) == 1


def test_the_meetings_each_seat_missed_match_the_counts(year) -> None:
    missed = selectors.missed_meetings(*YEAR)
    assert [(m.seat, m.meeting_date, m.status) for m in missed] == [
        ("Superintendent, Police", day(4), "apologies"),
        ("Assistant Chief Officer, Probation", day(2), "absent"),
        ("Assistant Chief Officer, Probation", day(7), "apologies"),
        ("Deputy Governor, Prison", day(10), "absent"),
    ]
    # Held minus attended, seat by seat: 1 + 2 + 0 + 1 + 0 = 4 = 38 - 34.
    rows = selectors.seat_attendance(*YEAR)
    assert len(missed) == sum(r.held - r.attended for r in rows)
