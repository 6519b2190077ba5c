"""Gates that views and the API pass through: ask the policy, audit a refusal."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mappa.access.policy import Action, decide
from mappa.audit.services import audit_record


def check(request: Any, action: Action, obj: Any = None, *, nominal_id: Any = "") -> None:
    """Raise PermissionDenied (audited) unless the policy allows ``action``."""
    decision = decide(request.user, action, obj)
    if decision:
        return
    audit_record(
        actor=request.user,
        action="access.refused",
        obj=obj,
        nominal_id=nominal_id or (getattr(obj, "pk", "") if obj is not None else ""),
        outcome="refused",
        detail={"attempted": str(action), "reason": decision.reason, "path": request.path},
        request=request,
    )
    raise PermissionDenied(decision.reason)


def nominal_get_for_user(request: Any, pk: Any, action: Action = Action.NOMINAL_VIEW) -> Any:
    """The one way a view fetches a person's record."""
    from mappa.register.models import Nominal

    try:
        nominal = Nominal.objects.get(pk=pk)
    except (Nominal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such record") from exc
    check(request, action, nominal)
    return nominal
