"""API tokens: scoped, expiring, revocable, stored hashed; every refusal a 401 and audited."""

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from mappa.accounts import services
from mappa.accounts.models import ApiToken
from mappa.audit.models import AuditEvent
from tests.accounts.conftest import signed_in
from tests.conftest import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

ECHO = "/api/test/echo/"


def _bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _issue(personas: Personas, scope: str = "read", days: int = 30) -> tuple[ApiToken, str]:
    return services.token_issue(
        actor=personas.administrator, user=personas.owner, days=days, scope=scope, name="Test"
    )


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="auth.token_refused").order_by("sequence"))


def test_a_valid_token_authenticates_without_a_session(client, personas: Personas) -> None:
    token, raw = _issue(personas)
    response = client.get(ECHO, **_bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"username": "owner", "via": "token"}
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert not _refusals()


def test_only_a_digest_of_the_token_is_stored(personas: Personas) -> None:
    token, raw = _issue(personas)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in str(stored)
    assert raw.startswith(token.prefix)
    issued = AuditEvent.objects.get(action="token.issue")
    assert raw not in str(issued.detail)


def test_no_credentials_answer_401(client, personas: Personas) -> None:
    response = client.get(ECHO)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Bearer ", "malformed"),
        ("Bearer not-a-token", "malformed"),
        ("Bearer mappa_" + "x" * 42, "malformed"),
        ("Bearer mappa_" + "!" * 43, "malformed"),
        ("Bearer mappa_" + "é" * 43, "malformed"),
        ("Bearer mappa_" + "a" * 43 + " extra", "malformed"),
        ("Bearer ' OR 1=1 --", "malformed"),
        ("Bearer " + "A" * 10_000, "oversized"),
        ("Bearer mappa_" + "a" * 43, "unknown"),
    ],
)
def test_malformed_oversized_and_unknown_tokens_answer_401(
    client, personas: Personas, header: str, reason: str
) -> None:
    response = client.get(ECHO, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    refusal = _refusals()[-1]
    assert refusal.outcome == "refused"
    assert refusal.detail["reason"] == reason
    assert len(str(refusal.detail)) < 500


def test_an_expired_token_answers_401_and_is_audited(client, personas: Personas) -> None:
    token, raw = _issue(personas)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(ECHO, **_bearer(raw))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    refusal = _refusals()[-1]
    assert refusal.detail["reason"] == "expired"
    assert refusal.actor == personas.owner


def test_a_revoked_token_answers_401_and_is_audited(client, personas: Personas) -> None:
    token, raw = _issue(personas)
    services.token_revoke(actor=personas.administrator, token=token)
    response = client.get(ECHO, **_bearer(raw))
    assert response.status_code == 401
    assert _refusals()[-1].detail["reason"] == "revoked"
    assert AuditEvent.objects.filter(action="token.revoke").exists()


def test_a_disabled_users_tokens_stop_working(client, personas: Personas) -> None:
    token, raw = _issue(personas)
    services.user_disable(actor=personas.administrator, user=personas.owner, reason="Left")
    assert client.get(ECHO, **_bearer(raw)).status_code == 401
    token.refresh_from_db()
    assert token.is_revoked


def test_a_read_token_cannot_write(client, personas: Personas) -> None:
    _, raw = _issue(personas, scope="read")
    assert client.get(ECHO, **_bearer(raw)).status_code == 200
    response = client.post(ECHO, {}, content_type="application/json", **_bearer(raw))
    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]
    assert _refusals()[-1].detail["reason"] == "read-only token"


def test_a_write_token_can_write(client, personas: Personas) -> None:
    _, raw = _issue(personas, scope="write")
    response = client.post(ECHO, {}, content_type="application/json", **_bearer(raw))
    assert response.status_code == 201


def test_a_token_needs_no_csrf_but_a_session_does(personas: Personas) -> None:
    from django.test import Client

    _, raw = _issue(personas, scope="write")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(ECHO, {}, content_type="application/json", **_bearer(raw)).status_code == 201
    signed_in(strict, personas.owner)
    assert strict.post(ECHO, {}, content_type="application/json").status_code == 403


def test_a_signed_in_session_still_works_on_the_api(client, personas: Personas) -> None:
    signed_in(client, personas.owner)
    assert client.get(ECHO).json() == {"username": "owner", "via": "session"}


def test_token_lifetime_is_bounded(personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _issue(personas, days=0)
    with pytest.raises(ValidationError):
        _issue(personas, days=366)


def test_the_api_is_rate_limited(client, personas: Personas, monkeypatch) -> None:
    cache.clear()
    rates = {"anon": "2/minute", "user": "3/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    _, raw = _issue(personas)
    answers = [client.get(ECHO, **_bearer(raw)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    cache.clear()


def test_issue_token_command_prints_the_token_once(personas: Personas, client) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "issue_token", "owner", "--expires", "7", "--scope", "write", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=personas.owner)
    assert token.scope == "write"
    assert raw.startswith(token.prefix)
    assert (
        dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    )
    assert client.post(ECHO, {}, content_type="application/json", **_bearer(raw)).status_code == 201
    assert AuditEvent.objects.get(action="token.issue").actor_label == "manage.py issue_token"


def test_issue_token_command_refuses_bad_input(personas: Personas) -> None:
    with pytest.raises(CommandError, match="No user"):
        call_command("issue_token", "nobody", "--expires", "7")
    with pytest.raises(CommandError, match="between 1 and 365"):
        call_command("issue_token", "owner", "--expires", "0")
    with pytest.raises(CommandError):
        call_command("issue_token", "owner", "--expires", "7", "--scope", "admin")
    assert not ApiToken.objects.exists()


def test_administrators_issue_and_revoke_tokens_in_the_pages(client, personas: Personas) -> None:
    signed_in(client, personas.administrator)
    page = client.post(
        reverse("accounts:token_issue", args=[personas.owner.pk]),
        {"name": "Case system link", "scope": "read", "days": "30"},
    )
    assert page.status_code == 200
    token = ApiToken.objects.get(user=personas.owner)
    html = page.content.decode()
    start = html.index('id="api-token">') + len('id="api-token">')
    raw = html[start : html.index("<", start)]
    assert raw.startswith(token.prefix)
    assert client.get(ECHO, **_bearer(raw), HTTP_COOKIE="").status_code == 200

    detail = client.get(reverse("accounts:user_detail", args=[personas.owner.pk]))
    assert raw not in detail.content.decode()
    assert token.prefix in detail.content.decode()

    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.is_revoked


def test_only_account_managers_issue_tokens(client, personas: Personas) -> None:
    signed_in(client, personas.owner)
    response = client.post(
        reverse("accounts:token_issue", args=[personas.owner.pk]),
        {"name": "Mine", "scope": "write", "days": "30"},
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()
