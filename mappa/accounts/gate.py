"""Who may manage accounts: the one place the account pages ask.

The access policy decides (``Action.USER_MANAGE``: administrators and the
co-ordinator, signed in, active and vetted); a refusal is audited by the gate.
"""

from typing import Any

from django.http import HttpRequest

from mappa.access.gates import check
from mappa.access.policy import Action


def check_manage_accounts(request: HttpRequest, obj: Any = None) -> None:
    """Raise PermissionDenied (audited by the access gate) unless allowed."""
    check(request, Action.USER_MANAGE, obj)
