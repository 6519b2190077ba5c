"""Sign a test user in the way a browser session is after both factors."""

from typing import Any

from django.test import Client


def sign_in(client: Client, user: Any) -> None:
    client.force_login(user)
    try:
        from mappa.accounts.testing import verify_session
    except ImportError:  # no second factor in this tree
        return
    verify_session(client, user)
