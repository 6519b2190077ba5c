"""Issue an API token to a user and print it once."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mappa.access.models import User
from mappa.accounts import services
from mappa.accounts.models import TokenScope


class Command(BaseCommand):
    help = "Issue an API token to USERNAME. The token is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--expires", type=int, required=True, metavar="DAYS", help="Days until it expires"
        )
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--name", default="Issued with manage.py issue_token")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user called {options['username']!r}") from exc
        try:
            token, raw = services.token_issue(
                actor="manage.py issue_token",
                user=user,
                days=options["expires"],
                scope=options["scope"],
                name=options["name"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token for {user.username} ({token.get_scope_display().lower()}), "
            f"expires {token.expires_at:%d %B %Y %H:%M %Z}. It is shown only now:"
        )
        self.stdout.write(raw)
