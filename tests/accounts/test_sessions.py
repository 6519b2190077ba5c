"""Idle time-out, absolute lifetime, disabled accounts and expired vetting."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from mappa.accounts import services
from mappa.accounts import session as session_state
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from tests.accounts.conftest import give_device, sign_in, signed_in
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _shift(client, key: str, seconds_ago: float) -> None:
    """Move a session clock into the past instead of waiting."""
    session = client.session
    session[key] = session_state.now() - seconds_ago
    session.save()


def test_idle_for_fifteen_minutes_signs_out_with_a_message(client, personas: Personas) -> None:
    device = give_device(personas.owner)
    sign_in(client, personas.owner, device)
    assert client.get(reverse("register:list")).status_code == 200
    assert settings.MAPPA_IDLE_TIMEOUT_SECONDS == 15 * 60

    _shift(client, session_state.LAST_ACTIVITY, 15 * 60 + 1)
    response = client.get(reverse("register:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert "You were signed out because you were inactive for 15 minutes" in page.content.decode()
    event = AuditEvent.objects.filter(action="auth.sign_out").latest("sequence")
    assert event.actor == personas.owner
    assert event.detail["reason"] == "idle"
    # Signed out for good: the next request does not get back in.
    assert client.get(reverse("register:list")).status_code == 302


def test_activity_within_the_limit_keeps_the_session(client, personas: Personas) -> None:
    signed_in(client, personas.owner)
    _shift(client, session_state.LAST_ACTIVITY, 14 * 60)
    assert client.get(reverse("register:list")).status_code == 200
    # The request counted as activity: the clock starts again.
    assert session_state.now() - client.session[session_state.LAST_ACTIVITY] < 5


def test_the_idle_limit_is_a_setting(client, personas: Personas, settings) -> None:
    settings.MAPPA_IDLE_TIMEOUT_SECONDS = 120
    signed_in(client, personas.owner)
    _shift(client, session_state.LAST_ACTIVITY, 121)
    response = client.get(reverse("register:list"), follow=True)
    assert "inactive for 2 minutes" in response.content.decode()


def test_an_active_session_ends_at_its_absolute_lifetime(client, personas: Personas) -> None:
    signed_in(client, personas.owner)
    _shift(client, session_state.SIGNED_IN_AT, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("register:list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "You were signed out because you had been signed in for 8 hours" in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(action="auth.sign_out", detail__reason="lifetime").exists()


def test_disabling_a_user_ends_their_live_session(client, personas: Personas) -> None:
    device = give_device(personas.owner)
    sign_in(client, personas.owner, device)
    assert client.get(reverse("register:list")).status_code == 200

    services.user_disable(actor=personas.administrator, user=personas.owner, reason="Left")
    response = client.get(reverse("register:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_expired_vetting_is_refused_with_a_clear_page(client, personas: Personas) -> None:
    owner = personas.owner
    owner.vetting_expires = today() - dt.timedelta(days=1)
    owner.save()
    device = give_device(owner)
    sign_in(client, owner, device)

    response = client.get(reverse("register:list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your vetting has expired" in html
    assert owner.vetting_expires.strftime("%-d %B %Y") in html
    refusal = AuditEvent.objects.filter(action="access.refused").latest("sequence")
    assert refusal.actor == owner
    assert refusal.detail["reason"] == "vetting expired"


def test_vetting_that_expires_today_still_works(client, personas: Personas) -> None:
    owner = personas.owner
    owner.vetting_expires = today()
    owner.save()
    signed_in(client, owner)
    assert client.get(reverse("register:list")).status_code == 200


def test_other_refusals_get_the_general_page(client, personas: Personas) -> None:
    signed_in(client, personas.smb_member)
    response = client.get(reverse("register:list"))
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
