"""manage.py verify_audit: check the audit chain end to end (issue 3, "Audit trail").

Exits 0 when the chain is intact, 1 (with the first broken link on stderr) when not.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.audit.models import AuditEvent
from mappa.audit.verify import DEFAULT_BATCH_SIZE, verify_chain, verify_shipped


class Command(BaseCommand):
    # It only reads the audit table: a check failing elsewhere in the project must not
    # stop an auditor from verifying the trail.
    requires_system_checks: list[str] = []
    help = (
        "Check every audit event's hash, its link to the one before and the digest of its "
        "values; report the first broken link and exit non-zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Rows read per query (default %(default)s).",
        )
        parser.add_argument(
            "--shipped",
            metavar="PATH",
            help="Also compare the database with the JSON lines shipped to this file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        batch_size = max(int(options["batch_size"]), 1)

        def list_erased(event: AuditEvent) -> None:
            if verbosity >= 2:
                when = event.erased_at.isoformat() if event.erased_at else "an unknown date"
                self.stdout.write(f"Row #{event.sequence}: values erased under retention on {when}")

        report = verify_chain(batch_size=batch_size, on_erased=list_erased)
        if report.problem is not None:
            raise CommandError(
                f"The audit chain is broken at row #{report.problem.sequence}: "
                f"{report.problem.message} ({report.checked} rows read)"
            )
        if report.checked:
            span = f" (#{report.first_sequence} to #{report.last_sequence})"
        else:
            span = ""
        self.stdout.write(
            f"The audit chain is intact: {report.checked} rows checked{span}, "
            f"{report.erased} with values erased under retention."
        )
        if report.erased and verbosity < 2:
            sample = ", ".join(f"#{s}" for s in report.erased_sequences[:10])
            more = " and others" if report.erased > 10 else ""
            self.stdout.write(f"Erased rows: {sample}{more}")

        if options["shipped"]:
            shipped = verify_shipped(options["shipped"], batch_size=batch_size)
            if shipped.problem is not None:
                where = (
                    f" at row #{shipped.problem.sequence}"
                    if shipped.problem.sequence is not None
                    else ""
                )
                raise CommandError(
                    f"The shipped copy disagrees with the database{where}: "
                    f"{shipped.problem.message}"
                )
            self.stdout.write(
                f"The shipped copy agrees: {shipped.matched} lines match the database; "
                f"{shipped.not_shipped} database rows have no shipped copy."
            )
