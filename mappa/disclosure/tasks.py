"""The notice that a request for minutes has been recorded (J 5.5: refer it to the
chair and inform the co-ordinator).

decisions.md "Mail": the email carries the request's reference, the case reference
and a link into the service; never a name, what was asked, or anything about the
person, a victim or a child. A failure is recorded on the request (``notify_error``)
and shown on its page; the request itself is never lost with the email.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mappa.audit.services import audit_record

logger = logging.getLogger(__name__)
TASK_ACTOR = "task:disclosure"


def _link(name: str, *args: Any) -> str:
    base = str(getattr(settings, "MAPPA_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse(name, args=args)


def recipients(minutes_request: Any) -> list[str]:
    """The co-ordinators and the chair of the case's last meeting, by email."""
    from mappa.disclosure.selectors import coordinators, last_meeting

    emails = [u.email for u in coordinators() if u.email]
    meeting = last_meeting(minutes_request.case)
    if meeting is not None and meeting.chair is not None and meeting.chair.email:
        emails.append(meeting.chair.email)
    return list(dict.fromkeys(emails))


def compose(minutes_request: Any) -> tuple[str, str]:
    subject = f"Request for MAPPA minutes {minutes_request.reference}: case {minutes_request.case.reference}"
    body = (
        f"A request for the minutes of MAPPA meetings about case "
        f"{minutes_request.case.reference} has been recorded as {minutes_request.reference}.\n\n"
        "Full minutes are never released: clarify what is sought, route agency-owned "
        "information to its owner, and prepare an executive summary if the meeting's "
        "information is wanted (JMAPPA guidance 5.5 and 5.6).\n\n"
        f"See the request in the MAPPA system: {_link('disclosure:detail', minutes_request.pk)}\n\n"
        "This message holds no personal details on purpose. Do not forward it.\n"
        + str(getattr(settings, "MAPPA_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE"))
    )
    return subject, body


@task()
def send_request_notice(request_id: str) -> dict[str, Any]:
    from mappa.disclosure.models import MinutesRequest

    minutes_request = MinutesRequest.objects.select_related("case").get(pk=request_id)
    to = recipients(minutes_request)
    if not to:
        minutes_request.notify_error = "No co-ordinator or chair has an email address"
        minutes_request.save(update_fields=["notify_error"])
        return {"sent": 0}
    subject, body = compose(minutes_request)
    outcome = "ok"
    try:
        send_mail(subject, body, None, to, fail_silently=False)
    except Exception as exc:  # any failure of the mail system is recorded, not raised
        minutes_request.notify_error = f"{type(exc).__name__}: {exc}"[:300]
        minutes_request.save(update_fields=["notify_error"])
        logger.warning("Request notice %s failed: %s", minutes_request.reference, exc)
        outcome = "failed"
    else:
        minutes_request.notified_at = timezone.now()
        minutes_request.notify_error = ""
        minutes_request.save(update_fields=["notified_at", "notify_error"])
    with transaction.atomic():
        audit_record(
            actor=TASK_ACTOR,
            action="minutes_request.notice_email",
            obj=minutes_request,
            nominal_id=minutes_request.case.nominal_id,
            outcome=outcome,
            detail={"reference": minutes_request.reference, "recipients": len(to)},
        )
    return {"sent": len(to) if outcome == "ok" else 0}
