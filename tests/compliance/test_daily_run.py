"""The daily run: overdue counts to the co-ordinators without names, reminders queued."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from mappa.audit.models import AuditEvent
from mappa.compliance.tasks import next_run_at
from mappa.referrals import services as referral_services
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def test_daily_run_mails_counts_and_no_names(personas: Personas) -> None:
    personas.coordinator.email = "coordinator@example.org"
    personas.coordinator.save()
    nominal = make_nominal(
        personas.coordinator,
        family_name="Zebedee-Quartermaine",
        lead_agency=personas.probation,
        opened_on=dt.date(2026, 1, 5),
    )
    referral_services.eligibility_record(
        actor=personas.owner,
        nominal=nominal,
        kind="sentence",
        event_date=dt.date(2026, 1, 5),
        identified_on=dt.date(2026, 1, 8),
        custody="custody",
        planned_release_date=dt.date(2026, 8, 31),
    )
    call_command("daily_run", "--date", "2026-03-01", stdout=StringIO())
    sent = [m for m in mail.outbox if "overdue" in m.subject]
    assert len(sent) == 1 and sent[0].to == ["coordinator@example.org"]
    assert "Referral: 1" in sent[0].body
    assert "Zebedee" not in sent[0].body and "Zebedee" not in sent[0].subject
    assert AuditEvent.objects.filter(action="compliance.daily_run").exists()


def test_next_run_is_six_in_the_morning_local_time() -> None:
    # 28 March 2026 is the last day of GMT: the run on 29 March is at 06:00 BST (05:00 UTC).
    at = next_run_at(dt.date(2026, 3, 28))
    assert (at.date(), at.hour) == (dt.date(2026, 3, 29), 6)
    assert at.utcoffset() == dt.timedelta(hours=1)


def test_a_bad_date_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("daily_run", "--date", "yesterday")
