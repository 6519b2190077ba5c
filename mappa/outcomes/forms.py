"""The outcome event form. It shapes input; the rules are the service's."""

from __future__ import annotations

from django import forms

from mappa.common.forms import GovukDateField
from mappa.outcomes.models import OrderType, OutcomeKind


class OutcomeEventForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=[("", "Select what happened"), *OutcomeKind.choices],
        error_messages={"required": "Select what happened"},
    )
    occurred_on = GovukDateField(label="Date of the outcome", help_text="For example, 27 3 2026")
    order_type = forms.ChoiceField(
        label="Type of order (for an order imposed or revoked)",
        choices=[("", "Not an order"), *OrderType.choices],
        required=False,
    )
    foreign_travel_restrictions = forms.BooleanField(
        label="The order has foreign-travel restrictions",
        required=False,
        help_text="A sexual harm prevention order or sexual offences prevention order only",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="For example, the court, the offence or the order's conditions",
    )
