"""``manage.py compliance --as-of YYYY-MM-DD --format json``: every due item of the area.

Used by the daily compliance run and by auditors (issue 4 point 7).
"""

import csv
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.compliance.services import area_due_items, as_json


class Command(BaseCommand):
    help = "Print every due item of the area (identification, referral, meetings, minutes, reviews, home visits)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", dest="as_of", help="The date to evaluate, YYYY-MM-DD (default today)"
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = today()
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError("--as-of must be a date in the form YYYY-MM-DD") from exc
        rows = as_json(area_due_items(as_of))
        audit_record(
            actor="manage.py compliance",
            action="compliance.export",
            detail={"as_of": as_of, "items": len(rows), "format": options["format"]},
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        writer = csv.writer(self.stdout)
        writer.writerow(
            [
                "case",
                "level",
                "kind",
                "basis_event",
                "basis_date",
                "due",
                "state",
                "met_on",
                "days_late",
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r["case"],
                    r["level"],
                    r["kind"],
                    r["basis"]["event"],
                    r["basis"]["date"],
                    r["due"],
                    r["state"],
                    r["met_on"],
                    r["days_late"],
                ]
            )
