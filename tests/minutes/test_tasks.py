"""Background work: notices to SPOCs (retried when the mail fails), reminders to action
owners and administrators; and the meeting's view of risk for the risk level."""

import datetime as dt
import smtplib

import pytest
from django.core import mail

from mappa.access.models import Role
from mappa.assessments.risk import overall_risk_level
from mappa.minutes import services, tasks
from mappa.minutes.models import Distribution
from tests.factories import make_user
from tests.minutes.conftest import complete, save

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)


def _distributed(cast, started, django_capture_on_commit_callbacks):
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_distribute(actor=personas.administrator, minutes=minutes)
    return minutes


def test_an_email_failure_loses_nothing_and_is_retried(
    cast, started, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(tasks, "send_mail", down)
    minutes = _distributed(cast, started, django_capture_on_commit_callbacks)
    rows = list(Distribution.objects.filter(minutes=minutes))
    assert len(rows) == 2
    assert all(r.emailed_at is None and r.email_attempts == 1 for r in rows)
    assert "SMTPServerDisconnected" in rows[0].email_error
    minutes.refresh_from_db()
    assert minutes.status == "distributed"
    monkeypatch.undo()
    result = tasks.retry_minutes_notices.enqueue()
    assert result.return_value == {"sent": 2, "failed": 0}
    assert len(mail.outbox) == 2
    assert all(r.emailed_at for r in Distribution.objects.filter(minutes=minutes))


def test_action_reminders_before_the_deadline_and_when_missed(
    cast, started, django_capture_on_commit_callbacks
) -> None:
    personas = cast.personas
    make_user(
        "callum",
        Role.PRACTITIONER,
        agency=personas.police,
        first_name="Callum",
        last_name="Destry",
        email="callum@police.example",
    )
    minutes = _distributed(cast, started, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    visit = minutes.actions.get(number=1)  # due 19 March 2026
    tasks.action_reminders.enqueue("2026-03-15")
    assert [m.to for m in mail.outbox] == [["callum@police.example"]]
    assert "due 19 March 2026" in mail.outbox[0].subject
    assert "Smith" not in mail.outbox[0].body
    tasks.action_reminders.enqueue("2026-03-16")
    assert len(mail.outbox) == 1  # sent once
    tasks.action_reminders.enqueue("2026-03-20")
    assert mail.outbox[-1].subject == f"MAPPA action overdue: case {visit.case.reference}"


def test_minutes_due_reminder_to_administrators(cast, started, personas) -> None:
    personas.administrator.email = "admin@jmappa.example"
    personas.administrator.save()
    started(DAY)
    assert tasks.minutes_due_reminders.enqueue("2026-03-18").return_value == 1
    assert mail.outbox[-1].to == ["admin@jmappa.example"]
    assert "due 19 March 2026" in mail.outbox[-1].body
    assert "Smith" not in mail.outbox[-1].body


def test_daily_run(cast, started) -> None:
    started(DAY)
    result = tasks.daily_minutes_run.enqueue("2026-03-18")
    assert set(result.return_value or {}) == {"retried", "actions", "minutes_due"}


def test_the_meetings_view_of_risk_is_the_overall_risk_level(cast, case_nominal, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    assert overall_risk_level(case_nominal, DAY)[1].kind == "none"  # a draft does not count
    save(personas.administrator, minutes, "risk", {"rosh": "very_high"})
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    level, source = overall_risk_level(case_nominal, DAY)
    assert (level, source.kind, source.on) == ("very_high", "meeting", DAY)
    services.minutes_distribute(actor=personas.administrator, minutes=minutes)
    services.minutes_amend(
        actor=personas.coordinator,
        minutes=minutes,
        field="rosh",
        value="high",
        reason="Recorded wrongly",
    )
    assert overall_risk_level(case_nominal, DAY)[0] == "high"
    assert overall_risk_level(case_nominal, DAY - dt.timedelta(days=1))[1].kind == "none"


def test_daily_command(cast, started) -> None:
    from io import StringIO

    from django.core.management import call_command

    started(DAY)
    out = StringIO()
    call_command("minutes_daily", "--date", "2026-03-18", stdout=out)
    assert "Queued the minutes daily run for 18 March 2026" in out.getvalue()
