"""Give every demo user an authenticator with a stable secret, and print the secrets."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.access.models import User
from mappa.accounts import mfa, services


class Command(BaseCommand):
    help = (
        "Demo area only (refused unless DJANGO_DEBUG=true): give each active user without "
        "an authenticator a demo one whose secret derives from the username, and print them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_mfa runs only in debug (DJANGO_DEBUG=true), on a demo area")
        rows: list[tuple[str, str]] = []
        for user in User.objects.filter(is_active=True).order_by("username"):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
            if device is None:
                device = services.mfa_demo_device_create(user=user, actor="manage.py demo_mfa")
            if device.key == mfa.demo_key(user.username):
                rows.append((user.username, mfa.secret_base32(device)))
        if not rows:
            self.stdout.write("No demo users.")
            return
        width = max(len("Username"), *(len(name) for name, _ in rows))
        self.stdout.write("Authenticator secrets for the demo users (time based, 6 digits, 30 s):")
        self.stdout.write(f"{'Username':<{width}}  Secret")
        self.stdout.write(f"{'-' * width}  {'-' * 32}")
        for username, secret in rows:
            self.stdout.write(f"{username:<{width}}  {secret}")
        self.stdout.write("Or print a user's current code: manage.py demo_code USERNAME")
