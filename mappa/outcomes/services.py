"""Writes for outcome events on the register. Each is one transaction, audited inside
with the before and after values.

Rules:
- the date is required and cannot be in the future;
- an order imposed or revoked names its type; no other kind has one; only a SHPO or a
  SOPO carries foreign-travel restrictions (T5 counts them);
- the event belongs to the case open on its date, found here, never chosen by the
  user. A case is open from ``opened_on`` to ``closed_on`` inclusive: the day a case
  closes still belongs to it, since the event is often why it closed (returned to
  custody, notification revoked); when a new case opened that same day, the new case
  owns the day. An event before the person's first case is refused; an event on a day
  no case was open is refused, except the kinds that can come after management
  (``AFTER_MANAGEMENT_KINDS``), which are recorded with no case.

An archived record may still receive events: the annual report needs what happened
during a closed case, and lifetime notification is revoked after management ends. The
access policy decides who may add them (``NOMINAL_EDIT``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mappa.audit.services import audit_record, diff_fields
from mappa.common.dates import today
from mappa.outcomes.models import (
    AFTER_MANAGEMENT_KINDS,
    FOREIGN_TRAVEL_ORDER_TYPES,
    ORDER_KINDS,
    OrderType,
    OutcomeEvent,
    OutcomeKind,
)
from mappa.register.models import Case, Nominal

FIELDS = ("kind", "occurred_on", "order_type", "foreign_travel_restrictions", "notes")


def _when(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _values(event: OutcomeEvent) -> dict[str, Any]:
    return {
        **{name: getattr(event, name) for name in FIELDS},
        "case": event.case.reference if event.case_id and event.case else None,
    }


def after_management_text() -> str:
    # Lower the first letter only, keeping acronyms ("MAPPA serious case review").
    labels = [
        label if label[1:2].isupper() else label[:1].lower() + label[1:]
        for label in (str(OutcomeKind(k).label) for k in AFTER_MANAGEMENT_KINDS)
    ]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def case_on(nominal: Nominal, day: dt.date, kind: str) -> Case | None:
    """The case open on ``day`` for an event of ``kind``, or None for a kind that may
    come after management; raises ValidationError (on ``occurred_on``) otherwise."""
    cases = list(nominal.cases.order_by("opened_on", "created_at"))
    if not cases:
        raise ValidationError(
            {"occurred_on": ["This person has no case, so no outcome event can be recorded"]}
        )
    first = cases[0]
    if day < first.opened_on:
        raise ValidationError(
            {
                "occurred_on": [
                    f"The date must be on or after {_when(first.opened_on)}, when "
                    f"{nominal.reference}'s first case ({first.reference}) was opened"
                ]
            }
        )
    open_then = [
        c for c in cases if c.opened_on <= day and (c.closed_on is None or c.closed_on >= day)
    ]
    if open_then:
        return open_then[-1]
    if kind in AFTER_MANAGEMENT_KINDS:
        return None
    before = [c for c in cases if c.closed_on is not None and c.closed_on < day]
    last = before[-1] if before else None
    closed = (
        f" (case {last.reference} closed on {_when(last.closed_on)})"
        if last is not None and last.closed_on is not None
        else ""
    )
    raise ValidationError(
        {
            "occurred_on": [
                f"No case was open on {_when(day)}{closed}. An outcome event is recorded on the "
                f"case open on its date; only {after_management_text()} can be recorded "
                "after management ended"
            ]
        }
    )


def _check(
    *,
    kind: str,
    occurred_on: dt.date | None,
    order_type: str,
    foreign_travel_restrictions: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in OutcomeKind.values:
        errors["kind"] = ["Select what happened"]
    if occurred_on is None:
        errors["occurred_on"] = ["Enter the date of the outcome"]
    elif occurred_on > today():
        errors["occurred_on"] = ["The date of the outcome must be today or in the past"]
    if kind in ORDER_KINDS:
        if not order_type:
            errors["order_type"] = ["Select the type of order"]
        elif order_type not in OrderType.values:
            errors["order_type"] = ["Select the type of order"]
    elif order_type and kind in OutcomeKind.values:
        errors["order_type"] = [
            "Leave the type of order empty: only an order imposed or revoked has one"
        ]
    if foreign_travel_restrictions and order_type not in FOREIGN_TRAVEL_ORDER_TYPES:
        errors["foreign_travel_restrictions"] = [
            "Only a sexual harm prevention order or a sexual offences prevention order has "
            "foreign-travel restrictions"
        ]
    if errors:
        raise ValidationError(errors)


def _lock_nominal(nominal: Nominal) -> Nominal:
    return Nominal.objects.select_for_update().get(pk=nominal.pk)


@transaction.atomic
def outcome_event_create(
    *,
    actor: Any,
    nominal: Nominal,
    kind: str,
    occurred_on: dt.date | None,
    order_type: str = "",
    foreign_travel_restrictions: bool = False,
    notes: str = "",
    request: Any = None,
) -> OutcomeEvent:
    """Record what happened to the person on a date, on the case open then."""
    nominal = _lock_nominal(nominal)
    order_type = order_type or ""
    _check(
        kind=kind,
        occurred_on=occurred_on,
        order_type=order_type,
        foreign_travel_restrictions=foreign_travel_restrictions,
    )
    assert occurred_on is not None
    case = case_on(nominal, occurred_on, kind)
    event = OutcomeEvent.objects.create(
        nominal=nominal,
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        order_type=order_type,
        foreign_travel_restrictions=foreign_travel_restrictions,
        notes=str(notes or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="outcome_event.create",
        obj=event,
        nominal_id=nominal.pk,
        changes={k: [None, v] for k, v in _values(event).items()},
        request=request,
    )
    return event


@transaction.atomic
def outcome_event_update(
    *,
    actor: Any,
    event: OutcomeEvent,
    kind: str,
    occurred_on: dt.date | None,
    order_type: str = "",
    foreign_travel_restrictions: bool = False,
    notes: str = "",
    request: Any = None,
) -> OutcomeEvent:
    """Correct an event. A new date moves it to the case open on that date."""
    nominal = _lock_nominal(event.nominal)
    event = OutcomeEvent.objects.select_related("case").get(pk=event.pk, nominal=nominal)
    before = _values(event)
    order_type = order_type or ""
    _check(
        kind=kind,
        occurred_on=occurred_on,
        order_type=order_type,
        foreign_travel_restrictions=foreign_travel_restrictions,
    )
    assert occurred_on is not None
    event.case = case_on(nominal, occurred_on, kind)
    event.kind, event.occurred_on = kind, occurred_on
    event.order_type = order_type
    event.foreign_travel_restrictions = foreign_travel_restrictions
    event.notes = str(notes or "").strip()
    changes = diff_fields(before, _values(event))
    if not changes:
        return event
    event.save()
    audit_record(
        actor=actor,
        action="outcome_event.update",
        obj=event,
        nominal_id=nominal.pk,
        changes=changes,
        request=request,
    )
    return event


@transaction.atomic
def outcome_event_remove(*, actor: Any, event: OutcomeEvent, request: Any = None) -> None:
    """Remove an event recorded in error; the audit keeps what was removed."""
    nominal = _lock_nominal(event.nominal)
    event = OutcomeEvent.objects.select_related("case").get(pk=event.pk, nominal=nominal)
    values = _values(event)
    pk = event.pk
    event.delete()
    audit_record(
        actor=actor,
        action="outcome_event.delete",
        object_type="outcomes.outcomeevent",
        object_id=str(pk),
        nominal_id=nominal.pk,
        changes={k: [v, None] for k, v in values.items()},
        request=request,
    )
