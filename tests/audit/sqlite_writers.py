"""Run by test_concurrency in a child process: several threads append audit events to a
SQLite database file at once, then the chain is verified.

A child process because the test database pytest-django gives SQLite lives in memory,
where connections from other threads meet table locks that a file never has; a file
database is what a SQLite installation runs on.
"""

import json
import sys

import django


def main(writers: int, events_each: int) -> None:
    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from mappa.audit.models import AuditEvent
    from mappa.audit.verify import verify_chain
    from tests.audit.test_concurrency import write_concurrently

    # Only the audit table and what it depends on: the rest of the schema is not needed.
    call_command("migrate", "audit", verbosity=0, interactive=False)
    errors = write_concurrently(writers, events_each)
    report = verify_chain()
    duplicate_links = (
        AuditEvent.objects.values("prev_hash").annotate(n=Count("sequence")).filter(n__gt=1).count()
    )
    print(
        json.dumps(
            {
                "errors": [repr(error) for error in errors],
                "sequences": list(AuditEvent.objects.values_list("sequence", flat=True)),
                "duplicate_links": duplicate_links,
                "ok": report.ok,
                "problem": str(report.problem) if report.problem else None,
                "checked": report.checked,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
