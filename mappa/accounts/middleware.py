"""Session rules that apply to every request: time-outs, then the second factor.

Order in MIDDLEWARE: after AuthenticationMiddleware, django-otp's OTPMiddleware and
MessageMiddleware; the time-out first, so that a stale session is ended before
anything else looks at it.
"""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from mappa.accounts import session as session_state
from mappa.accounts.mfa import is_verified
from mappa.audit.services import audit_record

# Never need a signed-in user: files, the health check and the API's description.
PUBLIC_PREFIXES = ("/static/", "/assets/", "/healthz", "/api/v1/openapi.json", "/api/docs")
API_PREFIX = "/api/"


@cache
def _sign_in_paths() -> tuple[str, ...]:
    """The pages a half-signed-in user may reach: the sign-in steps and sign-out."""
    return tuple(reverse(name) for name in ("login", "login_code", "login_setup", "logout"))


def _is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


def idle_minutes() -> int:
    return max(1, settings.MAPPA_IDLE_TIMEOUT_SECONDS // 60)


class SessionTimeoutMiddleware:
    """Signs out a session idle for MAPPA_IDLE_TIMEOUT_SECONDS (15 minutes by default)
    or older than SESSION_COOKIE_AGE, however active (issue 3, point 3).

    Django's own expiry slides forward whenever the session is saved, so the absolute
    lifetime is kept here from the moment of sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _is_public(request.path) or not request.user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = session_state.now()
        signed_in_at = session.get(session_state.SIGNED_IN_AT)
        last_activity = session.get(session_state.LAST_ACTIVITY)
        if signed_in_at is None:
            # A session started outside the sign-in pages (tests' force_login).
            session[session_state.SIGNED_IN_AT] = now
        elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
            hours = max(1, settings.SESSION_COOKIE_AGE // 3600)
            return self._sign_out(
                request,
                "lifetime",
                f"You were signed out because you had been signed in for {hours} hours. "
                "Sign in again to continue.",
            )
        if last_activity is not None and now - last_activity > settings.MAPPA_IDLE_TIMEOUT_SECONDS:
            return self._sign_out(
                request,
                "idle",
                f"You were signed out because you were inactive for {idle_minutes()} minutes",
            )
        if last_activity is None or now - last_activity >= session_state.ACTIVITY_WRITE_INTERVAL:
            session[session_state.LAST_ACTIVITY] = now
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest, reason: str, message: str) -> HttpResponseBase:
        audit_record(
            actor=request.user,
            action="auth.sign_out",
            detail={"reason": reason, "path": request.path},
            request=request,
        )
        logout(request)
        if request.path.startswith(API_PREFIX):
            # The API answers for itself: the call goes on unauthenticated (401).
            return self.get_response(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")


class MfaRequiredMiddleware:
    """No page for a session that has given a password but not the second factor.

    Such a session may only reach the sign-in steps and sign-out (and the public
    paths). On the API it counts as not signed in, so that DRF's session
    authentication never sees a password-only user. Token-authenticated API calls
    carry no session user and are not affected (see authentication.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path
        if _is_public(path) or path in _sign_in_paths():
            return self.get_response(request)
        if request.user.is_authenticated and not is_verified(request):
            if path.startswith(API_PREFIX):
                request.user = AnonymousUser()
                return self.get_response(request)
            return redirect_to_login(
                request.get_full_path() if request.method == "GET" else "/",
                login_url=reverse("login_code"),
            )
        return self.get_response(request)
