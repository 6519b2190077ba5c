"""Helpers for the access tests: sign a user in past the second factor."""

from typing import Any

from django.test import Client


def sign_in(client: Client, user: Any) -> None:
    """Sign ``user`` in as a browser session that has given its second factor."""
    client.force_login(user)
    try:
        from mappa.accounts.testing import verify_session
    except ImportError:  # the second factor is not installed in this tree
        return
    verify_session(client, user)
