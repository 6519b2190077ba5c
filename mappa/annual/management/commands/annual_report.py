"""``manage.py annual_report --year YYYY --format json|csv|xlsx|pdf [--output FILE]``.

The same file the page's download gives, for the co-ordinator's scripts and for
checking figures against the register. Text formats go to standard output unless
``--output`` is given; PDF and XLSX need ``--output`` or a redirected standard
output (they are written to its byte buffer, never to a terminal). Each run is
written to the audit trail with the file's SHA-256.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.annual import exports, selectors
from mappa.annual.report import ReportYearError, annual_report
from mappa.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Write the annual report statistics for the reporting year ending in YEAR "
        "(Jersey: the calendar year; England and Wales: the year ending 31 March) as "
        "JSON, CSV, XLSX or PDF, with the protective marking."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="The year, for example 2025")
        parser.add_argument("--format", required=True, choices=exports.FORMATS)
        parser.add_argument("--output", default="", help="Write to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        try:
            report = annual_report(year=options["year"])
        except ReportYearError as exc:
            raise CommandError(str(exc)) from exc
        note = selectors.note_for(year=report.year, profile_key=report.profile_key)
        made = exports.export(report, note, fmt)
        output = options["output"]
        binary = fmt in ("pdf", "xlsx")
        if output:
            try:
                Path(output).write_bytes(made.content)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        elif binary:
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is None or stream.isatty():
                raise CommandError(
                    f"A {fmt.upper()} file is binary: give --output FILE or redirect the output"
                )
            buffer.write(made.content)
            buffer.flush()
        else:
            self.stdout.write(made.content.decode("utf-8-sig"), ending="")
        audit_record(
            actor=None,
            action="annual_report.export",
            object_type="annual.report",
            object_id=f"{report.profile_key}:{report.year}",
            detail={
                "year": report.year,
                "profile": report.profile_key,
                "format": fmt,
                "sha256": made.sha256,
                "bytes": len(made.content),
                "via": "command",
                "output": output or "stdout",
            },
        )
        if output:
            self.stderr.write(f"Wrote {made.filename} ({len(made.content):,} bytes) to {output}")
