"""API tokens as a DRF authentication class: ``Authorization: Bearer <token>``.

A token stands in for the whole sign-in, second factor included: it is issued by an
administrator (or ``manage.py issue_token``) to a user who has signed in with MFA,
it is shown once, expires, is scoped and can be revoked at once. So token requests
do not pass the MFA step that browser sessions do (docs: issue 3, point 6).

Every refusal answers 401 (never 500) and is audited; a successful use is not
audited per request, but the token's last use is kept (to the minute).
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from mappa.accounts.models import ApiToken
from mappa.accounts.tokens import (
    DISPLAY_PREFIX_LENGTH,
    MAX_HEADER_TOKEN_LENGTH,
    is_well_formed,
    token_digest,
)
from mappa.audit.services import audit_record

KEYWORD = "bearer"
_LAST_USED_GRANULARITY = dt.timedelta(minutes=1)

INVALID = "The token is not valid. Ask an administrator for a new one."
EXPIRED = "The token has expired. Ask an administrator for a new one."
REVOKED = "The token has been revoked. Ask an administrator for a new one."


def _refuse(request: Request, reason: str, message: str, token: ApiToken | None = None) -> None:
    detail: dict[str, Any] = {"reason": reason, "path": request.path, "method": request.method}
    if token is not None:
        detail["prefix"] = token.prefix
        detail["username"] = token.user.username
    audit_record(
        actor=token.user if token is not None else None,
        action="auth.token_refused",
        obj=token,
        outcome="refused",
        detail=detail,
        request=request._request,
    )
    raise AuthenticationFailed(message)


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticate by an API token; answer None when no Bearer header is sent."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not isinstance(header, str) or not header:
            return None
        scheme, _, credentials = header.strip().partition(" ")
        if scheme.lower() != KEYWORD:
            return None
        credentials = credentials.strip()
        if len(credentials) > MAX_HEADER_TOKEN_LENGTH:
            _refuse(request, "oversized", INVALID)
        if not credentials or not is_well_formed(credentials):
            _refuse(request, "malformed", INVALID)
        token = (
            ApiToken.objects.select_related("user").filter(digest=token_digest(credentials)).first()
        )
        if token is None:
            # Only the visible prefix is kept: the rest is a secret, even if wrong.
            audit_record(
                actor=None,
                action="auth.token_refused",
                outcome="refused",
                detail={
                    "reason": "unknown",
                    "prefix": credentials[:DISPLAY_PREFIX_LENGTH],
                    "path": request.path,
                    "method": request.method,
                },
                request=request._request,
            )
            raise AuthenticationFailed(INVALID)
        if token.is_revoked:
            _refuse(request, "revoked", REVOKED, token)
        if token.is_expired:
            _refuse(request, "expired", EXPIRED, token)
        if not token.user.is_active:
            _refuse(request, "account disabled", INVALID, token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Present so that an unauthenticated call answers 401, not 403.
        return 'Bearer realm="MAPPA"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes API tokens in the OpenAPI schema."""

    target_class = "mappa.accounts.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued by an administrator: `Authorization: Bearer mappa_…`. "
            "Read tokens may only use GET, HEAD and OPTIONS.",
        }
