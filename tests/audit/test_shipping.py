"""Shipping each committed event as a JSON line to a store outside the database, and
using that copy to catch what the chain alone cannot."""

import json
import logging
import socket
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_record, content_hash, event_hash
from mappa.audit.ship_config import parse_ship_target
from mappa.audit.verify import verify_chain, verify_shipped
from tests.audit.conftest import append_only_lifted, raw, session_of_activity
from tests.conftest import Personas


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.django_db
def test_each_committed_event_is_shipped_as_one_json_line(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    target = tmp_path / "audit.jsonl"
    with override_settings(MAPPA_AUDIT_SHIP={"kind": "file", "path": str(target)}):
        with django_capture_on_commit_callbacks(execute=True):
            first = audit_record(actor=None, action="test.one", changes={"name": ["A", "B"]})
            second = audit_record(actor=None, action="test.two", detail={"terms": "smith"})

    lines = _lines(target)
    assert [line["sequence"] for line in lines] == [first.sequence, second.sequence]
    assert [line["hash"] for line in lines] == [first.hash, second.hash]
    assert lines[1]["detail"] == {"terms": "smith"}
    # The shipped line carries the chained content, so the copy verifies on its own...
    for line in lines:
        assert content_hash({k: v for k, v in line.items() if k != "hash"}) == line["hash"]
    # ...and leaves the erasable values behind by default.
    assert "changes" not in lines[0]
    assert lines[0]["values_digest"] == first.values_digest


@pytest.mark.django_db
def test_values_are_shipped_only_when_asked(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    target = tmp_path / "audit.jsonl"
    setting = {"kind": "file", "path": str(target), "include_values": True}
    with override_settings(MAPPA_AUDIT_SHIP=setting):
        with django_capture_on_commit_callbacks(execute=True):
            audit_record(actor=None, action="test.one", changes={"name": ["A", "B"]})
    assert _lines(target)[0]["changes"] == {"name": ["A", "B"]}
    assert verify_shipped(target).ok


@pytest.mark.django_db
def test_nothing_is_shipped_by_default(tmp_path: Path, django_capture_on_commit_callbacks) -> None:
    with override_settings(MAPPA_AUDIT_SHIP=None):
        with django_capture_on_commit_callbacks() as callbacks:
            audit_record(actor=None, action="test.one")
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_is_never_shipped(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    with override_settings(MAPPA_AUDIT_SHIP={"kind": "file", "path": str(target)}):
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(actor=None, action="test.rolled_back")
            raise RuntimeError("the change being audited failed")
        assert not target.exists()

        with transaction.atomic():
            kept = audit_record(actor=None, action="test.committed")
            # Not before the commit: a reader of the copy never sees an uncommitted event.
            assert not target.exists()

    assert [line["action"] for line in _lines(target)] == ["test.committed"]
    assert _lines(target)[0]["sequence"] == kept.sequence
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.committed"]


@pytest.mark.django_db(transaction=True)
def test_a_shipping_failure_is_logged_and_the_event_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unwritable = tmp_path / "no-such-directory" / "audit.jsonl"
    with override_settings(MAPPA_AUDIT_SHIP={"kind": "file", "path": str(unwritable)}):
        with caplog.at_level(logging.ERROR, logger="mappa.audit.shipping"):
            event = audit_record(actor=None, action="test.kept")

    assert AuditEvent.objects.filter(sequence=event.sequence).exists()
    assert f"Audit event #{event.sequence} was not shipped" in caplog.text
    assert verify_chain().ok


@pytest.mark.django_db
def test_events_go_to_a_syslog_server(django_capture_on_commit_callbacks) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    port = server.getsockname()[1]
    try:
        with override_settings(MAPPA_AUDIT_SHIP={"kind": "syslog", "address": ["127.0.0.1", port]}):
            with django_capture_on_commit_callbacks(execute=True):
                event = audit_record(actor=None, action="test.syslog")
        datagram = server.recv(65536).decode()
    finally:
        server.close()

    # <PRI> for facility local0 (16) and severity informational (6): 16 * 8 + 6.
    assert datagram.startswith("<134>mappa-audit: ")
    line = json.loads(datagram.removeprefix("<134>mappa-audit: "))
    assert (line["sequence"], line["hash"]) == (event.sequence, event.hash)


@pytest.mark.django_db
def test_an_unreachable_syslog_socket_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks
) -> None:
    missing = str(tmp_path / "no-syslog-here")
    with override_settings(MAPPA_AUDIT_SHIP={"kind": "syslog", "address": missing}):
        with caplog.at_level(logging.ERROR, logger="mappa.audit.shipping"):
            with django_capture_on_commit_callbacks(execute=True):
                event = audit_record(actor=None, action="test.kept")
    assert f"Audit event #{event.sequence} was not shipped (syslog)" in caplog.text
    assert AuditEvent.objects.filter(sequence=event.sequence).exists()


def _ship_everything(path: Path, personas: Personas, capture) -> None:
    with override_settings(MAPPA_AUDIT_SHIP={"kind": "file", "path": str(path)}):
        with capture(execute=True):
            session_of_activity(personas)


@pytest.mark.django_db
def test_the_shipped_copy_catches_a_rewritten_chain(
    tmp_path: Path, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    """Someone who edits a row and re-hashes every row after it keeps the chain whole;
    the copy shipped as the rows were written shows where the database was changed."""
    shipped = tmp_path / "audit.jsonl"
    _ship_everything(shipped, personas, django_capture_on_commit_callbacks)
    assert verify_shipped(shipped).ok
    target = AuditEvent.objects.get(action="nominal.update").sequence

    with append_only_lifted():
        previous = AuditEvent.objects.get(sequence=target - 1).hash
        for event in AuditEvent.objects.filter(sequence__gte=target).order_by("sequence"):
            if event.sequence == target:
                event.actor_label = "someone-else"
            event.prev_hash = previous
            event.hash = event_hash(event)
            raw(
                "UPDATE audit_auditevent SET actor_label = %s, prev_hash = %s, hash = %s WHERE sequence = %s",
                [event.actor_label, event.prev_hash, event.hash, event.sequence],
            )
            previous = event.hash

    assert verify_chain().ok
    report = verify_shipped(shipped)
    assert report.problem is not None
    assert report.problem.sequence == target
    assert "differs from the shipped copy" in report.problem.message


@pytest.mark.django_db
def test_the_shipped_copy_catches_an_emptied_table(
    tmp_path: Path, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    shipped = tmp_path / "audit.jsonl"
    _ship_everything(shipped, personas, django_capture_on_commit_callbacks)
    first = AuditEvent.objects.order_by("sequence").first()
    assert first is not None
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent")

    assert verify_chain().ok  # nothing left to contradict itself
    report = verify_shipped(shipped)
    assert report.problem is not None
    assert report.problem.sequence == first.sequence
    assert "not in the database" in report.problem.message


@pytest.mark.django_db
def test_a_corrupted_shipped_line_is_reported(
    tmp_path: Path, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    shipped = tmp_path / "audit.jsonl"
    _ship_everything(shipped, personas, django_capture_on_commit_callbacks)
    lines = shipped.read_text().splitlines()
    record = json.loads(lines[1])
    record["actor_label"] = "someone-else"
    lines[1] = json.dumps(record)
    shipped.write_text("\n".join(lines) + "\n")

    report = verify_shipped(shipped)
    assert report.problem is not None
    assert "line 2 of the shipped copy does not match its own hash" in report.problem.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("file:/var/log/mappa/audit.jsonl", {"kind": "file", "path": "/var/log/mappa/audit.jsonl"}),
        ("syslog:/dev/log", {"kind": "syslog", "address": "/dev/log"}),
        ("syslog:logs.example.org:514", {"kind": "syslog", "address": ["logs.example.org", 514]}),
    ],
)
def test_the_target_is_read_from_one_environment_value(value: str, expected) -> None:
    assert parse_ship_target(value) == expected


@pytest.mark.parametrize(
    "value", ["file:", "syslog:", "syslog:host", "s3://bucket", "syslog:host:port"]
)
def test_a_target_that_is_not_understood_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="not understood"):
        parse_ship_target(value)


@pytest.mark.django_db
def test_an_unreadable_shipped_line_is_reported(tmp_path: Path) -> None:
    shipped = tmp_path / "audit.jsonl"
    shipped.write_text("not json\n")
    report = verify_shipped(shipped)
    assert report.problem is not None
    assert report.problem.sequence is None
    assert str(report.problem) == "line 1 of the shipped copy is unreadable"
