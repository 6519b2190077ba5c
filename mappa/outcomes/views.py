"""Pages for a person's outcome events: the list, add, change and remove.

Each asks the gate for the record (``NOMINAL_VIEW`` to read, ``NOMINAL_EDIT`` to
change; a refusal answers 403 and is audited), audits what it shows, and calls one
service. An event is always looked up under its own person: another person's event
is not found.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mappa.access.gates import nominal_get_for_user
from mappa.access.policy import Action, decide
from mappa.audit.services import audit_record
from mappa.outcomes import selectors, services
from mappa.outcomes.forms import OutcomeEventForm
from mappa.outcomes.models import OutcomeEvent
from mappa.register.forms import apply_service_errors
from mappa.register.models import Nominal


def _audit_view(request: HttpRequest, nominal: Nominal, **detail: Any) -> None:
    audit_record(
        actor=request.user,
        action="nominal.view",
        obj=nominal,
        nominal_id=nominal.pk,
        detail={"section": "outcomes", **detail},
        request=request,
    )


def _event(nominal: Nominal, pk: Any) -> OutcomeEvent:
    event = selectors.event_of_nominal(nominal, pk)
    if event is None:
        raise Http404("This person has no such outcome event")
    return event


def _form_context(nominal: Nominal) -> dict[str, Any]:
    return {
        "nominal": nominal,
        "cases": list(nominal.cases.order_by("opened_on")),
        "after_management": services.after_management_text(),
    }


@login_required
@require_GET
def event_list(request: HttpRequest, nominal_pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, nominal_pk, Action.NOMINAL_VIEW)
    events = list(selectors.events_of(nominal))
    _audit_view(request, nominal, shown=len(events))
    return render(
        request,
        "outcomes/list.html",
        {
            "nominal": nominal,
            "events": events,
            "can_edit": bool(decide(request.user, Action.NOMINAL_EDIT, nominal)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, nominal_pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, nominal_pk, Action.NOMINAL_EDIT)
    form = OutcomeEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.outcome_event_create(
                actor=request.user, nominal=nominal, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            where = f" on case {event.case.reference}" if event.case else " with no case open"
            messages.success(request, f"{event.get_kind_display()} has been recorded{where}")
            return redirect("outcomes:list", nominal_pk=nominal.pk)
    return render(
        request, "outcomes/form.html", {"form": form, "event": None, **_form_context(nominal)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, nominal_pk: Any, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, nominal_pk, Action.NOMINAL_EDIT)
    event = _event(nominal, pk)
    form = OutcomeEventForm(
        request.POST or None,
        initial={
            "kind": event.kind,
            "occurred_on": event.occurred_on,
            "order_type": event.order_type,
            "foreign_travel_restrictions": event.foreign_travel_restrictions,
            "notes": event.notes,
        },
    )
    if request.method == "GET":
        _audit_view(request, nominal, event=str(event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_event_update(
                actor=request.user, event=event, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The outcome event has been saved")
            return redirect("outcomes:list", nominal_pk=nominal.pk)
    return render(
        request, "outcomes/form.html", {"form": form, "event": event, **_form_context(nominal)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_remove(request: HttpRequest, nominal_pk: Any, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, nominal_pk, Action.NOMINAL_EDIT)
    event = _event(nominal, pk)
    if request.method == "POST":
        services.outcome_event_remove(actor=request.user, event=event, request=request)
        messages.success(request, f"{event.get_kind_display()} has been removed")
        return redirect("outcomes:list", nominal_pk=nominal.pk)
    _audit_view(request, nominal, event=str(event.pk))
    return render(request, "outcomes/remove.html", {"nominal": nominal, "event": event})
