"""``manage.py meetings_send_pending``: queue the emails of every meeting with an
invitation, update or cancellation not yet delivered (for the daily run)."""

from typing import Any

from django.core.management.base import BaseCommand

from mappa.meetings.tasks import retry_pending_mail


class Command(BaseCommand):
    help = "Queue the meeting emails that have not been delivered yet."

    def handle(self, *args: Any, **options: Any) -> None:
        result = retry_pending_mail.enqueue()
        self.stdout.write(f"Queued (task {result.id})")
