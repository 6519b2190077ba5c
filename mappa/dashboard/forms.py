"""The dashboard's filters: a quarter or a period of the user's own, and an agency."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from mappa.access.models import Agency
from mappa.common.forms import GovukDateField
from mappa.dashboard.periods import EARLIEST, Quarter, period_words, quarter_choices

DATE_PARTS = ("day", "month", "year")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    quarter: Quarter | None
    agency: Agency | None

    @property
    def words(self) -> str:
        return period_words(self.start, self.end)

    @property
    def agency_id(self) -> int | None:
        return self.agency.pk if self.agency else None

    def query(self, **extra: Any) -> str:
        """The period as the query string every drill-down link carries."""
        data = QueryDict(mutable=True)
        data["from"] = self.start.isoformat()
        data["to"] = self.end.isoformat()
        if self.agency:
            data["agency"] = str(self.agency.pk)
        for key, value in extra.items():
            if value not in (None, ""):
                data[key] = str(value)
        return data.urlencode()

    def as_audit(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "quarter": self.quarter.key if self.quarter else None,
            "agency": self.agency_id,
        }


def period_data(query: QueryDict) -> QueryDict:
    """The query string with ``from=2026-07-01`` (the drill-down links' form) spread
    into the date input's day, month and year boxes, so one form reads both."""
    data = query.copy()
    for name in ("from", "to"):
        value = data.get(name)
        if value is None or any(f"{name}-{part}" in data for part in DATE_PARTS):
            continue
        pieces = value.strip().split("-")
        if len(pieces) == 3:
            year, month, day = pieces
        else:
            # Not a date: every box carries it, so the message is "must be a real date".
            year = month = day = value
        data[f"{name}-day"], data[f"{name}-month"], data[f"{name}-year"] = day, month, year
    return data


class PeriodForm(forms.Form):
    """Either a quarter from the picker or a start and end date; the dates win."""

    def __init__(self, data: QueryDict | None, *, today: dt.date, **kwargs: Any) -> None:
        super().__init__(period_data(data) if data is not None else None, **kwargs)
        self.today = today
        self.latest = dt.date(today.year + 1, 12, 31)
        self.fields["quarter"] = forms.ChoiceField(
            label="Quarter",
            required=False,
            choices=[("", "Choose a quarter"), *quarter_choices(today)],
            initial=Quarter.of(today).key,
            error_messages={"invalid_choice": "Select a quarter from the list"},
        )
        self.fields["from"] = GovukDateField(
            label="Start date",
            required=False,
            help_text="Or give your own dates. For example, 1 7 2026",
        )
        self.fields["to"] = GovukDateField(label="End date", required=False)
        self.fields["agency"] = forms.ChoiceField(
            label="Agency",
            required=False,
            choices=[
                ("", "All agencies"),
                *((str(a.pk), a.name) for a in Agency.objects.filter(active=True)),
            ],
            error_messages={"invalid_choice": "Select an agency from the list"},
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if "from" in self.errors or "to" in self.errors:
            return data
        if start and not end:
            self.add_error("to", "Enter the end date")
        elif end and not start:
            self.add_error("from", "Enter the start date")
        if start and start < EARLIEST:
            self.add_error("from", "Start date must be on or after 1 January 2000")
        if end and end > self.latest:
            self.add_error("to", f"End date must be on or before 31 December {self.latest.year}")
        if start and end and end < start and not self.errors:
            self.add_error("to", "The end date must be the same as or after the start date")
        return data

    def period(self) -> Period:
        """The period asked for; the current quarter to date when nothing (valid) was."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        agency = None
        if data.get("agency"):
            agency = Agency.objects.filter(pk=int(data["agency"])).first()
        if data.get("from") and data.get("to"):
            start, end = data["from"], data["to"]
            quarter = Quarter.of(start)
            # A period that is exactly a quarter is shown as one.
            exact = quarter.start == start and end in {quarter.end, self.today}
            return Period(start, end, quarter if exact else None, agency)
        quarter = Quarter.parse(data.get("quarter") or "") or Quarter.of(self.today)
        start, end = quarter.to_date(self.today)
        return Period(start, end, quarter, agency)


class PackForm(forms.Form):
    """The quarter of the SMB pack and the format to download it in."""

    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={
            "required": "Select a quarter",
            "invalid_choice": "Select a quarter from the list",
        },
    )
    format = forms.ChoiceField(
        label="Format",
        widget=forms.RadioSelect,
        choices=[("pdf", "PDF, to circulate to the board"), ("xlsx", "Spreadsheet (XLSX)")],
        error_messages={
            "required": "Select a format",
            "invalid_choice": "Select a format",
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a quarter"),
            *quarter_choices(today, count=20),
        ]

    def chosen(self) -> Quarter:
        quarter = Quarter.parse(self.cleaned_data["quarter"])
        assert quarter is not None  # the choices are all valid quarters
        return quarter
