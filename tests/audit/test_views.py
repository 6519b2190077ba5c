"""The auditor's pages: who has seen a record, what a user has done, their CSV exports,
and the gate in front of them (issue 3, point 4)."""

import csv
import datetime as dt
import io
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_erase_values, audit_record
from mappa.audit.verify import verify_chain
from tests.audit.conftest import sign_in
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def first(activity):
    return activity[0]


def _urls(nominal, personas: Personas) -> list[str]:
    return [
        reverse("audit:index"),
        reverse("audit:record", args=[nominal.pk]),
        reverse("audit:record", args=[nominal.pk]) + "?format=csv",
        reverse("audit:user", args=[personas.owner.pk]),
        reverse("audit:user", args=[personas.owner.pk]) + "?format=csv",
    ]


@pytest.mark.parametrize("who", ["auditor", "coordinator"])
def test_auditors_and_the_coordinator_read_the_trail(
    client, personas: Personas, first, who
) -> None:
    sign_in(client, getattr(personas, who))
    for url in _urls(first, personas):
        response = client.get(url)
        assert response.status_code == 200, url
    assert verify_chain().ok


@pytest.mark.parametrize("who", ["outsider", "owner", "administrator", "smb_member"])
def test_everyone_else_is_refused_and_the_refusal_audited(
    client, personas: Personas, first, who
) -> None:
    user = getattr(personas, who)
    sign_in(client, user)
    for url in _urls(first, personas):
        before = AuditEvent.objects.count()
        response = client.get(url)
        assert response.status_code == 403, url
        refusal = AuditEvent.objects.order_by("-sequence").first()
        assert refusal is not None
        assert AuditEvent.objects.count() == before + 1
        assert refusal.action == "access.refused"
        assert refusal.outcome == "refused"
        assert refusal.actor_id == user.pk
        assert refusal.detail["attempted"] == "audit.view"
        assert refusal.detail["path"] == url.split("?")[0]
    assert not AuditEvent.objects.filter(action__in=["audit.view", "audit.export"]).exists()


