import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the service's time zone (never the server's)."""
    return timezone.localdate()
