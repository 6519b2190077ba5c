"""The worklist: every due and overdue item the user is responsible for."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mappa.access.gates import check
from mappa.access.models import Agency, Role
from mappa.access.policy import Action
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.compliance.items import KIND_LABELS
from mappa.compliance.services import due_items_for_user
from mappa.profiles.clocks import ClockState

STATE_CHOICES = [(s.value, s.label) for s in ClockState]


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    # The worklist lists case data: the same rule as the register's list.
    check(request, Action.REGISTER_LIST)
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    if kind not in KIND_LABELS:
        kind = ""
    if state not in {s for s, _ in STATE_CHOICES}:
        state = ""
    user: Any = request.user
    area_wide = user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR)
    agency_id = None
    if area_wide and request.GET.get("agency", "").isdigit():
        agency_id = int(request.GET["agency"])
    # Unless a state is chosen, what is done on time drops off the worklist.
    rows = due_items_for_user(request.user, today(), kind=kind, state=state, agency_id=agency_id)
    if not state:
        rows = [r for r in rows if r.state != ClockState.MET]
    audit_record(
        actor=request.user,
        action="compliance.view",
        detail={"kind": kind, "state": state, "agency": agency_id, "items": len(rows)},
        request=request,
    )
    return render(
        request,
        "compliance/worklist.html",
        {
            "rows": rows,
            "kinds": list(KIND_LABELS.items()),
            "states": STATE_CHOICES,
            "kind": kind,
            "state": state,
            "agencies": Agency.objects.filter(active=True) if area_wide else None,
            "agency_id": agency_id,
            "area_wide": area_wide,
        },
    )