def test_signing_in_is_required(client, first) -> None:
    response = client.get(reverse("audit:record", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_who_has_seen_a_record(client, personas: Personas, first) -> None:
    sign_in(client, personas.owner)
    assert client.get(reverse("register:detail", args=[first.pk])).status_code == 200
    sign_in(client, personas.outsider)
    assert client.get(reverse("register:detail", args=[first.pk])).status_code == 403

    sign_in(client, personas.auditor)
    response = client.get(reverse("audit:record", args=[first.pk]))

    page = response.content.decode()
    assert "Who has seen SMITH, John Paul" in page
    assert first.reference in page
    assert "Viewed the record" in page and "Section: summary" in page
    assert "Owner Tester, Probation and After-Care Service" in page
    assert "Refused access" in page and reverse("audit:user", args=[personas.outsider.pk]) in page
    assert "Added the person to the register" in page
    assert "Changed the person&#x27;s details" in page
    assert "John → John Paul" in page
    assert "OFFICIAL-SENSITIVE" in page
    # The other person's events are not listed.
    assert "Archived the record" not in page


def test_reading_the_trail_is_itself_audited(client, personas: Personas, first) -> None:
    sign_in(client, personas.auditor)
    client.get(reverse("audit:record", args=[first.pk]), {"kind": "view"})
    client.get(reverse("audit:user", args=[personas.owner.pk]))

    record_view, user_view = AuditEvent.objects.filter(action="audit.view").order_by("sequence")
    assert record_view.actor_id == personas.auditor.pk
    assert record_view.nominal_id == str(first.pk)
    assert record_view.detail["page"] == "record"
    assert record_view.detail["filters"]["kind"] == "view"
    assert (user_view.object_type, user_view.object_id) == ("access.user", str(personas.owner.pk))
    assert verify_chain().ok


def test_what_a_user_has_done(client, personas: Personas, activity) -> None:
    first, second = activity
    sign_in(client, personas.auditor)
    response = client.get(reverse("audit:user", args=[personas.coordinator.pk]))

    page = response.content.decode()
    assert "What Coordinator Tester has done" in page
    assert "Archived the record" in page and "Reason: No longer meets the criteria" in page
    assert first.reference in page and second.reference in page
    assert reverse("audit:record", args=[second.pk]) in page
    # The owner's correction is someone else's doing.
    assert "Changed the person&#x27;s details" not in page


def test_filters_by_kind_action_and_date(client, personas: Personas, first) -> None:
    sign_in(client, personas.owner)
    client.get(reverse("register:detail", args=[first.pk]))
    sign_in(client, personas.auditor)
    url = reverse("audit:record", args=[first.pk])

    views = client.get(url, {"kind": "view"}).context["rows"]
    assert {row.event.action for row in views} == {"nominal.view"}
    changes = client.get(url, {"kind": "change"}).context["rows"]
    assert {row.event.action for row in changes} == {"nominal.create", "nominal.update"}
    updates = client.get(url, {"action": "nominal.update"}).context["rows"]
    assert [row.event.action for row in updates] == ["nominal.update"]

    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    everything = AuditEvent.objects.filter(nominal_id=str(first.pk)).count()
    in_range = client.get(
        url,
        {
            "date_from-day": today.day,
            "date_from-month": today.month,
            "date_from-year": today.year,
            "date_to-day": today.day,
            "date_to-month": today.month,
            "date_to-year": today.year,
        },
    ).context["rows"]
    assert len(in_range) == everything
    later = client.get(
        url,
        {
            "date_from-day": tomorrow.day,
            "date_from-month": tomorrow.month,
            "date_from-year": tomorrow.year,
        },
    )
    assert later.context["rows"] == []
    assert "No events match these filters" in later.content.decode()


def test_a_date_range_the_wrong_way_round_is_explained(client, personas: Personas, first) -> None:
    sign_in(client, personas.auditor)
    response = client.get(
        reverse("audit:record", args=[first.pk]),
        {
            "date_from-day": "2",
            "date_from-month": "3",
            "date_from-year": "2025",
            "date_to-day": "1",
            "date_to-month": "3",
            "date_to-year": "2025",
            "kind": "nonsense",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "End date must be the same as or after the start date" in page
    assert "Select a kind of event from the list" in page
    assert "Correct the filters to see the events" in page


def test_the_record_export_carries_the_marking(client, personas: Personas, first) -> None:
    sign_in(client, personas.auditor)
    response = client.get(
        reverse("audit:record", args=[first.pk]), {"format": "csv", "kind": "change"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="audit-record-{first.reference.lower()}-'
    )
    rows = _csv(response)
    assert rows[0] == [settings.MAPPA_PROTECTIVE_MARKING]
    assert rows[1] == [settings.MAPPA_HANDLING_INSTRUCTION]
    assert rows[2][0].startswith(f"Who has seen record {first.reference}. Exported by auditor on ")
    assert rows[3][:7] == [
        "Sequence",
        "Date and time",
        "User",
        "User ID",
        "Action",
        "Action code",
        "Outcome",
    ]
    data = rows[4:]
    assert [row[5] for row in data] == ["nominal.update", "nominal.create"]
    assert all(row[7] == first.reference for row in data)
    assert '"given_names":["John","John Paul"]' in data[0][11]

    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_id == personas.auditor.pk
    assert export.nominal_id == str(first.pk)
    assert export.detail["rows"] == 2
    assert export.detail["filters"]["kind"] == "change"
    assert verify_chain().ok


def test_the_user_export_carries_the_marking(client, personas: Personas, activity) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(reverse("audit:user", args=[personas.coordinator.pk]), {"format": "csv"})
    rows = _csv(response)
    assert rows[0] == [settings.MAPPA_PROTECTIVE_MARKING]
    assert rows[1] == [settings.MAPPA_HANDLING_INSTRUCTION]
    assert rows[2][0].startswith("What coordinator has done.")
    actions = [row[5] for row in rows[4:]]
    assert actions.count("nominal.create") == 2
    assert "nominal.archive" in actions
    export = AuditEvent.objects.get(action="audit.export")
    assert (export.object_type, export.object_id) == ("access.user", str(personas.coordinator.pk))
    assert export.detail["rows"] == len(rows) - 4


def test_export_cells_cannot_run_as_spreadsheet_formulas(client, personas: Personas, first) -> None:
    audit_record(
        actor='=HYPERLINK("http://example.com","x")', action="nominal.view", nominal_id=first.pk
    )
    sign_in(client, personas.auditor)
    rows = _csv(client.get(reverse("audit:record", args=[first.pk]), {"format": "csv"}))
    assert rows[4][2] == '\'=HYPERLINK("http://example.com","x")'


def test_exports_are_streamed_in_batches(client, personas: Personas, first, monkeypatch) -> None:
    from mappa.audit import views

    monkeypatch.setattr(views, "EXPORT_BATCH", 2)
    for number in range(5):
        audit_record(actor=None, action="nominal.view", nominal_id=first.pk, detail={"n": number})
    sign_in(client, personas.auditor)
    rows = _csv(client.get(reverse("audit:record", args=[first.pk]), {"format": "csv"}))
    sequences = [int(row[0]) for row in rows[4:]]
    assert sequences == sorted(sequences, reverse=True)
    assert (
        len(sequences)
        == AuditEvent.objects.filter(nominal_id=str(first.pk))
        .exclude(action="audit.export")
        .count()
    )


def test_erased_values_are_shown_as_erased(client, personas: Personas, first) -> None:
    update = AuditEvent.objects.get(action="nominal.update")
    audit_erase_values(event_ids=[update.sequence], reason="Retention", actor=personas.coordinator)
    sign_in(client, personas.auditor)
    page = client.get(reverse("audit:record", args=[first.pk])).content.decode()
    assert "Values erased under retention on" in page
    assert "John → John Paul" not in page


def test_the_index_finds_a_record_by_reference(client, personas: Personas, first) -> None:
    sign_in(client, personas.auditor)
    response = client.get(reverse("audit:index"), {"reference": f" {first.reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:record", args=[first.pk])

    missing = client.get(reverse("audit:index"), {"reference": "MN-999999"})
    assert "There is no record with this reference" in missing.content.decode()
    empty = client.get(reverse("audit:index"), {"reference": ""})
    assert "Enter a record reference" in empty.content.decode()


def test_the_index_lists_users_to_pick(client, personas: Personas) -> None:
    sign_in(client, personas.auditor)
    everyone = client.get(reverse("audit:index")).content.decode()
    assert reverse("audit:user", args=[personas.outsider.pk]) in everyone
    narrowed = client.get(reverse("audit:index"), {"user": "outs"}).content.decode()
    assert reverse("audit:user", args=[personas.outsider.pk]) in narrowed
    assert reverse("audit:user", args=[personas.owner.pk]) not in narrowed
    view = AuditEvent.objects.filter(action="audit.view").order_by("-sequence").first()
    assert view is not None
    assert view.detail == {"page": "index", "reference": "", "user": "outs"}


def test_a_record_removed_from_the_register_keeps_its_trail(client, personas: Personas) -> None:
    gone = uuid.uuid4()
    audit_record(actor=personas.owner, action="nominal.view", nominal_id=gone)
    sign_in(client, personas.auditor)
    page = client.get(reverse("audit:record", args=[gone])).content.decode()
    assert "This record is no longer on the register" in page
    assert "Viewed the record" in page


def test_an_unknown_record_or_user_is_not_found(client, personas: Personas) -> None:
    sign_in(client, personas.auditor)
    assert client.get(reverse("audit:record", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("audit:user", args=[987654])).status_code == 404


def test_an_export_asks_the_user_to_confirm_who_they_are(client, personas: Personas, first) -> None:
    from mappa.accounts import session as session_state

    sign_in(client, personas.auditor)
    session = client.session
    session[session_state.REAUTHENTICATED_AT] = session_state.now() - 3600
    session.save()
    url = reverse("audit:record", args=[first.pk])

    response = client.get(url, {"format": "csv"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    # The page itself needs no fresh proof; only the export does.
    assert client.get(url).status_code == 200
