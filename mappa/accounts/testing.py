"""Test support: a test client's session that has given the second factor.

Tests that sign users in with ``client.force_login`` would otherwise be stopped at
the code step by MfaRequiredMiddleware. ``verify_session`` gives the user a
confirmed authenticator (if they have none) and records it in the session exactly
as django-otp does after a correct code.
"""

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.accounts import session as session_state

TEST_DEVICE_NAME = "Test authenticator"


def verify_session(client: Client, user: Any) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session_state.start(session)
    session.save()
