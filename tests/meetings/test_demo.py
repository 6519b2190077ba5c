"""The demo area's year of meetings (issue 5, point 12), and the daily jobs."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from mappa.common.dates import today
from mappa.meetings import selectors, services
from mappa.meetings.demo import build_demo_meetings
from mappa.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    InvitationStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    WrittenInformation,
)
from mappa.register.management.demo_area import load_demo_area
from tests.conftest import Personas
from tests.meetings.conftest import accepted_referral, make_meeting

pytestmark = pytest.mark.django_db


def test_a_year_of_meetings_for_the_demo_area() -> None:
    load_demo_area(count=30)
    day = today()
    summary = build_demo_meetings(day)
    assert summary.held >= 20 and summary.discussions > 0
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.order_by("date").first().date <= day - dt.timedelta(days=330)  # type: ignore[union-attr]
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).count() == 1
    assert Meeting.objects.filter(kind=MeetingKind.EMERGENCY).count() == 1
    assert set(Attendance.objects.values_list("status", flat=True)) == set(AttendanceStatus.values)
    # Every discussion the summary counts is marked discussed (the clock counts these).
    assert summary.discussions == AgendaItem.objects.filter(discussed=True).count()
    assert WrittenInformation.objects.count() == 1
    # Meetings due: the next panels have agendas and invitations at every stage.
    upcoming = Meeting.objects.filter(status=MeetingStatus.PLANNED, date__gte=day)
    assert AgendaItem.objects.filter(meeting__in=upcoming).exists()
    statuses = set(
        upcoming.values_list("invitations__status", flat=True).exclude(invitations__isnull=True)
    )
    assert {InvitationStatus.SENT, InvitationStatus.PROPOSED} <= statuses
    # The clock has nothing unplaced it should not, and runs over the whole area.
    assert selectors.due_items(day)
    # Loading again changes nothing.
    count = Meeting.objects.count()
    assert build_demo_meetings(day).held == 0
    assert Meeting.objects.count() == count


def test_the_daily_jobs(personas: Personas, nominal, chair, standing) -> None:
    out = StringIO()
    services.panel_schedule_save(
        actor=personas.administrator,
        level=2,
        week_of_month=2,
        weekday=1,
        start_time=dt.time(10),
        end_time=None,
        venue="Police HQ",
    )
    call_command("meetings_generate", "--months", "3", stdout=out)
    assert "meetings created" in out.getvalue()
    assert Meeting.objects.count() >= 2
    referral = accepted_referral(personas, nominal)
    meeting = make_meeting(days=5, chair=chair)
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=referral.case)
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    services.invitations_confirm(actor=personas.administrator, meeting=meeting)
    mail.outbox.clear()
    assert services.meetings_with_pending_mail() == [str(meeting.pk)]
    call_command("meetings_send_pending", stdout=out)
    assert len(mail.outbox) == 3
    assert services.meetings_with_pending_mail() == []
