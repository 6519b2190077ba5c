"""Retention erasure: values go, the digest stays, the chain still verifies and the rows
are reported as erased, not tampered (decisions.md, "Access and audit")."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mappa.audit.models import AuditEvent
from mappa.audit.services import ERASURE_ACTION, audit_erase_values, audit_record
from mappa.audit.verify import verify_chain
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_erased_values_leave_the_chain_verifiable(activity, personas: Personas) -> None:
    targets = list(
        AuditEvent.objects.filter(action__in=["nominal.create", "nominal.update"])
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    before = AuditEvent.objects.count()

    erasure = audit_erase_values(
        event_ids=targets,
        reason="Retention review 2031: records deleted",
        actor=personas.coordinator,
    )

    assert erasure is not None
    assert erasure.action == ERASURE_ACTION
    assert erasure.actor_id == personas.coordinator.pk
    assert erasure.detail["event_ids"] == targets
    assert erasure.detail["reason"] == "Retention review 2031: records deleted"
    assert AuditEvent.objects.count() == before + 1
    for event in AuditEvent.objects.filter(sequence__in=targets):
        assert event.changes is None
        assert event.erased_at is not None
        assert event.values_digest  # the digest stays in the chain

    seen: list[int] = []
    report = verify_chain(on_erased=lambda event: seen.append(event.sequence))

    assert report.ok, report.problem
    assert report.erased == len(targets)
    assert report.erased_sequences == targets == seen
    assert report.checked == before + 1


def test_rows_without_values_or_already_erased_are_left_alone(activity, personas: Personas) -> None:
    update = AuditEvent.objects.get(action="nominal.update").sequence
    first = audit_erase_values(event_ids=[update], reason="Retention", actor=personas.coordinator)
    assert first is not None
    no_values = first.sequence  # the erasure event itself holds no values

    again = audit_erase_values(
        event_ids=[update, no_values], reason="Retention", actor=personas.coordinator
    )

    assert again is None
    assert AuditEvent.objects.filter(action=ERASURE_ACTION).count() == 1
    assert verify_chain().ok


def test_a_reason_is_required(activity, personas: Personas) -> None:
    update = AuditEvent.objects.get(action="nominal.update").sequence
    with pytest.raises(ValidationError) as caught:
        audit_erase_values(event_ids=[update], reason="  ", actor=personas.coordinator)
    assert caught.value.message_dict == {"reason": ["Enter the reason for erasing the values"]}
    assert AuditEvent.objects.get(sequence=update).changes is not None


def test_an_erasure_without_its_recorded_decision_is_tampering(activity) -> None:
    """The database allows the erasure's shape of update; only the chained erasure event
    makes it legitimate, so values nulled behind the service's back are reported."""
    update = AuditEvent.objects.get(action="nominal.update").sequence
    AuditEvent.objects.filter(sequence=update).update(changes=None, erased_at=timezone.now())

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (update, "erasure")


def test_erasing_many_rows_in_batches(personas: Personas) -> None:
    rows = [
        audit_record(actor=None, action="test.change", changes={"n": [i, i + 1]}).sequence
        for i in range(1200)
    ]
    erasure = audit_erase_values(event_ids=rows, reason="Retention", actor=personas.coordinator)
    assert erasure is not None
    assert erasure.detail["erased"] == 1200
    report = verify_chain(batch_size=500)
    assert report.ok, report.problem
    assert report.erased == 1200
