"""The area list's filter: a period and, optionally, the agency responsible."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from mappa.access.models import Agency
from mappa.common.forms import GovukDateField


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class PeriodForm(forms.Form):
    start = GovukDateField(label="Start date", required=True)
    end = GovukDateField(label="End date", required=True)
    agency = forms.ModelChoiceField(
        label="Responsible agency",
        help_text="The agency that owned the time limit or the action, or was absent",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Any agency",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data
