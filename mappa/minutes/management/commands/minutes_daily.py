"""``manage.py minutes_daily``: queue the minutes app's daily work (for the daily run).

Reminders to action owners before a deadline and when one is missed, the minutes-due
reminder to administrators, and another try at any distribution email that failed.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mappa.common.dates import today
from mappa.minutes.tasks import daily_minutes_run


class Command(BaseCommand):
    help = "Queue the daily reminders for actions and minutes, and retry failed notices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        day = dt.date.fromisoformat(date) if date else today()
        result = daily_minutes_run.enqueue(day.isoformat())
        self.stdout.write(f"Queued the minutes daily run for {day:%-d %B %Y} ({result.id}).")
