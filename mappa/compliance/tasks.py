"""The daily run on the Django tasks API (issue 5 point 11, issue 4 point 7).

``daily_run`` evaluates the compliance clock, tells the co-ordinators how many items are
overdue (counts and a link only: no names), queues the minutes app's reminders and
another try at unsent meeting mail, then queues itself for the next morning. The
database worker started by ``make run`` (``manage.py db_worker``) runs it; the tasks
backend's ``run_after`` is the scheduler, so nothing else is needed to keep it going.
"""

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import default_task_backend, task

from mappa.access.models import Role, User
from mappa.audit.services import audit_record
from mappa.compliance.items import KIND_LABELS
from mappa.compliance.services import area_due_items

RUN_AT_HOUR = 6


def next_run_at(day: dt.date) -> dt.datetime:
    """06:00 local time on the day after ``day``."""
    tomorrow = day + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(RUN_AT_HOUR), tzinfo=ZoneInfo(settings.TIME_ZONE))


def compliance_summary(on: dt.date) -> Counter[str]:
    return Counter(str(e.item.kind) for e in area_due_items(on) if e.state == "overdue")


@task()
def daily_run(on: str) -> dict[str, Any]:
    from mappa.meetings.tasks import retry_pending_mail
    from mappa.minutes.tasks import daily_minutes_run

    day = dt.date.fromisoformat(on)
    overdue = compliance_summary(day)
    if overdue:
        lines = [f"{KIND_LABELS[kind]}: {count}" for kind, count in sorted(overdue.items())]  # type: ignore[index]
        link = (
            settings.MAPPA_BASE_URL.rstrip("/") + reverse("compliance:worklist") + "?state=overdue"
        )
        recipients = list(
            User.objects.filter(is_active=True, roles__role=Role.COORDINATOR)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            send_mail(
                f"MAPPA worklist: {sum(overdue.values())} overdue items on {day:%-d %B %Y}",
                "Overdue items by kind:\n" + "\n".join(lines) + f"\n\nThe worklist: {link}",
                None,
                recipients,
                fail_silently=True,
            )
    daily_minutes_run.enqueue(on)
    retry_pending_mail.enqueue()
    audit_record(
        actor="daily run",
        action="compliance.daily_run",
        detail={"on": on, "overdue": dict(overdue)},
    )
    if default_task_backend.supports_defer:
        daily_run.using(run_after=next_run_at(day)).enqueue(
            (day + dt.timedelta(days=1)).isoformat()
        )
    return {"on": on, "overdue": dict(overdue)}
