"""Signing in takes a password and a code; failures are refused, audited and counted."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.accounts.mfa import secret_for_people
from mappa.audit.models import AuditEvent
from tests.accounts.conftest import code_for, give_device, sign_in
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_a_password_alone_does_not_reach_the_register(client, personas: Personas) -> None:
    give_device(personas.owner)
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login_code"))

    page = client.get(reverse("register:list"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login_code"))
    assert client.get(reverse("accounts:users")).status_code == 302
    assert not _audit("auth.sign_in")


@pytest.mark.urls("tests.accounts.urls")
def test_a_password_only_session_counts_as_signed_out_on_the_api(client, personas) -> None:
    give_device(personas.owner)
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert client.get("/api/test/echo/").status_code == 401


def test_password_and_code_sign_in_and_are_audited(client, personas: Personas) -> None:
    device = give_device(personas.owner)
    response = sign_in(client, personas.owner, device, next_url=reverse("register:search"))
    assert response.status_code == 302
    assert response["Location"] == reverse("register:search")
    assert client.get(reverse("register:list")).status_code == 200

    event = _audit("auth.sign_in")[-1]
    assert event.actor == personas.owner
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_code_is_refused_and_audited(client, personas: Personas, no_code_throttle) -> None:
    device = give_device(personas.owner)
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    page = client.post(reverse("login_code"), {"code": wrong})
    assert page.status_code == 200
    assert "The security code is not correct" in page.content.decode()
    assert client.get(reverse("register:list")).status_code == 302
    failure = _audit("auth.mfa_failed")[-1]
    assert failure.actor == personas.owner
    assert failure.outcome == "refused"
    assert failure.detail["stage"] == "sign-in"

    assert client.post(reverse("login_code"), {"code": right}).status_code == 302
    assert client.get(reverse("register:list")).status_code == 200


def test_a_code_cannot_be_used_twice(client, personas: Personas, no_code_throttle) -> None:
    device = give_device(personas.owner)
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    used = code_for(device)
    assert client.post(reverse("login_code"), {"code": used}).status_code == 302
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    # django-otp accepts only codes from a later time step than the last one used.
    page = client.post(reverse("login_code"), {"code": used})
    assert page.status_code == 200
    assert client.get(reverse("register:list")).status_code == 302


def test_malformed_codes_are_refused_with_a_message(client, personas: Personas) -> None:
    give_device(personas.owner)
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    for bad in ("", "12345", "abcdef", "1" * 5000, "<script>alert(1)</script>"):
        page = client.post(reverse("login_code"), {"code": bad})
        assert page.status_code == 200
        assert "govuk-error-summary" in page.content.decode()


def test_a_wrong_password_is_refused_and_audited(client, personas: Personas) -> None:
    page = client.post(reverse("login"), {"username": "owner", "password": "not the password"})
    assert page.status_code == 200
    assert "Enter a correct username and password" in page.content.decode()
    failure = _audit("auth.sign_in_failed")[-1]
    assert failure.detail["username"] == "owner"
    assert failure.outcome == "refused"
    assert "not the password" not in str(failure.detail)


def test_an_unknown_user_gets_the_same_answer(client, personas: Personas) -> None:
    known = client.post(reverse("login"), {"username": "owner", "password": "wrong one"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong one"})
    assert known.status_code == unknown.status_code == 200
    assert "Enter a correct username and password" in unknown.content.decode()


def test_first_sign_in_sets_up_an_authenticator(client, personas: Personas) -> None:
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    setup = client.get(response["Location"], follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("login_setup"))
    html = setup.content.decode()
    assert "Set up your authenticator app" in html
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=personas.owner)
    assert not device.confirmed
    assert secret_for_people(device) in html

    # Until confirmed with a code, the new device signs no one in.
    assert client.get(reverse("register:list")).status_code == 302
    done = client.post(reverse("login_setup"), {"code": code_for(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("register:list")).status_code == 200
    assert _audit("auth.mfa_device_added")[-1].actor == personas.owner
    assert _audit("auth.sign_in")[-1].actor == personas.owner


def test_setup_page_shows_the_same_secret_until_confirmed(client, personas: Personas) -> None:
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    first = client.get(reverse("login_setup"))
    second = client.get(reverse("login_setup"))
    assert TOTPDevice.objects.filter(user=personas.owner).count() == 1
    assert first.content.count(b"secret-key") == second.content.count(b"secret-key") == 1


def test_a_password_cannot_add_a_second_authenticator(client, personas: Personas) -> None:
    give_device(personas.owner)
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    response = client.get(reverse("login_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login_code"))
    assert TOTPDevice.objects.filter(user=personas.owner).count() == 1


def test_lock_out_after_five_failed_passwords(client, personas: Personas) -> None:
    give_device(personas.owner)
    for _ in range(4):
        page = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
        assert page.status_code == 200
    locked = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert locked.status_code == 429
    assert "You cannot sign in at the moment" in locked.content.decode()
    assert "30 minutes" in locked.content.decode()

    # Even the right password is refused while locked.
    again = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get(reverse("register:list")).status_code == 302
    assert _audit("auth.locked_out")
    assert len(_audit("auth.sign_in_failed")) == 4

    # The lock is on this username from this address, not on the person everywhere.
    elsewhere = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.status_code == 302


def test_wrong_codes_count_towards_the_lock_out(
    client, personas: Personas, no_code_throttle
) -> None:
    device = give_device(personas.owner)
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    for _ in range(4):
        page = client.post(reverse("login_code"), {"code": "000000"})
        assert page.status_code == 200
    locked = client.post(reverse("login_code"), {"code": "000000"})
    assert locked.status_code == 429
    assert _audit("auth.locked_out")[-1].detail["stage"] == "code"
    # The half-signed-in session is ended, and the right code no longer helps.
    assert client.post(reverse("login_code"), {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("register:list")).status_code == 302
    relogin = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert relogin.status_code == 429


def test_a_full_sign_in_clears_earlier_failures(client, personas: Personas) -> None:
    device = give_device(personas.owner)
    for _ in range(3):
        client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="owner").exists()
    sign_in(client, personas.owner, device)
    assert not AccessAttempt.objects.filter(username="owner").exists()


def test_signing_out_is_audited_and_ends_the_session(client, personas: Personas) -> None:
    device = give_device(personas.owner)
    sign_in(client, personas.owner, device)
    assert client.get(reverse("logout")).status_code == 200
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out" in response.content.decode()
    assert _audit("auth.sign_out")[-1].actor == personas.owner
    assert client.get(reverse("register:list")).status_code == 302


def test_a_disabled_user_cannot_sign_in(client, personas: Personas) -> None:
    give_device(personas.owner)
    personas.owner.is_active = False
    personas.owner.save()
    page = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert page.status_code == 200
    assert "Enter a correct username and password" in page.content.decode()


def test_next_must_stay_on_this_site(client, personas: Personas) -> None:
    device = give_device(personas.owner)
    response = sign_in(client, personas.owner, device, next_url="https://evil.example/")
    assert response["Location"] == reverse("register:list")
