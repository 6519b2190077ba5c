"""Gates that views and the API pass through: ask the policy, audit a refusal."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from mappa.access.policy import NO_PART, Action, decide
from mappa.audit.services import audit_record


@dataclass(frozen=True)
class Refusal:
    """What the 403 page explains: the reason, and where emergency access may be asked."""

    reason: str
    about_record: bool = False
    emergency_url: str = ""


def _is_nominal(obj: Any) -> bool:
    meta = getattr(obj, "_meta", None)
    return meta is not None and meta.label_lower == "register.nominal"


def check(request: Any, action: Action, obj: Any = None, *, nominal_id: Any = "") -> None:
    """Raise PermissionDenied (audited) unless the policy allows ``action``.

    ``obj`` may be ``(nominal, section key)`` for the section actions. On refusal the
    request carries a ``Refusal`` for the 403 page, which offers emergency access
    (J 10.12) where the user's role could be given it for this record.
    """
    decision = decide(request.user, action, obj)
    if decision:
        return
    target = obj[0] if isinstance(obj, tuple) and obj else obj
    detail: dict[str, Any] = {
        "attempted": str(action),
        "reason": decision.reason,
        "path": request.path,
    }
    if isinstance(obj, tuple) and len(obj) > 1:
        detail["section"] = str(obj[1])
    audit_record(
        actor=request.user,
        action="access.refused",
        obj=target if hasattr(target, "_meta") else None,
        nominal_id=nominal_id
        or (target.pk if _is_nominal(target) else getattr(target, "nominal_id", "")),
        outcome="refused",
        detail=detail,
        request=request,
    )
    emergency_url = ""
    if _is_nominal(target) and decide(request.user, Action.EMERGENCY_REQUEST, target):
        emergency_url = reverse("access:emergency_request", args=[target.pk])
    request.access_refusal = Refusal(
        reason=decision.reason,
        about_record=_is_nominal(target) and decision == NO_PART,
        emergency_url=emergency_url,
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
