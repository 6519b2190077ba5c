"""The board's rules, each refused with its message, and every change audited."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.smb import services
from mappa.smb.models import SmbAttendance, SmbMeetingStatus, SmbMembership
from mappa.smb.services import AttendanceEntry
from tests.conftest import Personas
from tests.smb.conftest import START, Board, Hold

pytestmark = pytest.mark.django_db


def changes_of(event: AuditEvent) -> dict[str, Any]:
    assert event.changes is not None
    return dict(event.changes)


DAY = dt.date(2025, 3, 12)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _all(board: Board, status: str = "attended") -> dict[int, AttendanceEntry]:
    return {
        seat.pk: AttendanceEntry(status) for seat in (board.police, board.probation, board.housing)
    }


# Seats ----------------------------------------------------------------------------------


def test_a_seat_needs_its_title_agency_grade_and_date(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        services.seat_create(
            actor=personas.coordinator, title=" ", agency=None, minimum_grade="", created_on=None
        )
    assert _messages(exc) == {
        "title": ["Enter the seat, for example Chief Officer, States of Jersey Police"],
        "agency": ["Select the agency"],
        "minimum_grade": ["Enter the minimum grade for the seat (J 15.2)"],
        "created_on": ["Enter the date the seat was created"],
    }


def test_a_new_seat_goes_last_and_is_audited(personas: Personas, board: Board) -> None:
    seat = services.seat_create(
        actor=personas.coordinator,
        title="Director, Education",
        agency=personas.education,
        minimum_grade="Assistant Director",
        created_on=START,
    )
    assert seat.position == board.housing.position + 1
    event = AuditEvent.objects.get(action="smb_seat.create", object_id=str(seat.pk))
    assert changes_of(event)["title"] == [None, "Director, Education"]
    assert changes_of(event)["minimum_grade"] == [None, "Assistant Director"]
    assert event.actor == personas.coordinator


def test_a_seat_cannot_end_before_it_was_created(personas: Personas, board: Board) -> None:
    with pytest.raises(ValidationError) as exc:
        services.seat_end(
            actor=personas.coordinator, seat=board.police, ended_on=START - dt.timedelta(days=1)
        )
    assert _messages(exc)["ended_on"] == [
        "The end date must be the same as or after the date the seat was created"
    ]


def test_ending_a_seat_ends_its_holder_and_is_audited(personas: Personas, board: Board) -> None:
    services.seat_end(actor=personas.coordinator, seat=board.housing, ended_on=DAY)
    board.housing.refresh_from_db()
    assert board.housing.ended_on == DAY
    holder = SmbMembership.objects.get(seat=board.housing)
    assert holder.ended_on == DAY
    event = AuditEvent.objects.get(action="smb_seat.end")
    assert event.changes == {"ended_on": [None, DAY.isoformat()]}
    assert event.detail["holders_ended"][0]["holder"] == "Carol Vibert"


def test_a_seat_cannot_end_before_a_meeting_it_attended(
    personas: Personas, board: Board, hold: Hold
) -> None:
    hold(DAY, {board.police: "attended", board.probation: "attended", board.housing: "absent"})
    with pytest.raises(ValidationError) as exc:
        services.seat_end(
            actor=personas.coordinator, seat=board.housing, ended_on=DAY - dt.timedelta(days=1)
        )
    assert _messages(exc)["ended_on"] == [
        "The seat's attendance is recorded at the meeting on 12 March 2025, after that date"
    ]


def test_a_seat_cannot_start_after_a_meeting_it_attended(
    personas: Personas, board: Board, hold: Hold
) -> None:
    hold(DAY, {board.police: "attended", board.probation: "attended", board.housing: "absent"})
    with pytest.raises(ValidationError) as exc:
        services.seat_update(
            actor=personas.coordinator,
            seat=board.housing,
            title=board.housing.title,
            agency=personas.housing,
            minimum_grade="Senior management",
            created_on=DAY + dt.timedelta(days=1),
        )
    assert "before that date" in _messages(exc)["created_on"][0]


# Holders --------------------------------------------------------------------------------


def test_a_change_of_holder_ends_the_previous_term_the_day_before(
    personas: Personas, board: Board
) -> None:
    new = services.holder_change(
        actor=personas.coordinator,
        seat=board.police,
        name="Supt David Ozouf",
        grade="Superintendent",
        started_on=DAY,
    )
    old = SmbMembership.objects.get(seat=board.police, name="Supt Anne Renouf")
    assert old.ended_on == DAY - dt.timedelta(days=1)
    assert new.ended_on is None
    event = AuditEvent.objects.get(action="smb_holder.change", object_id=str(new.pk))
    assert changes_of(event)["name"] == [None, "Supt David Ozouf"]
    assert event.detail["previous_holder"]["ended_on"] == [None, "2025-03-11"]


def test_a_new_holder_must_start_after_the_current_one(personas: Personas, board: Board) -> None:
    with pytest.raises(ValidationError) as exc:
        services.holder_change(
            actor=personas.coordinator, seat=board.police, name="X", started_on=START
        )
    assert _messages(exc)["started_on"] == [
        "The start date must be after 1 January 2025, when Supt Anne Renouf started"
    ]
    # Nothing changed: the current holder still holds the seat.
    assert SmbMembership.objects.get(seat=board.police).ended_on is None


def test_a_holder_needs_a_name(personas: Personas, board: Board) -> None:
    with pytest.raises(ValidationError) as exc:
        services.holder_change(
            actor=personas.coordinator, seat=board.police, name="", started_on=DAY
        )
    assert _messages(exc)["name"] == ["Enter the name of the person who holds the seat"]


def test_a_holder_cannot_end_before_they_started(personas: Personas, board: Board) -> None:
    holder = SmbMembership.objects.get(seat=board.police)
    with pytest.raises(ValidationError) as exc:
        services.holder_update(
            actor=personas.coordinator,
            holder=holder,
            name=holder.name,
            started_on=DAY,
            ended_on=DAY - dt.timedelta(days=1),
        )
    assert _messages(exc)["ended_on"] == [
        "The end date must be the same as or after the start date"
    ]


def test_holders_of_a_seat_cannot_overlap(personas: Personas, board: Board) -> None:
    new = services.holder_change(
        actor=personas.coordinator, seat=board.police, name="Supt David Ozouf", started_on=DAY
    )
    with pytest.raises(ValidationError) as exc:
        services.holder_update(
            actor=personas.coordinator,
            holder=new,
            name=new.name,
            started_on=DAY - dt.timedelta(days=5),
            ended_on=None,
        )
    assert "holders of a seat cannot overlap" in _messages(exc)["started_on"][0]


# Meetings -------------------------------------------------------------------------------


def test_a_meeting_needs_a_date(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=personas.coordinator, date=None)
    assert _messages(exc) == {"date": ["Enter the date of the meeting"]}


def test_the_chair_comes_from_police_probation_or_prison(personas: Personas, board: Board) -> None:
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=personas.coordinator, date=DAY, chair_seat=board.housing)
    assert "Police, Probation or Prison Service" in _messages(exc)["chair_seat"][0]
    meeting = services.meeting_create(
        actor=personas.coordinator, date=DAY, venue="Police HQ", chair_seat=board.probation
    )
    event = AuditEvent.objects.get(action="smb_meeting.create")
    assert changes_of(event)["chair_seat"] == [None, board.probation.title]
    assert meeting.status == SmbMeetingStatus.PLANNED


def test_marking_held_needs_every_seat(personas: Personas, board: Board) -> None:
    meeting = services.meeting_create(actor=personas.coordinator, date=DAY)
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance={board.police.pk: AttendanceEntry("attended")},
            chair_seat=board.police,
            mark_held=True,
        )
    assert _messages(exc) == {
        f"seat_{board.probation.pk}_status": [
            "Select how Assistant Chief Officer, Probation took part"
        ],
        f"seat_{board.housing.pk}_status": ["Select how Director, Housing took part"],
    }
    meeting.refresh_from_db()
    assert meeting.status == SmbMeetingStatus.PLANNED
    # Nothing was kept from the refused save.
    assert not SmbAttendance.objects.exists()


def test_attendance_can_be_saved_in_part_while_planned(personas: Personas, board: Board) -> None:
    meeting = services.meeting_create(actor=personas.coordinator, date=DAY)
    services.meeting_record(
        actor=personas.coordinator,
        meeting=meeting,
        attendance={board.police.pk: AttendanceEntry("attended")},
        chair_seat=None,
    )
    row = SmbAttendance.objects.get(meeting=meeting)
    # "Attended" with no name takes the holder on the day.
    assert row.attendee_name == "Supt Anne Renouf"
    event = AuditEvent.objects.get(action="smb_meeting.record")
    assert changes_of(event)["attendance: Superintendent, Police"] == [
        None,
        {"status": "attended", "name": "Supt Anne Renouf"},
    ]


def test_marking_held_needs_a_chair_who_was_there(personas: Personas, board: Board) -> None:
    meeting = services.meeting_create(actor=personas.coordinator, date=DAY)
    attendance = {**_all(board), board.police.pk: AttendanceEntry("apologies")}
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance=attendance,
            chair_seat=None,
            mark_held=True,
        )
    assert _messages(exc) == {"chair_seat": ["Select the seat that chaired the meeting"]}
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance=attendance,
            chair_seat=board.police,
            mark_held=True,
        )
    assert _messages(exc)["chair_seat"] == [
        "Superintendent, Police chaired the meeting, so cannot be recorded as sent apologies"
    ]


def test_a_meeting_is_held_with_every_seat_and_audited(personas: Personas, board: Board) -> None:
    meeting = services.meeting_create(actor=personas.coordinator, date=DAY)
    attendance = {
        **_all(board),
        board.housing.pk: AttendanceEntry("deputy", "Dan Le Cornu"),
    }
    services.meeting_record(
        actor=personas.coordinator,
        meeting=meeting,
        attendance=attendance,
        chair_seat=board.probation,
        minutes="KPIs for the quarter reviewed.",
        mark_held=True,
    )
    meeting.refresh_from_db()
    assert meeting.status == SmbMeetingStatus.HELD
    assert meeting.chair_name == "Brian Le Marquand"
    event = AuditEvent.objects.get(action="smb_meeting.held")
    assert changes_of(event)["status"] == ["planned", "held"]
    assert changes_of(event)["attendance: Director, Housing"] == [
        None,
        {"status": "deputy", "name": "Dan Le Cornu"},
    ]
    assert changes_of(event)["minutes"] == ["", "KPIs for the quarter reviewed."]


def test_a_deputy_must_be_named(personas: Personas, board: Board) -> None:
    meeting = services.meeting_create(actor=personas.coordinator, date=DAY)
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance={board.housing.pk: AttendanceEntry("deputy", " ")},
            chair_seat=None,
        )
    assert _messages(exc) == {
        f"seat_{board.housing.pk}_name": [
            "Enter the name of the deputy who attended for Director, Housing"
        ]
    }


def test_before_its_day_a_meeting_takes_apologies_only(personas: Personas, board: Board) -> None:
    meeting = services.meeting_create(
        actor=personas.coordinator, date=today() + dt.timedelta(days=30)
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance={board.police.pk: AttendanceEntry("attended")},
            chair_seat=None,
        )
    assert "only apologies can be recorded" in _messages(exc)[f"seat_{board.police.pk}_status"][0]
    services.meeting_record(
        actor=personas.coordinator,
        meeting=meeting,
        attendance={board.police.pk: AttendanceEntry("apologies")},
        chair_seat=None,
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance={board.police.pk: AttendanceEntry("apologies")},
            chair_seat=None,
            mark_held=True,
        )
    assert _messages(exc)["date"] == ["A meeting cannot be marked as held before its date"]


def test_a_held_meeting_stays_complete(personas: Personas, board: Board, hold: Hold) -> None:
    meeting = hold(
        DAY, {board.police: "attended", board.probation: "attended", board.housing: "absent"}
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance={board.housing.pk: AttendanceEntry("")},
            chair_seat=board.police,
        )
    assert f"seat_{board.housing.pk}_status" in _messages(exc)
    assert SmbAttendance.objects.filter(meeting=meeting).count() == 3
    # A correction that keeps it complete is saved and audited.
    services.meeting_record(
        actor=personas.coordinator,
        meeting=meeting,
        attendance={board.housing.pk: AttendanceEntry("apologies")},
        chair_seat=board.police,
        minutes="Corrected.",
    )
    event = AuditEvent.objects.filter(action="smb_meeting.record").latest("sequence")
    assert changes_of(event)["attendance: Director, Housing"] == [
        {"status": "absent", "name": ""},
        {"status": "apologies", "name": ""},
    ]


def test_a_held_meeting_cannot_move_to_a_day_a_seat_did_not_exist(
    personas: Personas, board: Board, hold: Hold
) -> None:
    meeting = hold(
        DAY, {board.police: "attended", board.probation: "attended", board.housing: "absent"}
    )
    services.seat_end(actor=personas.coordinator, seat=board.housing, ended_on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(
            actor=personas.coordinator,
            meeting=meeting,
            date=DAY + dt.timedelta(days=1),
            chair_seat=board.police,
        )
    assert "did not exist on the date of the meeting" in _messages(exc)["date"][0]
    meeting.refresh_from_db()
    assert meeting.date == DAY


def test_cancelling_needs_a_reason_and_a_planned_meeting(
    personas: Personas, board: Board, hold: Hold
) -> None:
    meeting = services.meeting_create(actor=personas.coordinator, date=DAY)
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=personas.coordinator, meeting=meeting, reason="  ")
    assert _messages(exc) == {"reason": ["Enter the reason the meeting was cancelled"]}
    services.meeting_cancel(actor=personas.coordinator, meeting=meeting, reason="Not quorate")
    event = AuditEvent.objects.get(action="smb_meeting.cancel")
    assert event.changes == {
        "status": ["planned", "cancelled"],
        "cancel_reason": ["", "Not quorate"],
    }
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.meeting_update(actor=personas.coordinator, meeting=meeting, date=DAY)
    held = hold(
        DAY, {board.police: "attended", board.probation: "attended", board.housing: "absent"}
    )
    with pytest.raises(ValidationError, match="Only a planned meeting can be cancelled"):
        services.meeting_cancel(actor=personas.coordinator, meeting=held, reason="Oops")
