"""Invitations by email with an iCalendar file (RFC 5545/5546), updates and
cancellations, failures that lose nothing, and no personal details (decisions.md)."""

import datetime as dt
from email.mime.base import MIMEBase
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from icalendar import Calendar

from mappa.common.dates import today
from mappa.meetings import services
from mappa.meetings.models import Invitation, InvitationStatus
from mappa.meetings.tasks import send_meeting_mail
from mappa.people.models import CasePerson, PersonKind
from mappa.register.models import Address, AddressKind, Alias
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.meetings.conftest import accepted_referral, make_meeting

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("The mail server refused the connection")


def ics_bytes(message: Any) -> bytes:
    parts = [a for a in message.attachments if isinstance(a, MIMEBase)]
    assert len(parts) == 1
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


def calendar_of(message: Any) -> tuple[Any, Any]:
    """The calendar and its single event from an email's .ics attachment."""
    part = next(a for a in message.attachments if isinstance(a, MIMEBase))
    assert part.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(ics_bytes(message))
    assert part.get_param("method") == str(calendar["method"])
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    return calendar, events[0]


def attendees(event: Any) -> set[str]:
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:").lower() for a in found}


@pytest.fixture
def ready(personas: Personas, nominal, chair, standing) -> Any:
    """A meeting with one first-meeting case and its invitations confirmed."""
    referral = accepted_referral(personas, nominal)
    meeting = make_meeting(days=14, chair=chair, start=dt.time(10, 30))
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=referral.case)
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    services.invitations_confirm(actor=personas.administrator, meeting=meeting)
    mail.outbox.clear()  # the referral's own notices
    return meeting


def _send(personas: Personas, meeting: Any, capture: Any) -> None:
    with capture(execute=True):
        services.invitations_send(actor=personas.administrator, meeting=meeting)


def test_invitations_carry_an_ics_that_parses_back(
    personas: Personas, ready, django_capture_on_commit_callbacks
) -> None:
    meeting = ready
    _send(personas, meeting, django_capture_on_commit_callbacks)
    expected = {"g.rafferty@police.example", "h.quist@probation.example", "owner@probation.example"}
    assert {m.to[0] for m in mail.outbox} == expected
    assert all(i.status == InvitationStatus.SENT for i in meeting.invitations.all())
    message = next(m for m in mail.outbox if m.to == ["owner@probation.example"])
    assert message.subject.startswith("Invitation: MAPPA level 2 meeting")
    assert reverse("meetings:detail", args=[meeting.pk]) in message.body
    calendar, event = calendar_of(message)
    assert str(calendar["method"]) == "REQUEST"
    start = event.decoded("dtstart")
    assert start == dt.datetime.combine(meeting.date, dt.time(10, 30), tzinfo=LONDON)
    assert str(event["dtstart"].params["TZID"]) == "Europe/London"
    assert event.decoded("dtend") == dt.datetime.combine(
        meeting.date, dt.time(12, 30), tzinfo=LONDON
    )
    assert str(event["summary"]) == "MAPPA level 2 meeting"
    assert str(event["location"]) == "Police HQ, Rouge Bouillon"
    assert int(event["sequence"]) == 0
    assert str(event["uid"]) == f"meeting-{meeting.pk}@mappa.invalid"
    assert str(event["organizer"]) == "mailto:jmappa@coordination.example"
    assert attendees(event) == expected
    item = meeting.agenda_items.get()
    assert item.case.reference in str(event["description"])
    # Every recipient's file has the same UID, so calendars treat it as one meeting.
    uids = {str(calendar_of(m)[1]["uid"]) for m in mail.outbox}
    assert len(uids) == 1


def test_a_change_of_time_sends_an_update_with_a_higher_sequence(
    personas: Personas, ready, chair, django_capture_on_commit_callbacks
) -> None:
    meeting = ready
    _send(personas, meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=personas.administrator,
            meeting=meeting,
            date=meeting.date,
            start_time=dt.time(14),
            end_time=dt.time(16),
            venue="Probation, Royal Square",
            video_link="",
            chair=chair,
        )
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject.startswith("Updated:")
    calendar, event = calendar_of(message)
    assert str(calendar["method"]) == "REQUEST"
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == dt.datetime.combine(meeting.date, dt.time(14), tzinfo=LONDON)
    assert str(event["location"]) == "Probation, Royal Square"
    assert set(meeting.invitations.values_list("sent_sequence", flat=True)) == {1}
    # Changing only the chair is not news to the invitees.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=personas.administrator,
            meeting=meeting,
            date=meeting.date,
            start_time=dt.time(14),
            end_time=dt.time(16),
            venue="Probation, Royal Square",
            video_link="",
            chair=personas.coordinator,
        )
    assert mail.outbox == []


def test_cancelling_sends_a_cancel(
    personas: Personas, ready, django_capture_on_commit_callbacks
) -> None:
    meeting = ready
    _send(personas, meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=personas.administrator, meeting=meeting, reason="Chair ill")
    assert len(mail.outbox) == 3
    calendar, event = calendar_of(mail.outbox[0])
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert mail.outbox[0].subject.startswith("Cancelled:")
    assert all(i.cancel_sent_at for i in meeting.invitations.all())


