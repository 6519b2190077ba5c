"""What the session remembers about sign-in: when it began, the last activity, and
when the user last proved who they are. Times are Unix seconds."""

import time

from django.contrib.sessions.backends.base import SessionBase

SIGNED_IN_AT = "mappa_signed_in_at"
LAST_ACTIVITY = "mappa_last_activity"
REAUTHENTICATED_AT = "mappa_reauthenticated_at"
SETUP_DEVICE = "mappa_setup_device"
# The last-activity time is written at most this often, so that reading a page does
# not rewrite the session on every request; the idle time-out is exact to this margin.
ACTIVITY_WRITE_INTERVAL = 60


def now() -> float:
    return time.time()


def start(session: SessionBase) -> None:
    """Called once the second factor is given: the session's clocks start here."""
    moment = now()
    session[SIGNED_IN_AT] = moment
    session[LAST_ACTIVITY] = moment
    # Signing in is itself a proof of identity for the re-authentication window.
    session[REAUTHENTICATED_AT] = moment


def mark_reauthenticated(session: SessionBase) -> None:
    session[REAUTHENTICATED_AT] = now()


def reauthenticated_within(session: SessionBase, max_age_seconds: int) -> bool:
    at = session.get(REAUTHENTICATED_AT)
    return isinstance(at, int | float) and 0 <= now() - at <= max_age_seconds
