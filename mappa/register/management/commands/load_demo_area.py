"""``manage.py load_demo_area``: build the Jersey-like demo area once, then print the logins."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from mappa.register.management import demo_area


class Command(BaseCommand):
    help = (
        "Build the demo area (agencies, contact directory, one account per role, about 150 "
        "invented people on the register and two years of their casework, the SMB and "
        "outcome events) unless it is already there, then print the demo sign-in details."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--without-casework",
            action="store_true",
            help="Build only the register and the directory, without referrals, meetings "
            "and minutes (tests of the register use this).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every person and directory entry and build the area again "
            "(only with DJANGO_DEBUG=true or MAPPA_TESTING=true).",
        )

    def handle(
        self, *args: Any, reset: bool = False, without_casework: bool = False, **options: Any
    ) -> None:
        if reset and not demo_area.reset_allowed():
            raise CommandError(
                "--reset deletes every person on the register, so it runs only with "
                "DJANGO_DEBUG=true or MAPPA_TESTING=true"
            )
        started = time.perf_counter()
        try:
            result = demo_area.load_demo_area(reset=reset)
        except (ProtectedError, RestrictedError) as exc:
            raise CommandError(
                "The register cannot be reset while other records refer to its cases "
                f"({exc.args[0]}). Delete the database and run migrate instead."
            ) from exc
        if result.loaded and not without_casework:
            for line in _build_casework():
                self.stdout.write(line)
        seconds = time.perf_counter() - started
        if result.removed:
            self.stdout.write(
                f"Removed {result.removed['people']} people and "
                f"{result.removed['contacts']} directory entries."
            )
        if not result.loaded:
            self.stdout.write(
                "The demo area is already loaded (the account "
                f"'{demo_area.MARKER_USERNAME}' exists): nothing has changed. "
                "Use --reset to build it again."
            )
        else:
            summary = result.summary
            categories = ", ".join(
                f"{label} {summary.by_category[key]}"
                for key, label in (
                    ("1", "category 1"),
                    ("2", "category 2"),
                    ("3", "category 3"),
                    ("pdp", "PDP"),
                )
            )
            levels = ", ".join(f"level {n} {summary.by_level[n]}" for n in (1, 2, 3))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo area built in {seconds:.1f} s: {summary.people} people "
                    f"({categories}; {levels}), {summary.archived} archived, "
                    f"{summary.reactivated} re-activated, {len(result.logins)} accounts, "
                    f"{result.contacts} directory entries."
                )
            )
        if result.logins:
            self.stdout.write(
                "\nDemo sign-in details (invented people; never use real data here):\n"
            )
            self.stdout.write(demo_area.format_logins(result.logins))


def _build_casework() -> list[str]:
    """The casework on top of the register (issues 4, 5 and 6): referrals in every state,
    assessments and home visits, two years of meetings with attendance, their minutes and
    actions, the Strategic Management Board and the outcome events. This command is the
    one place that composes the apps' demo builders."""
    from importlib import import_module

    from django.test.utils import override_settings

    from mappa.common.dates import today

    day = today()
    lines = []
    # The demo's notices would fill the terminal: they are built and discarded.
    quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    builders: tuple[tuple[str, str, dict[str, Any]], ...] = (
        ("mappa.meetings.demo", "build_demo_meetings", {}),
        # Minutes never finished in a few older quarters: J 5.2's KPI missed there.
        ("mappa.minutes.demo", "build_demo_minutes", {"unfinished_quarters": UNFINISHED}),
        ("mappa.referrals.demo", "build_demo_referrals", {}),
        ("mappa.smb.demo", "build_demo_smb", {}),
        ("mappa.outcomes.demo", "build_demo_outcomes", {}),
    )
    for module_name, function_name, options in builders:
        try:
            builder = getattr(import_module(module_name), function_name)
        except (ModuleNotFoundError, AttributeError):
            continue
        started = time.perf_counter()
        with quiet, transaction.atomic():
            made = builder(day, **options)
        label = {"smb": "Strategic Management Board"}.get(
            module_name.split(".")[1], module_name.split(".")[1].capitalize()
        )
        lines.append(f"{label} ({time.perf_counter() - started:.1f} s): {_plain(made)}")
    return lines


# Calendar quarters before the current one (1 = the last) with one unfinished minutes.
UNFINISHED = (3, 5, 6, 8)


def _plain(made: Any) -> str:
    if isinstance(made, dict):
        return ", ".join(f"{count} {what.replace('_', ' ')}" for what, count in made.items()) or (
            "nothing new"
        )
    return str(made)
