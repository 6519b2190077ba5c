"""Reads for outcome events."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mappa.outcomes.models import OutcomeEvent
from mappa.register.models import Nominal


def events_of(nominal: Nominal) -> QuerySet[OutcomeEvent]:
    """The person's events, newest first, with their case and who recorded them: one
    query however many there are."""
    return (
        OutcomeEvent.objects.filter(nominal=nominal)
        .select_related("case", "recorded_by__agency")
        .order_by("-occurred_on", "-created_at")
    )


def event_of_nominal(nominal: Nominal, pk: Any) -> OutcomeEvent | None:
    """One of this person's events; another person's event is not found (None)."""
    return events_of(nominal).filter(pk=pk).first()
