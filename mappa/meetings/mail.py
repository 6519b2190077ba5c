"""The emails that carry meeting invitations, updates and cancellations.

decisions.md "Mail and calendars": date, time, place, case references and a link into
the service; never a name, address or date of birth of the person managed, a victim
or a child. Nothing here reads those fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from mappa.meetings.ics import Attendee, build_calendar, meeting_times
from mappa.meetings.models import AgendaItem, Invitation, Meeting, MeetingStatus

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def base_url() -> str:
    return str(getattr(settings, "MAPPA_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def meeting_link(meeting: Meeting) -> str:
    return base_url() + reverse("meetings:detail", args=[meeting.pk])


def organiser() -> Attendee:
    email = str(
        getattr(settings, "MAPPA_COORDINATION_EMAIL", "")
        or getattr(settings, "DEFAULT_FROM_EMAIL", "")
    )
    name = str(getattr(settings, "MAPPA_COORDINATION_NAME", "") or "MAPPA co-ordination unit")
    return Attendee(name=name, email=email)


def case_line(item: AgendaItem) -> str:
    """One case as an invitation names it: its reference, never the person."""
    line = f"{item.case.reference} ({item.get_kind_display().lower()})"
    if item.start_time:
        line += f" at {item.start_time:%H:%M}"
    return line


@dataclass(frozen=True)
class Message:
    method: str
    subject: str
    body: str
    ics: bytes
    to: str


def _when(meeting: Meeting) -> str:
    start, end = meeting_times(meeting)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M} to {end:%H:%M}"


def compose(
    meeting: Meeting,
    *,
    recipient: Invitation,
    method: str,
    items: Iterable[AgendaItem],
    attendees: Iterable[Attendee],
    update: bool = False,
) -> Message:
    title = (
        f"MAPPA level {meeting.level} {'emergency ' if meeting.kind == 'emergency' else ''}meeting"
    )
    start, _end = meeting_times(meeting)
    when_short = f"{start:%A} {start.day} {start:%B %Y} at {start:%H:%M}"
    lines = [case_line(item) for item in items]
    link = meeting_link(meeting)
    marking = str(getattr(settings, "MAPPA_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE"))
    if method == CANCEL:
        if meeting.status == MeetingStatus.CANCELLED:
            prefix, opening = "Cancelled", f"The {title} on {when_short} has been cancelled."
        else:
            prefix, opening = (
                "Cancelled",
                f"You are no longer invited to the {title} on {when_short}.",
            )
    elif update:
        prefix, opening = "Updated", f"The {title} has changed. The new details are below."
    else:
        prefix, opening = "Invitation", f"You are invited to a {title}."
    body = [opening, "", f"When: {_when(meeting)}", f"Where: {meeting.place or 'to be confirmed'}"]
    if lines and method != CANCEL:
        body += ["", "Cases (by reference):", *[f"- {line}" for line in lines]]
    body += [
        "",
        "The agenda and the papers are in the MAPPA case management service. Sign in to see them:",
        link,
        "",
        "This message holds no personal details on purpose. Do not forward it.",
        marking,
    ]
    description_lines = [f"{title}: {_when(meeting)}."]
    if lines and method != CANCEL:
        description_lines.append("Cases: " + "; ".join(lines) + ".")
    description_lines.append(f"Agenda and papers (sign in): {link}")
    ics = build_calendar(
        meeting,
        method=method,
        attendees=attendees,
        description="\n".join(description_lines),
        organiser=organiser(),
    )
    return Message(
        method=method,
        subject=f"{prefix}: {title}, {when_short}",
        body="\n".join(body),
        ics=ics,
        to=recipient.email,
    )


def send(message: Message) -> None:
    """Send one message with its calendar file attached; raises on failure."""
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=organiser().email or None,
        to=[message.to],
    )
    part = MIMEText(message.ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", message.method)
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    email.attach(part)
    email.send(fail_silently=False)
