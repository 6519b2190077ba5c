"""``manage.py kpi --from YYYY-MM-DD --to YYYY-MM-DD [--agency NAME_OR_ID] --format json``

Prints every KPI of the area's profile for the period (issue 6, point 7) as
``{"profile", "from", "to", "kpis": [...]}``, the same JSON as ``GET /api/v1/kpis/``.
Run by an operator, so failing items carry the person's name; the run is audited.
"""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.access.models import Agency
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.kpis.engine import PeriodError, compute_kpis, kpis_as_json, quarter_of


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"{option} must be a real date in the form YYYY-MM-DD, for example 2026-03-31 "
            f"(got {value!r})"
        ) from exc


def agency_named(value: str) -> Agency:
    """An agency by its id or its name (any case)."""
    found = Agency.objects.filter(pk=int(value)) if value.isdigit() else None
    if not found:
        found = Agency.objects.filter(name__iexact=value.strip())
    agencies = list(found[:2])
    if not agencies:
        raise CommandError(f"There is no agency {value!r}: give its id or its full name")
    if len(agencies) > 1:  # pragma: no cover - names are unique
        raise CommandError(f"More than one agency matches {value!r}: give its id")
    return agencies[0]


class Command(BaseCommand):
    help = (
        "Print the KPIs of the area's profile for a period as JSON (default: the current "
        "quarter to date)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="First day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="Last day of the period, YYYY-MM-DD")
        parser.add_argument("--agency", help="Narrow to one agency: its id or its name")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        end = _date(options["end"], "--to") or today()
        start = _date(options["start"], "--from") or quarter_of(end)[0]
        agency = agency_named(options["agency"]) if options["agency"] else None
        try:
            results = compute_kpis(
                start=start, end=end, agency_id=agency.pk if agency is not None else None
            )
        except PeriodError as exc:
            raise CommandError(f"{exc} (--from {start}, --to {end})") from exc
        data = kpis_as_json(results, start=start, end=end)
        audit_record(
            actor="manage.py kpi",
            action="kpi.export",
            detail={
                "from": start,
                "to": end,
                "agency": agency.pk if agency is not None else None,
                "format": options["format"],
                "failing": sum(len(k["failing"]) for k in data["kpis"]),
            },
        )
        self.stdout.write(json.dumps(data, indent=2, sort_keys=True))
