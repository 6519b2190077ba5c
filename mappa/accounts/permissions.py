"""API permission: what a token's scope lets it do."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from mappa.accounts.models import ApiToken
from mappa.audit.services import audit_record


class TokenScopePermission(BasePermission):
    """A read token may only read. Session sign-ins are not limited by this class.

    The default in settings (``DEFAULT_PERMISSION_CLASSES``); a view that sets its own
    ``permission_classes`` must list it too.
    """

    message = "This token may only read. Ask an administrator for a token with write access."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        if request.method in SAFE_METHODS or token.can_write:
            return True
        audit_record(
            actor=request.user,
            action="auth.token_refused",
            obj=token,
            outcome="refused",
            detail={
                "reason": "read-only token",
                "prefix": token.prefix,
                "path": request.path,
                "method": request.method,
            },
            request=request._request,
        )
        return False
