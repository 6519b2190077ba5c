"""``manage.py daily_run``: queue today's daily run (compliance, reminders, mail retries).

The run queues the next one itself for 06:00 the following day, so ``make run`` calls
this once at start-up; a production deployment may instead call it from cron daily.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.common.dates import today
from mappa.compliance.tasks import daily_run


class Command(BaseCommand):
    help = "Queue the daily run: the compliance clock, reminders and mail retries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to run for, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else today()
        except ValueError as exc:
            raise CommandError("--date must be a date in the form YYYY-MM-DD") from exc
        result = daily_run.enqueue(day.isoformat())
        self.stdout.write(f"Queued the daily run for {day:%-d %B %Y} ({result.id}).")
