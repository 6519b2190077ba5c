"""The demo's authenticator commands: stable secrets, current codes, refused outside debug."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.accounts import mfa
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_commands_are_refused_outside_debug(personas: Personas, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only in debug"):
        _run("demo_mfa")
    with pytest.raises(CommandError, match="only in debug"):
        _run("demo_code", "owner")
    assert not TOTPDevice.objects.exists()


def test_demo_mfa_gives_stable_secrets(personas: Personas, settings) -> None:
    settings.DEBUG = True
    personas.outsider.is_active = False
    personas.outsider.save()
    first = _run("demo_mfa")
    second = _run("demo_mfa")
    assert first == second
    device = TOTPDevice.objects.get(user=personas.owner)
    assert device.confirmed
    assert device.key == mfa.demo_key("owner")
    line = next(row for row in first.splitlines() if row.startswith("owner "))
    assert line.split()[-1] == mfa.secret_base32(device)
    # Inactive users get no device; one device each, however often it runs.
    assert not TOTPDevice.objects.filter(user=personas.outsider).exists()
    assert TOTPDevice.objects.filter(user=personas.owner).count() == 1


def test_demo_mfa_leaves_real_devices_alone(personas: Personas, settings) -> None:
    settings.DEBUG = True
    own = TOTPDevice.objects.create(user=personas.owner, name="Phone", confirmed=True)
    output = _run("demo_mfa")
    assert TOTPDevice.objects.get(user=personas.owner) == own
    assert not any(row.startswith("owner ") for row in output.splitlines())


def test_demo_code_signs_the_user_in(client, personas: Personas, settings) -> None:
    settings.DEBUG = True
    _run("demo_mfa")
    code = _run("demo_code", "owner").strip()
    assert len(code) == 6 and code.isdigit()
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert client.post(reverse("login_code"), {"code": code}).status_code == 302
    assert client.get(reverse("register:list")).status_code == 200


def test_demo_code_needs_a_known_user_with_a_device(personas: Personas, settings) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="No user"):
        _run("demo_code", "nobody")
    with pytest.raises(CommandError, match="demo_mfa"):
        _run("demo_code", "owner")
