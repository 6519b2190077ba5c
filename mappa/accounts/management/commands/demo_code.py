"""Print a demo user's current sign-in code."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.access.models import User
from mappa.accounts import mfa


class Command(BaseCommand):
    help = "Demo area only (refused unless DJANGO_DEBUG=true): print USERNAME's current code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code runs only in debug (DJANGO_DEBUG=true), on a demo area")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}")
        device = mfa.confirmed_device(user)
        if device is None:
            raise CommandError(
                f"{user.username} has no authenticator yet: run manage.py demo_mfa first"
            )
        self.stdout.write(mfa.current_code(device))
        self.stderr.write(f"Valid for about {mfa.seconds_left(device)} more seconds.")
