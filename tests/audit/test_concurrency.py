"""The chain stays one line under concurrent writers (decisions.md, "Access and audit"):
several connections append at once and the result is one unbroken chain."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_record
from mappa.audit.verify import verify_chain

WRITERS = 8
EVENTS_EACH = 25
# SQLite makes a waiting writer back off and retry; fewer writers keep the test quick
# while still overlapping.
SQLITE_WRITERS = 4
SQLITE_EVENTS_EACH = 20


def write_concurrently(
    writers: int = WRITERS, events_each: int = EVENTS_EACH
) -> list[BaseException]:
    """Start ``writers`` threads together, each appending ``events_each`` events."""
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        # Each thread has its own database connection (Django's connections are per thread).
        try:
            start.wait()
            for index in range(events_each):
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action="test.concurrent",
                        detail={"writer": number, "index": index},
                    )
                    # Hold the transaction open a moment, so that writers really overlap.
                    time.sleep(0.001)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_make_one_chain() -> None:
    assert connection.vendor == "postgresql"

    errors = write_concurrently()

    assert errors == []
    total = WRITERS * EVENTS_EACH
    rows = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "prev_hash"))
    assert [sequence for sequence, _ in rows] == list(range(1, total + 1))
    assert len({prev for _, prev in rows}) == total, "two events claim the same predecessor"
    report = verify_chain()
    assert report.ok, report.problem
    assert report.checked == total
    details = AuditEvent.objects.values_list("detail", flat=True)
    assert {(d["writer"], d["index"]) for d in details} == {
        (w, i) for w in range(WRITERS) for i in range(EVENTS_EACH)
    }


def test_concurrent_writers_on_a_sqlite_file_make_one_chain(tmp_path: Path) -> None:
    """SQLite serialises writers with IMMEDIATE transactions (config/settings.py)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'audit.sqlite3'}",
        "MAPPA_TESTING": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    child = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "tests.audit.sqlite_writers",
            str(SQLITE_WRITERS),
            str(SQLITE_EVENTS_EACH),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])

    assert result["errors"] == []
    total = SQLITE_WRITERS * SQLITE_EVENTS_EACH
    assert result["sequences"] == list(range(1, total + 1))
    assert result["duplicate_links"] == 0
    assert result["ok"], result["problem"]
    assert result["checked"] == total
