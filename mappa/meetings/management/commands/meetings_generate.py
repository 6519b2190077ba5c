"""``manage.py meetings_generate [--months N]``: create the panel days the schedule
gives for the coming months (J 10.6). Safe to run every day: nothing is made twice."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mappa.meetings import services


class Command(BaseCommand):
    help = "Create the level 2 and 3 meetings the panel schedule gives for the coming months."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=12)

    def handle(self, *args: Any, **options: Any) -> None:
        created = services.meetings_generate(
            actor="manage.py meetings_generate", months=options["months"]
        )
        self.stdout.write(f"{len(created)} meetings created")
