"""``manage.py seed_scale --nominals N``: a large register for benchmarks, fast."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.access.models import User
from mappa.register.management.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Add N invented people to the register with bulk inserts (each with aliases, "
        "identifiers, an address, a conviction, a case and its current state), index them "
        "for search and record one audit event for the load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nominals", type=int, required=True, help="How many people")
        parser.add_argument("--aliases-min", type=int, default=2)
        parser.add_argument("--aliases-max", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--top-up",
            action="store_true",
            help="Add only as many as it takes for the register to hold N people",
        )
        parser.add_argument(
            "--actor", default="", help="Username recorded as having made the load (optional)"
        )
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"There is no account called {options['actor']!r}")
        try:
            result = seed_scale(
                nominals=options["nominals"],
                aliases_min=options["aliases_min"],
                aliases_max=options["aliases_max"],
                seed=options["seed"],
                top_up=options["top_up"],
                actor=actor,
                chunk_size=max(1, options["chunk_size"]),
                progress=self.stdout.write if options["verbosity"] > 0 else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped_because:
            self.stdout.write(f"Nothing to add: {result.skipped_because}.")
            return
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.people:,} people ({result.first_reference} to "
                f"{result.last_reference}) with {counts.get('alias', 0):,} aliases, "
                f"{counts.get('identifier', 0):,} identifiers, {counts.get('address', 0):,} "
                f"addresses, {counts.get('conviction', 0):,} convictions and "
                f"{counts.get('index_rows', 0):,} search index rows in {result.seconds:.1f} s "
                f"(rows {result.seconds_rows:.1f} s, search index {result.seconds_index:.1f} s)."
            )
        )
