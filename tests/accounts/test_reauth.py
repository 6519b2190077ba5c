"""'Confirm it's you' before sensitive actions (require_recent_authentication).

Tested on a real decorated view: issuing an API token.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from mappa.accounts import session as session_state
from mappa.accounts.models import ApiToken
from mappa.audit.models import AuditEvent
from tests.accounts.conftest import code_for, give_device, sign_in
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_session(client, personas: Personas, no_code_throttle):
    device = give_device(personas.administrator)
    sign_in(client, personas.administrator, device)
    session = client.session
    session[session_state.REAUTHENTICATED_AT] = session_state.now() - 301
    session.save()
    return device


def test_signing_in_counts_as_a_recent_confirmation(client, personas: Personas) -> None:
    device = give_device(personas.administrator)
    sign_in(client, personas.administrator, device)
    page = client.get(reverse("accounts:token_issue", args=[personas.owner.pk]))
    assert page.status_code == 200


def test_an_old_confirmation_sends_the_user_to_confirm(
    client, personas: Personas, admin_session
) -> None:
    target = reverse("accounts:token_issue", args=[personas.owner.pk])
    response = client.get(target)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:confirm")
    assert parse_qs(location.query)["next"] == [target]
    page = client.get(response["Location"])
    assert "Confirm it's you" in page.content.decode()


def test_password_and_a_fresh_code_confirm_and_return(
    client, personas: Personas, admin_session
) -> None:
    target = reverse("accounts:token_issue", args=[personas.owner.pk])
    # The code used to sign in cannot be used again; the app's next code can.
    response = client.post(
        reverse("accounts:confirm"),
        {"password": PASSWORD, "code": code_for(admin_session, steps_ahead=1), "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200
    assert AuditEvent.objects.filter(
        action="auth.reauthenticated", actor=personas.administrator
    ).exists()


def test_a_wrong_password_or_code_does_not_confirm(
    client, personas: Personas, admin_session
) -> None:
    target = reverse("accounts:token_issue", args=[personas.owner.pk])
    wrong_password = client.post(
        reverse("accounts:confirm"),
        {"password": "wrong", "code": code_for(admin_session, steps_ahead=1), "next": target},
    )
    assert wrong_password.status_code == 200
    assert "Enter your correct password" in wrong_password.content.decode()
    wrong_code = client.post(
        reverse("accounts:confirm"), {"password": PASSWORD, "code": "000000", "next": target}
    )
    assert wrong_code.status_code == 200
    assert client.get(target).status_code == 302
    assert AuditEvent.objects.filter(action="auth.reauth_failed").count() == 1
    assert AuditEvent.objects.filter(action="auth.mfa_failed", detail__stage="confirm").count() == 1


def test_a_post_without_confirmation_is_not_carried_out(
    client, personas: Personas, admin_session
) -> None:
    target = reverse("accounts:token_issue", args=[personas.owner.pk])
    response = client.post(
        target,
        {"name": "Link", "scope": "read", "days": "30"},
        HTTP_REFERER=f"http://testserver{target}",
    )
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [target]
    assert not ApiToken.objects.exists()


def test_confirm_returns_only_to_this_site(client, personas: Personas, admin_session) -> None:
    response = client.post(
        reverse("accounts:confirm"),
        {
            "password": PASSWORD,
            "code": code_for(admin_session, steps_ahead=1),
            "next": "https://evil.example/steal",
        },
    )
    assert response["Location"] == reverse("home")


def test_repeated_failures_lock_out_and_sign_out(client, personas: Personas, admin_session) -> None:
    for _ in range(4):
        page = client.post(reverse("accounts:confirm"), {"password": "wrong", "code": "000000"})
        assert page.status_code == 200
    locked = client.post(reverse("accounts:confirm"), {"password": "wrong", "code": "000000"})
    assert locked.status_code == 429
    assert client.get(reverse("register:list")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
