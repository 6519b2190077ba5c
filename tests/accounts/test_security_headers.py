"""Web hardening: headers on every kind of page, and no inline script or style anywhere."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.conftest import signed_in
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CSP_REQUIRED = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "object-src 'none'",
)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def _assert_hardened(response, *, html: bool = True) -> None:
    policy = response["Content-Security-Policy"]
    for directive in CSP_REQUIRED:
        assert directive in policy, (directive, policy)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    if html:
        _assert_no_inline_code(response.content.decode(), response.request["PATH_INFO"])


def _assert_no_inline_code(html: str, where: str) -> None:
    for pattern in (INLINE_SCRIPT, STYLE_ELEMENT, STYLE_ATTRIBUTE, EVENT_ATTRIBUTE, JAVASCRIPT_URL):
        match = pattern.search(html)
        assert match is None, f"{where}: {match.group(0) if match else ''}"


def test_sign_in_pages_are_hardened(client, personas: Personas) -> None:
    _assert_hardened(client.get(reverse("login")))
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    _assert_hardened(client.get(reverse("login_setup")))  # includes the QR code's SVG
    page = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    _assert_hardened(page)


def test_case_and_account_pages_are_hardened(client, personas: Personas, nominal) -> None:
    signed_in(client, personas.administrator)
    for url in (
        reverse("register:list"),
        reverse("register:detail", args=[nominal.pk]),
        reverse("accounts:users"),
        reverse("accounts:user_detail", args=[personas.owner.pk]),
        reverse("accounts:user_create"),
        reverse("accounts:reassignment"),
        reverse("accounts:confirm"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_hardened(response)


def test_refusals_are_hardened(client, personas: Personas) -> None:
    signed_in(client, personas.smb_member)
    response = client.get(reverse("register:list"))
    assert response.status_code == 403
    _assert_hardened(response)


@pytest.mark.urls("tests.accounts.urls")
def test_api_answers_are_hardened(client, personas: Personas) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    _assert_hardened(schema, html=False)
    _assert_hardened(client.get("/api/test/echo/"), html=False)


def test_the_schema_describes_token_authentication(client, personas: Personas) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="tests.accounts.urls").get_schema(request=None, public=True)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_no_template_has_inline_script_or_style() -> None:
    files = sorted(TEMPLATES.rglob("*.html"))
    assert files
    offenders = []
    for path in files:
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, STYLE_ELEMENT, STYLE_ATTRIBUTE, EVENT_ATTRIBUTE):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}")
    assert offenders == []


def test_the_scan_finds_what_it_looks_for() -> None:
    for sample in (
        "<script>alert(1)</script>",
        '<div style="color: red">',
        "<style>p {}</style>",
        '<a href="#" onclick="go()">',
    ):
        with pytest.raises(AssertionError):
            _assert_no_inline_code(sample, "sample")
    _assert_no_inline_code('<script type="module" src="/static/x.js"></script>', "sample")


def test_production_settings_turn_on_hsts_and_secure_cookies() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAPPA_TESTING", "DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT"}
    }
    env["DJANGO_SECRET_KEY"] = "x" * 50
    code = (
        "import config.settings as s; "
        "print(s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.PASSWORD_HASHERS[0].rsplit('.', 1)[-1], "
        "s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon'])"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "False",
        "31536000",
        "True",
        "True",
        "True",
        "Argon2PasswordHasher",
        "60/minute",
    ]


def test_a_misspelt_boolean_setting_stops_start_up() -> None:
    env = dict(os.environ, DJANGO_DEBUG="False", MAPPA_TESTING="ture")
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", "import config.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "MAPPA_TESTING must be true or false" in result.stderr


def test_the_password_policy_and_hashers(settings) -> None:
    validators = {v["NAME"].rsplit(".", 1)[-1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] == 12
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= set(validators)


def test_api_docs_answer_without_sign_in_with_only_images_relaxed(client, personas) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy
    for directive in CSP_REQUIRED:
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "data:" not in client.get(reverse("login"))["Content-Security-Policy"]