def test_withdrawing_one_sent_invitation_cancels_for_that_person_only(
    personas: Personas, ready, django_capture_on_commit_callbacks
) -> None:
    meeting = ready
    _send(personas, meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    quist = meeting.invitations.get(email="h.quist@probation.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_cancel(
            actor=personas.administrator, invitation=quist, reason="Left the service"
        )
    assert [m.to for m in mail.outbox] == [["h.quist@probation.example"]]
    calendar, event = calendar_of(mail.outbox[0])
    assert str(calendar["method"]) == "CANCEL"
    assert attendees(event) == {"h.quist@probation.example"}


def test_a_failed_email_leaves_the_invitation_unsent_and_says_so(
    personas: Personas, ready, settings, client, django_capture_on_commit_callbacks
) -> None:
    meeting = ready
    settings.EMAIL_BACKEND = "tests.meetings.test_mail.RefusingBackend"
    _send(personas, meeting, django_capture_on_commit_callbacks)
    invitations = list(meeting.invitations.all())
    assert all(i.status == InvitationStatus.CONFIRMED for i in invitations)
    assert all(i.attempts == 1 and "refused" in i.last_error for i in invitations)
    assert all(i.claimed_at is None for i in invitations)
    client.force_login(personas.administrator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Invitations not sent: try again" in page
    assert "The mail server refused the connection" in page
    # The server is back: "Try again" sends them, and the warning goes.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:invitations_send", args=[meeting.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert all(
        i.status == InvitationStatus.SENT and not i.last_error for i in meeting.invitations.all()
    )
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Invitations not sent" not in page


def test_the_task_retries_later_where_the_backend_can(personas: Personas, ready, settings) -> None:
    meeting = ready
    settings.EMAIL_BACKEND = "tests.meetings.test_mail.RefusingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    outcome = send_meeting_mail.call(str(meeting.pk))
    assert outcome["failed"] == 3 and outcome["retry_queued"] is True
    queued = send_meeting_mail.get_backend().results  # type: ignore[attr-defined]
    assert len(queued) == 1
    assert queued[0].args == [str(meeting.pk), 2] or list(queued[0].args) == [str(meeting.pk), 2]
    assert queued[0].task.run_after is not None
    # The last attempt gives up quietly: the page keeps showing the failure.
    last = send_meeting_mail.call(str(meeting.pk), 5)
    assert last["retry_queued"] is False
    assert not Invitation.objects.filter(meeting=meeting, status=InvitationStatus.SENT).exists()


def test_no_name_address_or_date_of_birth_in_any_email_or_calendar(
    personas: Personas, chair, standing, childrens, django_capture_on_commit_callbacks
) -> None:
    nominal = make_nominal(
        personas.coordinator,
        family_name="Quixotic-Vandersnoot",
        given_names="Zebedee Horatio",
        date_of_birth=dt.date(1977, 3, 14),
        lead_agency=personas.probation,
        manager=personas.owner,
    )
    Alias.objects.create(nominal=nominal, given_names="Zeb", family_name="Vandersnoot")
    Address.objects.create(
        nominal=nominal,
        kind=AddressKind.CURRENT,
        line_1="17 Rue de Lavande",
        town="St Brelade",
        postcode="JE3 8ZZ",
    )
    referral = accepted_referral(personas, nominal, child_protection_concerns="yes")
    CasePerson.objects.create(
        case=referral.case,
        kind=PersonKind.CHILD,
        given_names="Persephone",
        family_name="Quixotic-Vandersnoot",
        date_of_birth=dt.date(2016, 8, 2),
        relation_to_nominal="Daughter",
        address_line_1="4 Chemin des Mimosas",
    )
    meeting = make_meeting(days=10, chair=chair)
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=referral.case)
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    services.invitations_confirm(actor=personas.administrator, meeting=meeting)
    mail.outbox.clear()  # the referral's own notices
    _send(personas, meeting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=personas.administrator,
            meeting=meeting,
            date=meeting.date + dt.timedelta(days=1),
            start_time=dt.time(11),
            end_time=None,
            venue="Police HQ",
            video_link="",
            chair=chair,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=personas.administrator, meeting=meeting, reason="Recall")
    assert len(mail.outbox) >= 12
    forbidden = [
        "Zebedee",
        "Horatio",
        "Quixotic",
        "Vandersnoot",
        "Zeb ",
        "Persephone",
        "Lavande",
        "Mimosas",
        "JE3 8ZZ",
        "St Brelade",
        # Dates of birth in every form a template or a calendar might write them.
        "14 March 1977",
        "14 Mar 1977",
        "1977-03-14",
        "14/03/1977",
        "19770314",
        "2 August 2016",
        "2 Aug 2016",
        "2016-08-02",
        "02/08/2016",
        "20160802",
    ]
    for message in mail.outbox:
        _calendar, _event = calendar_of(message)
        ics = ics_bytes(message).decode()
        text = "\n".join([str(message.subject), str(message.body), ics, *message.to])
        for word in forbidden:
            assert word.lower() not in text.lower(), (word, message.subject)
        assert referral.case.reference in message.body or message.subject.startswith("Cancelled")


def test_nothing_to_send_is_said(personas: Personas, chair) -> None:
    meeting = make_meeting(days=10, chair=chair)
    with pytest.raises(Exception, match="nothing to send"):
        services.invitations_send(actor=personas.administrator, meeting=meeting)
    assert today() < meeting.date
