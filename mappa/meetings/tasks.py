"""Background work for meetings, on the Django tasks API (the ``django-tasks`` backport,
run by ``django-tasks-db``'s ``db_worker``): moving to Django 6 changes only the import.

An email that fails is never lost: its invitation stays unsent with the error, the
meeting page says "Invitations not sent: try again", and the task tries again later
by itself (where the backend can run a task later) up to a set number of times.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from mappa.meetings import services


def max_attempts() -> int:
    return int(getattr(settings, "MAPPA_MAIL_MAX_ATTEMPTS", 5))


def retry_delay(attempt: int) -> dt.timedelta:
    """5, 10, 20, 40 ... minutes (settings ``MAPPA_MAIL_RETRY_MINUTES`` is the first)."""
    first = int(getattr(settings, "MAPPA_MAIL_RETRY_MINUTES", 5))
    return dt.timedelta(minutes=first * 2 ** max(attempt - 1, 0))


@task()
def send_meeting_mail(meeting_id: str, attempt: int = 1) -> dict[str, Any]:
    """Send a meeting's pending invitations, updates and cancellations."""
    delivery = services.meeting_mail_deliver(meeting_id=meeting_id)
    retried = False
    if delivery.failed and attempt < max_attempts():
        backend = send_meeting_mail.get_backend()
        if backend.supports_defer:
            send_meeting_mail.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                meeting_id, attempt + 1
            )
            retried = True
    return {
        "sent": len(delivery.sent),
        "failed": len(delivery.failed),
        "busy": delivery.busy,
        "attempt": attempt,
        "retry_queued": retried,
    }


@task()
def retry_pending_mail() -> dict[str, int]:
    """Queue a send for every planned or cancelled meeting with email still to go: the
    daily run calls it, so nothing waits for someone to press "try again"."""
    meetings = services.meetings_with_pending_mail()
    for meeting_id in meetings:
        send_meeting_mail.enqueue(meeting_id)
    return {"meetings": len(meetings)}
