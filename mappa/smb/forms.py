"""Forms for the board's pages. They shape input; the rules are the services'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mappa.access.models import Agency, User
from mappa.common.forms import GovukDateField
from mappa.smb.models import SmbAttendanceStatus, SmbSeat
from mappa.smb.selectors import AttendanceRow
from mappa.smb.services import AttendanceEntry


class SeatForm(forms.Form):
    title = forms.CharField(
        label="Seat",
        max_length=200,
        help_text="For example, Chief Officer, States of Jersey Police",
        error_messages={"required": "Enter the seat"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(active=True),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency"},
    )
    minimum_grade = forms.CharField(
        label="Minimum grade",
        max_length=200,
        help_text="J 15.2: for example, Superintendent or above",
        error_messages={"required": "Enter the minimum grade for the seat"},
    )
    created_on = GovukDateField(label="Date the seat was created")
    position = forms.IntegerField(
        label="Place in the board's order (optional)",
        min_value=0,
        max_value=999,
        required=False,
        help_text="Seats are listed in this order. Leave empty to put a new seat last.",
        error_messages={
            "invalid": "Place in the board's order must be a whole number, like 3",
            "min_value": "Place in the board's order must be 0 or more",
            "max_value": "Place in the board's order must be 999 or less",
        },
    )


class SeatEndForm(forms.Form):
    ended_on = GovukDateField(
        label="Last day of the seat",
        help_text="Meetings held after this day do not count for the seat. Its holder's "
        "term ends the same day.",
    )


class _HolderFields(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the name of the person who holds the seat"},
    )
    grade = forms.CharField(label="Grade or job title (optional)", max_length=200, required=False)
    user = forms.ModelChoiceField(
        label="Their account in this service (optional)",
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        required=False,
        empty_label="No account",
    )


class HolderChangeForm(_HolderFields):
    started_on = GovukDateField(
        label="Date they started",
        help_text="The current holder's term ends the day before.",
    )


class HolderEditForm(_HolderFields):
    started_on = GovukDateField(label="Date they started")
    ended_on = GovukDateField(label="Last day in the seat (optional)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "The end date must be the same as or after the start date")
        return data


class _ChairChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.agency.name})"


class MeetingForm(forms.Form):
    date = GovukDateField(label="Date of the meeting")
    venue = forms.CharField(label="Venue (optional)", max_length=200, required=False)
    chair_seat = _ChairChoice(
        label="Chair (optional until the meeting is held)",
        queryset=SmbSeat.objects.none(),
        required=False,
        empty_label="Not decided",
    )
    chair_name = forms.CharField(
        label="Name of the chair (optional)",
        max_length=200,
        required=False,
        help_text="Leave empty to use the name of the person attending for that seat.",
    )

    def __init__(self, *args: Any, chair_seats: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair_seat"].queryset = chair_seats  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why was the meeting cancelled?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the reason the meeting was cancelled"},
    )


class RecordForm(forms.Form):
    """Attendance for every seat on the day, the chair and the short minutes."""

    chair_seat = _ChairChoice(
        label="Which seat chaired the meeting?",
        queryset=SmbSeat.objects.none(),
        required=False,
        empty_label="Select the seat",
        help_text="J 15.3: a senior member of the Police, Probation or Prison Service.",
    )
    chair_name = forms.CharField(
        label="Name of the chair (optional)",
        max_length=200,
        required=False,
        help_text="Leave empty to use the name of the person attending for that seat.",
    )
    minutes = forms.CharField(
        label="Short minutes",
        widget=forms.Textarea,
        required=False,
        max_length=20000,
        help_text="What the board considered and decided, and the actions agreed.",
    )

    def __init__(
        self, *args: Any, rows: list[AttendanceRow], chair_seats: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows_ = rows
        self.fields["chair_seat"].queryset = chair_seats  # type: ignore[attr-defined]
        for row in rows:
            prefix = f"seat_{row.seat.pk}"
            holder = f" (holder: {row.holder.name})" if row.holder else " (no holder on that date)"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=f"How did {row.seat.title} take part?{holder}",
                choices=SmbAttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{prefix}_name"] = forms.CharField(
                label=f"Who attended for {row.seat.title}?",
                help_text="Leave empty if the holder attended. Name a deputy.",
                max_length=200,
                required=False,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "row": row,
                "status": self[f"seat_{row.seat.pk}_status"],
                "name": self[f"seat_{row.seat.pk}_name"],
            }
            for row in self.rows_
        ]

    def attendance(self) -> dict[int, AttendanceEntry]:
        return {
            row.seat.pk: AttendanceEntry(
                status=self.cleaned_data.get(f"seat_{row.seat.pk}_status") or "",
                name=self.cleaned_data.get(f"seat_{row.seat.pk}_name") or "",
            )
            for row in self.rows_
        }


class PeriodForm(forms.Form):
    """A period for the attendance table: both dates, the end not before the start."""

    start = GovukDateField(label="Start date")
    end = GovukDateField(label="End date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise ValidationError(
                {"end": "The end date must be the same as or after the start date"}
            )
        return data
