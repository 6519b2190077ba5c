"""Forms for the panel schedule, meetings, agendas, invitations and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from mappa.access.models import Agency, Contact
from mappa.common.forms import GovukDateField
from mappa.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Weekday,
)
from mappa.meetings.services import chair_candidates

LEVELS = [(2, "Level 2"), (3, "Level 3")]
WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (5, "Last")]


class ClockTimeField(forms.TimeField):
    """A time typed as 10:00 (or 10.00, or 1000), shown back the same way."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    input_formats = ["%H:%M", "%H.%M", "%H%M", "%H"]

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        lower = label[:1].lower() + label[1:]
        super().__init__(
            label=label,
            required=required,
            help_text=kwargs.pop("help_text", "Use the 24-hour clock, for example 10:00 or 14:30"),
            error_messages={
                "required": f"Enter the {lower}",
                "invalid": f"Enter the {lower} as hours and minutes, for example 10:00",
            },
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return value


def _level_field(label: str = "Level") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select level 2 or level 3"},
    )


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = f", {obj.agency}" if obj.agency else ""
        title = f" ({obj.job_title})" if obj.job_title else ""
        return f"{obj.display_name}{title}{agency}"


def _chair_field(required: bool = False) -> ChairChoiceField:
    return ChairChoiceField(
        label="Chair",
        queryset=chair_candidates(),
        required=required,
        empty_label="Select the chair",
        help_text="J 9.2: level 2 is chaired by the co-ordinator or a middle or senior manager",
        error_messages={"required": "Select the chair"},
    )


class ScheduleForm(forms.Form):
    level = _level_field()
    week_of_month = forms.TypedChoiceField(
        label="Which week of the month",
        choices=WEEKS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which week of the month"},
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        choices=Weekday.choices,
        coerce=int,
        error_messages={"required": "Select the day of the week"},
    )
    start_time = ClockTimeField(label="Start time")
    end_time = ClockTimeField(label="End time", required=False)
    venue = forms.CharField(
        label="Venue", max_length=200, error_messages={"required": "Enter the venue"}
    )
    video_link = forms.URLField(
        assume_scheme="https",
        label="Video link (optional)",
        required=False,
        error_messages={"invalid": "Enter the video link as a web address, starting https://"},
    )
    chair = _chair_field()
    active = forms.BooleanField(label="Meetings are generated from this schedule", required=False)


class GenerateForm(forms.Form):
    months = forms.IntegerField(
        label="Create meetings for the coming number of months",
        min_value=1,
        max_value=24,
        initial=12,
        error_messages={
            "required": "Enter a number of months",
            "invalid": "Enter the number of months as a whole number, like 12",
            "min_value": "Enter a number of months from 1 to 24",
            "max_value": "Enter a number of months from 1 to 24",
        },
    )


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        grade = f", {obj.grade}" if obj.grade else ""
        return f"{obj.name}{grade} – {obj.agency}"


class StandingMemberForm(forms.Form):
    level = _level_field()
    contact = ContactChoiceField(
        label="Person",
        queryset=Contact.objects.select_related("agency").order_by("agency__name", "name"),
        empty_label="Select a person from the contact directory",
        error_messages={"required": "Select the person from the contact directory"},
    )
    minimum_grade = forms.CharField(
        label="Minimum grade for this agency at this level",
        max_length=100,
        required=False,
        help_text="J 10.7, for example Police level 2: Inspector; level 3: Chief Inspector or "
        "Superintendent. Left empty, the grade the guidance gives is used.",
    )
    active = forms.BooleanField(label="Invited to every meeting at this level", required=False)


class MeetingForm(forms.Form):
    """An emergency meeting (J 10.4, 10.6)."""

    level = _level_field()
    date = GovukDateField(label="Date of the meeting")
    start_time = ClockTimeField(label="Start time")
    end_time = ClockTimeField(label="End time", required=False)
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    video_link = forms.URLField(
        assume_scheme="https",
        label="Video link",
        required=False,
        help_text="Enter the venue, a video link, or both",
        error_messages={"invalid": "Enter the video link as a web address, starting https://"},
    )
    chair = _chair_field(required=True)
    emergency_reason = forms.CharField(
        label="Why the case cannot wait for the next panel day",
        widget=forms.Textarea,
        required=False,
    )


class MeetingChangeForm(forms.Form):
    date = GovukDateField(label="Date of the meeting")
    start_time = ClockTimeField(label="Start time")
    end_time = ClockTimeField(label="End time", required=False)
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    video_link = forms.URLField(
        assume_scheme="https",
        label="Video link",
        required=False,
        help_text="Enter the venue, a video link, or both",
        error_messages={"invalid": "Enter the video link as a web address, starting https://"},
    )
    chair = _chair_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea, error_messages={"required": "Enter the reason"}
    )

    def __init__(self, *args: Any, label: str = "Reason", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = f"Enter {label[:1].lower()}{label[1:]}"


class AgendaAddForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=30,
        help_text="For example MN-000123/1",
        error_messages={"required": "Enter the case reference"},
    )


class ItemTimeForm(forms.Form):
    start_time = ClockTimeField(
        label="Expected time", required=False, help_text="Leave empty if not set, for example 10:40"
    )


class InvitationForm(forms.Form):
    agenda_item = forms.ChoiceField(
        label="Invited to",
        error_messages={"required": "Select what the person is invited to"},
    )
    contact = ContactChoiceField(
        label="Person from the contact directory (optional)",
        queryset=Contact.objects.select_related("agency").order_by("agency__name", "name"),
        required=False,
        empty_label="Not in the directory",
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label="Select the agency",
        help_text="Not needed when you choose a person from the directory",
    )
    name = forms.CharField(label="Full name", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    role = forms.CharField(label="Role or job title", max_length=200, required=False)

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {str(i.pk): i for i in items}
        choice = self.fields["agenda_item"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("meeting", "The whole meeting (every case)")] + [
            (str(i.pk), f"Case {i.case.reference}") for i in items
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contact"):
            if not data.get("agency"):
                self.add_error("agency", "Select the agency")
            if not (data.get("name") or "").strip():
                self.add_error("name", "Enter the name of the person to invite")
        return data

    def chosen_item(self) -> AgendaItem | None:
        return self.items.get(self.cleaned_data.get("agenda_item", ""))


class AttendanceForm(forms.Form):
    """One row per invited agency: how it took part, and who came."""

    discussed = forms.TypedChoiceField(
        label="Was the case discussed at the meeting?",
        choices=[("yes", "Yes"), ("no", "No, the meeting did not reach it")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the case was discussed"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        for agency in agencies:
            prefix = f"agency_{agency.pk}"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=f"How did {agency.name} take part?",
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{prefix}_representative"] = forms.CharField(
                label="Full name of the person attending or reporting",
                max_length=200,
                required=False,
            )
            self.fields[f"{prefix}_grade"] = forms.CharField(
                label="Their grade or job title (optional)", max_length=100, required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        """The fields grouped by agency, for the template."""
        return [
            {
                "agency": agency,
                "status": self[f"agency_{agency.pk}_status"],
                "representative": self[f"agency_{agency.pk}_representative"],
                "grade": self[f"agency_{agency.pk}_grade"],
            }
            for agency in self.agencies
        ]


class WrittenInformationForm(forms.Form):
    received_on = GovukDateField(label="Date received", past_only=True)
    summary = forms.CharField(
        label="Written information from the person",
        widget=forms.Textarea,
        help_text="Type it in or summarise it. The person never attends the meeting (J 3.6).",
        required=False,
    )
