"""iCalendar (RFC 5545, with RFC 5546 methods) files for meeting invitations.

decisions.md "Mail and calendars": an invitation carries the meeting's date, time and
place, case references and a link into the service, never the name, address or date
of birth of the person managed, a victim or a child. The summary is "MAPPA level N
meeting" and nothing more.

One UID per meeting for its whole life, so calendar programs replace the entry when
an update (a higher SEQUENCE) or a cancellation (METHOD:CANCEL) arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from mappa.meetings.models import Meeting, MeetingStatus

PRODID = "-//MAPPA case management//Meetings//EN"
# A panel with no end time recorded is shown as lasting this long.
DEFAULT_MINUTES = 120


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


def meeting_zone() -> ZoneInfo:
    # The service's own time zone (Europe/London unless the area sets another).
    return ZoneInfo(str(settings.TIME_ZONE))


def meeting_uid(meeting: Meeting) -> str:
    domain = str(getattr(settings, "MAPPA_CALENDAR_DOMAIN", "") or "mappa.invalid")
    return f"meeting-{meeting.pk}@{domain}"


def meeting_times(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    zone = meeting_zone()
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    if meeting.end_time and meeting.end_time > meeting.start_time:
        end = dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)
    else:
        end = start + dt.timedelta(minutes=DEFAULT_MINUTES)
    return start, end


def summary(meeting: Meeting) -> str:
    if meeting.kind == "emergency":
        return f"MAPPA level {meeting.level} emergency meeting"
    return f"MAPPA level {meeting.level} meeting"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_calendar(
    meeting: Meeting,
    *,
    method: str,
    attendees: Iterable[Attendee],
    description: str,
    organiser: Attendee,
) -> bytes:
    """The .ics file: ``method`` is REQUEST (invitation or update) or CANCEL."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    start, end = meeting_times(meeting)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary(meeting))
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", description)
    cancelled = method == "CANCEL" or meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _address(organiser.email, organiser.name))
    seen: set[str] = set()
    for attendee in attendees:
        key = attendee.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        event.add(
            "attendee",
            _address(
                attendee.email.strip(),
                attendee.name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="TRUE",
            ),
            encode=False,
        )
    calendar.add_component(event)
    # The VTIMEZONE for Europe/London, so every program reads the local time right;
    # only the transitions around the meeting, not the zone's whole history.
    calendar.add_missing_timezones(
        first_date=start.date() - dt.timedelta(days=366),
        last_date=end.date() + dt.timedelta(days=366),
    )
    return calendar.to_ical()
