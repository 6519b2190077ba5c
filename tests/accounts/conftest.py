"""Helpers for the sign-in tests: real codes from the user's own authenticator key."""

import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.accounts.mfa import current_code
from mappa.accounts.testing import verify_session
from tests.factories import PASSWORD


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now, or ``steps_ahead`` 30-second steps later
    (within django-otp's tolerance of one step, so usable now)."""
    device.refresh_from_db()
    return current_code(device, at=time.time() + steps_ahead * device.step)


def give_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def sign_in(client: Client, user: Any, device: TOTPDevice, *, next_url: str = "") -> Any:
    """The real flow: password page, then the code page. Returns the code page's answer."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    response = client.post(
        reverse("login") + query,
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(reverse("login_code"))
    return client.post(response["Location"], {"code": code_for(device), "next": next_url})


def signed_in(client: Client, user: Any) -> Client:
    """A session past both factors, for tests about what comes after signing in."""
    client.force_login(user)
    verify_session(client, user)
    return client


@pytest.fixture
def no_code_throttle(settings: Any) -> None:
    # django-otp makes the next try after a wrong code wait a second; tests do not wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
