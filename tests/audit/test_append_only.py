"""The database itself refuses to change or remove audit rows (issue 3: "the application's
role cannot UPDATE or DELETE audit rows"), except the retention erasure of values."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_record
from mappa.audit.verify import verify_chain
from tests.audit.conftest import raw

pytestmark = pytest.mark.django_db

ERASABLE = {"changes", "erased_at"}
# A different, valid value for every other column. A column added to the model without
# an entry here fails test_every_other_column_is_covered, and so cannot slip past the
# triggers unnoticed.
OTHER_VALUES = {
    "sequence": 987654,
    "at": dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
    "actor_id": 424242,
    "actor_label": "someone-else",
    "action": "nominal.delete",
    "object_type": "register.other",
    "object_id": "other",
    "nominal_id": "other",
    "outcome": "refused",
    "values_digest": "a" * 64,
    "detail": {"forged": True},
    "ip_address": "192.0.2.1",
    "prev_hash": "b" * 64,
    "hash": "c" * 64,
}


@pytest.fixture
def rows() -> list[AuditEvent]:
    return [
        audit_record(actor=None, action="test.change", changes={"name": ["A", "B"]}),
        audit_record(actor=None, action="test.change", changes={"name": ["B", "C"]}),
        audit_record(actor=None, action="test.view"),
    ]


def _refused(statement) -> bool:
    try:
        with transaction.atomic():
            statement()
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


def test_every_other_column_is_covered() -> None:
    columns = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert columns - ERASABLE == set(OTHER_VALUES)


@pytest.mark.parametrize("column", sorted(OTHER_VALUES))
def test_updating_any_column_is_refused(rows: list[AuditEvent], column: str) -> None:
    target = rows[1].sequence
    assert _refused(
        lambda: AuditEvent.objects.filter(sequence=target).update(**{column: OTHER_VALUES[column]})
    )


@pytest.mark.parametrize("column", sorted(OTHER_VALUES))
def test_the_erasure_cannot_carry_another_change(rows: list[AuditEvent], column: str) -> None:
    target = rows[1].sequence
    assert _refused(
        lambda: AuditEvent.objects.filter(sequence=target).update(
            changes=None, erased_at=timezone.now(), **{column: OTHER_VALUES[column]}
        )
    )


def test_a_raw_update_is_refused(rows: list[AuditEvent]) -> None:
    target = rows[1].sequence
    assert _refused(
        lambda: raw("UPDATE audit_auditevent SET actor_label = 'x' WHERE sequence = %s", [target])
    )
    assert AuditEvent.objects.get(sequence=target).actor_label == "anonymous"


@pytest.mark.parametrize("which", [1, 2])
def test_a_raw_delete_is_refused(rows: list[AuditEvent], which: int) -> None:
    """The middle and the newest row: the deletions that would hide something."""
    target = rows[which].sequence
    assert _refused(lambda: raw("DELETE FROM audit_auditevent WHERE sequence = %s", [target]))
    assert AuditEvent.objects.filter(sequence=target).exists()


def test_an_orm_delete_is_refused(rows: list[AuditEvent]) -> None:
    assert _refused(lambda: AuditEvent.objects.filter(sequence__gt=rows[0].sequence).delete())
    assert AuditEvent.objects.count() == 3


@pytest.mark.postgres_only
def test_even_the_oldest_row_cannot_be_deleted_on_postgresql(rows: list[AuditEvent]) -> None:
    assert _refused(
        lambda: raw("DELETE FROM audit_auditevent WHERE sequence = %s", [rows[0].sequence])
    )


def test_erasing_values_is_allowed_once(rows: list[AuditEvent]) -> None:
    target = rows[0].sequence
    AuditEvent.objects.filter(sequence=target).update(changes=None, erased_at=timezone.now())
    assert AuditEvent.objects.get(sequence=target).changes is None
    # Erased once: the date of erasure and the (absent) values are final.
    assert _refused(
        lambda: AuditEvent.objects.filter(sequence=target).update(erased_at=timezone.now())
    )


def test_values_cannot_be_replaced(rows: list[AuditEvent]) -> None:
    target = rows[0].sequence
    assert _refused(
        lambda: AuditEvent.objects.filter(sequence=target).update(changes={"name": ["X", "Y"]})
    )


def test_values_cannot_be_dropped_without_recording_the_erasure(rows: list[AuditEvent]) -> None:
    target = rows[0].sequence
    assert _refused(lambda: AuditEvent.objects.filter(sequence=target).update(changes=None))
    assert _refused(
        lambda: AuditEvent.objects.filter(sequence=target).update(erased_at=timezone.now())
    )


def test_a_row_without_values_cannot_be_marked_erased(rows: list[AuditEvent]) -> None:
    target = rows[2].sequence
    assert _refused(
        lambda: AuditEvent.objects.filter(sequence=target).update(
            changes=None, erased_at=timezone.now()
        )
    )


def test_new_rows_can_still_be_appended(rows: list[AuditEvent]) -> None:
    audit_record(actor=None, action="test.after")
    assert verify_chain().ok
