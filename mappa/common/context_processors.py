from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    from mappa.access.policy import Action, decide

    user = getattr(request, "user", None)
    return {
        "can_manage_accounts": bool(user is not None and decide(user, Action.USER_MANAGE)),
        "can_see_meetings": bool(user is not None and decide(user, Action.MEETING_LIST)),
        "can_view_audit": bool(user is not None and decide(user, Action.AUDIT_VIEW)),
        "can_review_emergencies": bool(user is not None and decide(user, Action.EMERGENCY_QUEUE)),
        "can_see_figures": bool(user is not None and decide(user, Action.FIGURES_VIEW)),
        "can_see_smb": bool(user is not None and decide(user, Action.SMB_VIEW)),
        "can_see_requests": bool(user is not None and decide(user, Action.MINUTES_REQUEST_LIST)),
        "protective_marking": settings.MAPPA_PROTECTIVE_MARKING,
        "handling_instruction": settings.MAPPA_HANDLING_INSTRUCTION,
        "area_name": settings.MAPPA_AREA_NAME,
        "service_name": "MAPPA case management",
    }
