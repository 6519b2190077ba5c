"""manage.py verify_audit: its report and its exit code."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from django.db import connections
from django.test import override_settings

from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_erase_values
from tests.audit.conftest import append_only_lifted, raw, session_of_activity
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run the command as manage.py does, returning its exit code.

    manage.py closes every database connection when a command ends, which would end
    the test's own transaction; here that closing is left to the test framework.
    """
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def _run(*arguments: str) -> int:
        try:
            ManagementUtility(["manage.py", "verify_audit", *arguments]).execute()
        except SystemExit as exit_:
            return int(exit_.code or 0)
        return 0

    return _run


def test_an_intact_chain_exits_zero_with_a_summary(run, activity, capsys) -> None:
    total = AuditEvent.objects.count()

    assert run() == 0

    out = capsys.readouterr().out
    assert (
        f"The audit chain is intact: {total} rows checked (#1 to #{total}), 0 with values erased"
        in out
    )


def test_a_broken_chain_exits_non_zero_naming_the_row(run, activity, capsys) -> None:
    target = AuditEvent.objects.get(action="nominal.update").sequence
    with append_only_lifted():
        raw("UPDATE audit_auditevent SET action = 'nominal.view' WHERE sequence = %s", [target])

    assert run() == 1

    err = capsys.readouterr().err
    assert f"The audit chain is broken at row #{target}: its content does not match its hash" in err


def test_a_deleted_row_exits_non_zero_naming_it(run, activity, capsys) -> None:
    target = AuditEvent.objects.get(action="nominal.update").sequence
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent WHERE sequence = %s", [target])

    assert run("--batch-size", "3") == 1

    assert f"row #{target} is missing" in capsys.readouterr().err


def test_erased_rows_are_reported_as_erased(run, activity, personas: Personas, capsys) -> None:
    target = AuditEvent.objects.get(action="nominal.update").sequence
    audit_erase_values(event_ids=[target], reason="Retention", actor=personas.coordinator)

    assert run() == 0
    out = capsys.readouterr().out
    assert "1 with values erased under retention" in out
    assert f"Erased rows: #{target}" in out

    assert run("-v", "2") == 0
    assert f"Row #{target}: values erased under retention on " in capsys.readouterr().out


def test_the_shipped_copy_is_compared_when_given(
    run, tmp_path: Path, personas: Personas, capsys, django_capture_on_commit_callbacks
) -> None:
    shipped = tmp_path / "audit.jsonl"
    with override_settings(MAPPA_AUDIT_SHIP={"kind": "file", "path": str(shipped)}):
        with django_capture_on_commit_callbacks(execute=True):
            session_of_activity(personas)
    total = AuditEvent.objects.count()

    assert run("--shipped", str(shipped)) == 0
    assert f"The shipped copy agrees: {total} lines match the database" in capsys.readouterr().out

    last = AuditEvent.objects.order_by("-sequence").first()
    assert last is not None
    with append_only_lifted():
        raw("DELETE FROM audit_auditevent WHERE sequence = %s", [last.sequence])
    # The chain alone cannot tell that its newest row went; the shipped copy can.
    assert run() == 0
    capsys.readouterr()
    assert run("--shipped", str(shipped)) == 1
    assert (
        f"The shipped copy disagrees with the database at row #{last.sequence}"
        in capsys.readouterr().err
    )
