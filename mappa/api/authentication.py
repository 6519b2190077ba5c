"""How the API knows who is calling.

Session sign-in is the only way in today (the security issue adds scoped tokens).
DRF's own session class gives no ``WWW-Authenticate`` challenge, so an anonymous
call would answer 403 and look like a refusal by the access policy. This class
answers 401 instead, so a client can tell "sign in" from "not allowed".
"""

from typing import Any, cast

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request
from rest_framework.settings import api_settings


class ApiSessionAuthentication(SessionAuthentication):
    """Django's session cookie, with CSRF enforced on every unsafe method."""

    def authenticate_header(self, request: Request) -> str:
        # A scheme browsers do not prompt for: the caller signs in at /sign-in/.
        return 'Session realm="MAPPA"'


def api_authenticators() -> list[type[BaseAuthentication]]:
    """The configured authenticators, with session sign-in answering 401, not 403.

    Taken from settings so that authenticators added there (API tokens) apply here too.
    """
    # DRF has imported the dotted paths in settings by now; the stubs type them as str.
    configured = cast(list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    return [ApiSessionAuthentication if cls is SessionAuthentication else cls for cls in configured]


class ApiSessionScheme(OpenApiAuthenticationExtension):
    """Describes the session cookie in the OpenAPI schema."""

    target_class = "mappa.api.authentication.ApiSessionAuthentication"
    name = "sessionCookie"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
