"""Attendance per invited agency per case discussion (J 10.10, 16.2) and the person's
written information through their case manager (J 3.6)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.meetings import selectors, services
from mappa.meetings.models import Attendance, AttendanceStatus, MeetingStatus, WrittenInformation
from mappa.referrals.models import ReferralInvitee
from tests.conftest import Personas
from tests.factories import make_user
from tests.meetings.conftest import accepted_referral, make_meeting

pytestmark = pytest.mark.django_db


def _meeting_with_invitations(personas: Personas, nominal, chair, *, days: int):
    referral = accepted_referral(personas, nominal)
    ReferralInvitee.objects.create(
        referral=referral,
        position=2,
        agency=personas.housing,
        name="Saskia Penhallow",
        role="Housing Officer",
        email="s.penhallow@housing.example",
    )
    meeting = make_meeting(days=days, chair=chair)
    item = services.agenda_item_add(
        actor=personas.administrator, meeting=meeting, case=referral.case
    )
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    services.invitations_confirm(actor=personas.administrator, meeting=meeting)
    return meeting, item


@pytest.fixture
def today_meeting(personas: Personas, nominal, chair, standing):
    return _meeting_with_invitations(personas, nominal, chair, days=0)


def _row(agency, status, representative="", grade=""):
    return services.AttendanceRow(
        agency=agency, status=status, representative=representative, grade=grade
    )


def test_invited_agencies_are_standing_members_and_case_invitees(
    personas: Personas, today_meeting
) -> None:
    _meeting, item = today_meeting
    names = {a.name for a in services.invited_agencies(item)}
    assert names == {personas.police.name, personas.probation.name, personas.housing.name}


def test_attendance_is_recorded_on_the_day(personas: Personas, today_meeting, chair) -> None:
    meeting, item = today_meeting
    services.attendance_record(
        actor=chair,
        item=item,
        rows=[
            _row(personas.police, AttendanceStatus.IN_PERSON, "Gideon Rafferty", "Inspector"),
            _row(personas.probation, AttendanceStatus.REMOTE, "Harriet Quist"),
            _row(personas.housing, AttendanceStatus.REPORT),
        ],
        discussed=True,
    )
    statuses = dict(
        Attendance.objects.filter(agenda_item=item).values_list("agency__name", "status")
    )
    assert statuses == {
        personas.police.name: AttendanceStatus.IN_PERSON,
        personas.probation.name: AttendanceStatus.REMOTE,
        personas.housing.name: AttendanceStatus.REPORT,
    }
    assert all(a.counts_as_attended for a in Attendance.objects.all())
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and item.discussed
    event = AuditEvent.objects.filter(action="meeting.attendance").get()
    assert event.changes is not None
    assert event.changes[personas.police.name] == [
        None,
        ["in_person", "Gideon Rafferty", "Inspector"],
    ]
    # The discussion now counts for the review clock.
    clock = selectors.clock_for_case(item.case, 2, as_of=today())
    assert clock is not None and clock.kind == "review" and clock.basis_date == meeting.date
    # A correction is recorded field by field.
    services.attendance_record(
        actor=chair,
        item=item,
        rows=[
            _row(personas.police, AttendanceStatus.IN_PERSON, "Gideon Rafferty", "Inspector"),
            _row(personas.probation, AttendanceStatus.APOLOGIES),
            _row(personas.housing, AttendanceStatus.REPORT),
        ],
        discussed=True,
    )
    last = AuditEvent.objects.filter(action="meeting.attendance").order_by("-sequence").first()
    assert last is not None and set(last.changes or {}) == {personas.probation.name}


def test_attendance_rules(personas: Personas, today_meeting, chair) -> None:
    _meeting, item = today_meeting
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            actor=chair,
            item=item,
            rows=[
                _row(personas.police, AttendanceStatus.IN_PERSON, ""),
                _row(personas.probation, AttendanceStatus.REMOTE, "H. Q."),
                _row(personas.education, AttendanceStatus.ABSENT),
            ],
            discussed=True,
        )
    errors = exc.value.message_dict
    police, probation, housing = (
        f"agency_{a.pk}" for a in (personas.police, personas.probation, personas.housing)
    )
    assert errors[f"{police}_representative"] == [
        f"Enter the name of the person who attended for {personas.police.name}"
    ]
    assert "not initials" in errors[f"{probation}_representative"][0]
    assert errors[f"{housing}_status"] == [f"Select how {personas.housing.name} took part"]
    assert errors["__all__"] == [
        f"{personas.education.name} was not invited to this case discussion"
    ]
    assert not Attendance.objects.exists()


def test_attendance_cannot_be_recorded_before_the_day(
    personas: Personas, nominal, chair, standing
) -> None:
    _meeting, item = _meeting_with_invitations(personas, nominal, chair, days=3)
    with pytest.raises(ValidationError, match="from the day of the meeting"):
        services.attendance_record(
            actor=chair,
            item=item,
            rows=[_row(personas.police, AttendanceStatus.ABSENT)],
            discussed=True,
        )


def test_the_chair_records_attendance_on_the_page(
    personas: Personas, today_meeting, chair, client
) -> None:
    meeting, item = today_meeting
    url = reverse("meetings:attendance", args=[meeting.pk, item.pk])
    other_chair = make_user("other-chair", "chair", agency=personas.police)
    client.force_login(other_chair)
    assert client.get(url).status_code == 403
    client.force_login(chair)
    page = client.get(url)
    assert page.status_code == 200 and personas.housing.name in page.content.decode()
    data = {"discussed": "yes"}
    for agency, status, name in (
        (personas.police, "in_person", "Gideon Rafferty"),
        (personas.probation, "remote", "Harriet Quist"),
        (personas.housing, "apologies", ""),
    ):
        data[f"agency_{agency.pk}_status"] = status
        data[f"agency_{agency.pk}_representative"] = name
    bad = client.post(url, {**data, f"agency_{personas.police.pk}_representative": "G R"})
    assert bad.status_code == 200 and "not initials" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.filter(agenda_item=item).count() == 3


def test_written_information_through_the_case_manager(
    personas: Personas, today_meeting, client
) -> None:
    meeting, item = today_meeting
    url = reverse("meetings:written_information", args=[meeting.pk, item.pk])
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(
        action="access.refused", detail__attempted="meeting.written_information"
    ).exists()
    client.force_login(personas.owner)
    assert client.get(url).status_code == 200
    future = today() + dt.timedelta(days=2)
    response = client.post(
        url,
        {
            "received_on-day": future.day,
            "received_on-month": future.month,
            "received_on-year": future.year,
            "summary": "",
        },
    )
    assert response.status_code == 200
    assert "must be in the past" in response.content.decode()
    response = client.post(
        url,
        {
            "received_on-day": today().day,
            "received_on-month": today().month,
            "received_on-year": today().year,
            "summary": "I have kept every appointment and started a job.",
        },
    )
    assert response.status_code == 302
    note = WrittenInformation.objects.get()
    assert note.recorded_by == personas.owner and note.agenda_item == item
