"""The audit chain: intact after normal use; any edit, deletion or forged row is found
and the row named (issue 3, "Tests that must exist")."""

import datetime as dt

import pytest
from django.db.models import Max
from django.utils import timezone

from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_record, event_hash
from mappa.audit.verify import verify_chain
from tests.audit.conftest import append_only_lifted, raw
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _last() -> int:
    return AuditEvent.objects.aggregate(m=Max("sequence"))["m"]


def test_the_chain_verifies_after_a_normal_session(activity, personas: Personas) -> None:
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"nominal.create", "nominal.update", "nominal.archive"} <= set(actions)

    report = verify_chain()

    assert report.ok, report.problem
    assert report.checked == len(actions) == _last()
    assert report.erased == 0


def test_an_empty_trail_verifies() -> None:
    report = verify_chain()
    assert report.ok
    assert report.checked == 0


def test_small_batches_walk_the_same_chain(activity) -> None:
    report = verify_chain(batch_size=2)
    assert report.ok, report.problem
    assert report.checked == AuditEvent.objects.count()


def test_an_edited_row_is_named(activity) -> None:
    target = AuditEvent.objects.get(action="nominal.update")
    with append_only_lifted():
        raw(
            "UPDATE audit_auditevent SET actor_label = %s WHERE sequence = %s",
            ["someone-else", target.sequence],
        )

    report = verify_chain()

    assert not report.ok
    assert report.problem is not None
    assert report.problem.sequence == target.sequence
    assert report.problem.kind == "edited"
    assert f"row #{target.sequence}" in str(report.problem)


def test_edited_values_are_found_by_their_digest(activity) -> None:
    target = AuditEvent.objects.get(action="nominal.update")
    assert isinstance(target.changes, dict)
    changes = dict(target.changes)
    changes["given_names"] = ["John", "Someone Else"]
    with append_only_lifted():
        AuditEvent.objects.filter(sequence=target.sequence).update(changes=changes)

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (target.sequence, "values")


def test_values_removed_without_a_retention_erasure_are_tampering(activity) -> None:
    target = AuditEvent.objects.get(action="nominal.update")
    with append_only_lifted():
        AuditEvent.objects.filter(sequence=target.sequence).update(changes=None)

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (target.sequence, "values")


def test_a_deleted_row_is_named(activity) -> None:
    target = AuditEvent.objects.get(action="nominal.update").sequence
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent WHERE sequence = %s", [target])

    report = verify_chain()

    assert report.problem is not None
    assert report.problem.kind == "missing"
    assert report.problem.sequence == target + 1
    assert f"row #{target} is missing" in report.problem.message


def test_a_deleted_first_row_is_named() -> None:
    for number in range(3):
        audit_record(actor=None, action="test.event", detail={"n": number})
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent WHERE sequence = 1")

    report = verify_chain()

    assert report.problem is not None
    assert report.problem.sequence == 2
    assert "row #1 is missing" in report.problem.message


def test_a_deleted_row_with_the_rest_renumbered_breaks_the_link(activity) -> None:
    """A careful tamperer closes the gap: the renumbered rows no longer match their hashes."""
    target = AuditEvent.objects.get(action="nominal.update").sequence
    last = _last()
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent WHERE sequence = %s", [target])
        for sequence in range(target + 1, last + 1):
            raw(
                "UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s",
                [sequence - 1, sequence],
            )

    report = verify_chain()

    assert report.problem is not None
    assert report.problem.sequence == target
    assert report.problem.kind == "edited"


def test_a_deleted_row_with_the_rest_renumbered_and_rehashed_breaks_the_link(activity) -> None:
    target = AuditEvent.objects.get(action="nominal.update").sequence
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent WHERE sequence = %s", [target])
        for event in AuditEvent.objects.filter(sequence__gt=target).order_by("sequence"):
            old = event.sequence
            event.sequence = old - 1
            event.hash = event_hash(event)
            raw(
                "UPDATE audit_auditevent SET sequence = %s, hash = %s WHERE sequence = %s",
                [event.sequence, event.hash, old],
            )

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (target, "link")
    assert f"does not link to row #{target - 1}" in report.problem.message


def test_a_forged_row_with_a_made_up_hash_is_named(activity) -> None:
    last = AuditEvent.objects.get(sequence=_last())
    forged = AuditEvent(
        sequence=last.sequence + 1,
        at=timezone.now(),
        actor_label="coordinator",
        action="nominal.view",
        values_digest=last.values_digest,
        prev_hash=last.hash,
        hash="f" * 64,
    )
    forged.save(force_insert=True)

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (forged.sequence, "edited")


def test_a_forged_row_linked_into_the_middle_is_named(activity) -> None:
    """Correctly hashed, but chained to an earlier row to make it look older."""
    earlier = AuditEvent.objects.get(action="nominal.update")
    forged = AuditEvent(
        sequence=_last() + 1,
        at=earlier.at + dt.timedelta(seconds=1),
        actor_label="owner",
        action="nominal.view",
        values_digest=earlier.values_digest,
        prev_hash=earlier.hash,
    )
    forged.hash = event_hash(forged)
    forged.save(force_insert=True)

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (forged.sequence, "link")


def test_a_forged_row_out_of_line_is_named(activity) -> None:
    last = AuditEvent.objects.get(sequence=_last())
    forged = AuditEvent(
        sequence=last.sequence + 10,
        at=timezone.now(),
        action="nominal.view",
        values_digest=last.values_digest,
        prev_hash=last.hash,
    )
    forged.hash = event_hash(forged)
    forged.save(force_insert=True)

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (forged.sequence, "missing")
    assert (
        f"rows #{last.sequence + 1} to #{last.sequence + 9} are missing" in report.problem.message
    )


def test_a_forged_row_before_the_chain_is_named(activity) -> None:
    forged = AuditEvent(
        sequence=0,
        at=timezone.now(),
        action="nominal.view",
        values_digest="0" * 64,
        prev_hash="0" * 64,
    )
    forged.hash = event_hash(forged)
    forged.save(force_insert=True)

    report = verify_chain()

    assert report.problem is not None
    assert (report.problem.sequence, report.problem.kind) == (0, "missing")
    assert "inserted" in report.problem.message


def test_an_edit_reports_the_first_break_only(activity) -> None:
    first, second = AuditEvent.objects.filter(action="nominal.create").order_by("sequence")
    with append_only_lifted():
        for event in (second, first):
            raw(
                "UPDATE audit_auditevent SET outcome = 'refused' WHERE sequence = %s",
                [event.sequence],
            )

    report = verify_chain()

    assert report.problem is not None
    assert report.problem.sequence == first.sequence
    assert report.checked == first.sequence
