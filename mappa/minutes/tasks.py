"""Background work for minutes and actions, on the Django tasks API (django-tasks).

Emails carry a case reference and a link into the system, never a name, an address,
a date of birth or the minutes themselves (decisions.md, "Mail and calendars"). An
email that fails is recorded on its distribution row, retried by
``retry_minutes_notices`` and shown on the minutes page: the minutes are never lost
with it.

The daily run (``daily_minutes_run``) sends reminders to action owners a number of
days before a deadline (``MAPPA_ACTION_REMINDER_DAYS``, default 5) and on the day
after it is missed, and the minutes-due reminder to administrators.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mappa.access.models import Role, User
from mappa.audit.services import audit_record
from mappa.minutes.models import Action, ActionState, Distribution, MinutesStatus

logger = logging.getLogger(__name__)
TASK_ACTOR = "task:minutes"


def _link(name: str, *args: Any) -> str:
    base = str(getattr(settings, "MAPPA_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse(name, args=args)


def reminder_days() -> int:
    return int(getattr(settings, "MAPPA_ACTION_REMINDER_DAYS", 5))


def max_email_attempts() -> int:
    return int(getattr(settings, "MAPPA_EMAIL_MAX_ATTEMPTS", 5))


def _send(subject: str, body: str, to: list[str]) -> None:
    send_mail(subject, body, None, to, fail_silently=False)


def _deliver(distribution: Distribution) -> bool:
    minutes = distribution.minutes
    meeting = minutes.agenda_item.meeting
    subject = f"MAPPA minutes distributed: case {minutes.case.reference}"
    body = (
        f"The minutes of the level {meeting.level} meeting on {meeting.date:%-d %B %Y} about "
        f"case {minutes.case.reference} have been distributed to {distribution.agency.name} "
        "through you, as its single point of contact.\n\n"
        f"Read them in the MAPPA system: {_link('minutes:detail', minutes.pk)}\n\n"
        "The minutes are never sent by email. Store and share them only as your agency's "
        "MAPPA procedures allow."
    )
    distribution.email_attempts += 1
    try:
        _send(subject, body, [distribution.email])
    except Exception as exc:  # any failure of the mail system is recorded, not raised
        distribution.email_error = f"{type(exc).__name__}: {exc}"[:300]
        distribution.save(update_fields=["email_attempts", "email_error"])
        logger.warning("Minutes notice to %s failed: %s", distribution.agency.name, exc)
        outcome = "failed"
    else:
        distribution.emailed_at = timezone.now()
        distribution.email_error = ""
        distribution.save(update_fields=["email_attempts", "email_error", "emailed_at"])
        outcome = "ok"
    with transaction.atomic():
        audit_record(
            actor=TASK_ACTOR,
            action="minutes.notice_email",
            obj=minutes,
            nominal_id=minutes.case.nominal_id,
            outcome=outcome,
            detail={
                "agency": distribution.agency.name,
                "attempt": distribution.email_attempts,
                "error": distribution.email_error,
            },
        )
    return outcome == "ok"


def _pending() -> Any:
    return (
        Distribution.objects.filter(
            emailed_at__isnull=True,
            minutes__status=MinutesStatus.DISTRIBUTED,
            email_attempts__lt=max_email_attempts(),
        )
        .exclude(email="")
        .select_related("minutes__agenda_item__meeting", "minutes__case", "agency")
    )


@task()
def send_minutes_notices(minutes_id: str) -> dict[str, int]:
    """Email each SPOC a notice that the minutes were distributed."""
    sent = failed = 0
    for distribution in _pending().filter(minutes_id=minutes_id):
        if _deliver(distribution):
            sent += 1
        else:
            failed += 1
    return {"sent": sent, "failed": failed}


@task()
def retry_minutes_notices() -> dict[str, int]:
    """Try again every notice that failed, up to ``MAPPA_EMAIL_MAX_ATTEMPTS`` times."""
    sent = failed = 0
    for distribution in _pending().filter(email_attempts__gt=0):
        if _deliver(distribution):
            sent += 1
        else:
            failed += 1
    return {"sent": sent, "failed": failed}


def _action_recipients(action: Action) -> list[str]:
    if action.owner_user is not None and action.owner_user.is_active and action.owner_user.email:
        return [action.owner_user.email]
    from mappa.access.models import Contact

    return list(
        Contact.objects.filter(agency=action.agency, is_spoc=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


@task()
def action_reminders(on: str) -> dict[str, int]:
    """Remind owners ``MAPPA_ACTION_REMINDER_DAYS`` before the deadline, and on the day
    after a missed one. Each reminder is sent once."""
    day = dt.date.fromisoformat(on)
    live = (
        Action.objects.exclude(minutes__status=MinutesStatus.DRAFT)
        .filter(state=ActionState.OPEN, due_date__isnull=False)
        .select_related("owner_user", "case")
    )
    before = live.filter(
        due_date__gte=day,
        due_date__lte=day + dt.timedelta(days=reminder_days()),
        reminded_before_on__isnull=True,
    )
    overdue = live.filter(due_date__lt=day, reminded_overdue_on__isnull=True)
    counts = {"before": 0, "overdue": 0}
    for kind, queryset in (("before", before), ("overdue", overdue)):
        for action in queryset:
            to = _action_recipients(action)
            if to:
                when = f"{action.due_date:%-d %B %Y}"
                subject = (
                    f"MAPPA action due {when}: case {action.case.reference}"
                    if kind == "before"
                    else f"MAPPA action overdue: case {action.case.reference}"
                )
                body = (
                    f"Action {action.number} for case {action.case.reference} "
                    + (
                        f"is due on {when}."
                        if kind == "before"
                        else f"was due on {when} and is not recorded as done."
                    )
                    + f"\n\nRecord progress or the outcome: {_link('minutes:action', action.pk)}"
                )
                try:
                    _send(subject, body, to)
                except Exception as exc:  # tried again by the next daily run
                    logger.warning("Action reminder for %s failed: %s", action.pk, exc)
                    continue
            field = "reminded_before_on" if kind == "before" else "reminded_overdue_on"
            Action.objects.filter(pk=action.pk).update(**{field: day})
            counts[kind] += 1
    return counts


@task()
def minutes_due_reminders(on: str) -> int:
    """Tell the administrators which minutes are due soon or overdue (J 10.12)."""
    from mappa.minutes.selectors import minutes_due_items
    from mappa.profiles import clocks
    from mappa.profiles.selectors import current_profile

    day = dt.date.fromisoformat(on)
    profile = current_profile(day)
    lines = []
    for item in minutes_due_items(day):
        status = clocks.clock_status(item.due, item.met_on, day, profile.due_soon_days)
        if status.state in (clocks.ClockState.DUE_SOON, clocks.ClockState.OVERDUE):
            base = str(getattr(settings, "MAPPA_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
            lines.append(
                f"- Case {item.case_reference}, meeting {item.basis_date:%-d %B %Y}: due "
                f"{item.due:%-d %B %Y} ({status.label.lower()}). {base}{item.link}"
            )
    if not lines:
        return 0
    recipients: dict[str, list[str]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, roles__role=Role.ADMINISTRATOR).exclude(
        email=""
    ):
        recipients[user.email].append(user.username)
    if recipients:
        try:
            _send(
                f"MAPPA minutes due: {len(lines)} case discussion{'s' if len(lines) != 1 else ''}",
                "Minutes due soon or overdue:\n\n" + "\n".join(lines),
                sorted(recipients),
            )
        except Exception as exc:  # tried again by the next daily run
            logger.warning("Minutes-due reminder failed: %s", exc)
            return 0
    return len(lines)


@task()
def daily_minutes_run(on: str) -> dict[str, Any]:
    """Everything this app does once a day: call from the daily compliance run."""
    return {
        "retried": retry_minutes_notices.call(),
        "actions": action_reminders.call(on),
        "minutes_due": minutes_due_reminders.call(on),
    }
