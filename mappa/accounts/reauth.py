"""Re-authentication before exports, disclosure records and merges (issue 3, point 3).

Apply to a Django view, inside ``login_required``::

    @login_required
    @require_recent_authentication()
    def nominal_export(request, pk): ...

A user who has not given their password and a current code within
``max_age_seconds`` is sent to "Confirm it's you" and then back. A GET comes back to
the same address; a POST comes back to the page the form was on (the form is sent
again from there), because a redirect cannot carry a POST body.

API calls authenticated by token have no session; the decorator is for pages only.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from mappa.accounts import session as session_state

DEFAULT_MAX_AGE_SECONDS = 300

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def safe_next(request: HttpRequest, candidate: str | None, fallback: str = "/") -> str:
    """A same-site path to return to, or the fallback."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(candidate)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return fallback


def return_address(request: HttpRequest) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return safe_next(request, request.META.get("HTTP_REFERER"), fallback=reverse("home"))


def recently_authenticated(request: HttpRequest, max_age_seconds: int) -> bool:
    return session_state.reauthenticated_within(request.session, max_age_seconds)


def require_recent_authentication(
    max_age_seconds: int = DEFAULT_MAX_AGE_SECONDS,
) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if recently_authenticated(request, max_age_seconds):
                return view(request, *args, **kwargs)
            query = urlencode({"next": return_address(request)})
            return HttpResponseRedirect(f"{reverse('accounts:confirm')}?{query}")

        return wrapped  # type: ignore[return-value]

    return decorator
