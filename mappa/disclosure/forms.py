"""Forms for requests for minutes and executive summaries, worded as GOV.UK asks.

Forms shape the input; the services decide the rules (a date in the future, routing
to no agency, an empty clarification) and their messages are shown against the
field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from mappa.access.models import Agency
from mappa.common.forms import GovukDateField
from mappa.disclosure.models import (
    ClarificationChannel,
    RequestDecision,
    RequesterType,
    RequestStatus,
)


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class RecordForm(forms.Form):
    case_reference = forms.CharField(
        label="Case or record reference",
        max_length=40,
        help_text="For example MN-000123/1 for a case, or MN-000123 for the person's record. "
        "You do not need to be able to open the case: the request goes to the co-ordinator "
        "and the chair of the case's last meeting.",
        error_messages={"required": "Enter the case or record reference"},
    )
    requester_name = forms.CharField(
        label="Who made the request",
        max_length=200,
        help_text="The court, body or person, for example Royal Court of Jersey",
        error_messages={"required": "Enter who made the request"},
    )
    requester_type = forms.ChoiceField(
        label="Type of requester",
        choices=RequesterType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of requester"},
    )
    asked = forms.CharField(
        label="What was asked for",
        widget=forms.Textarea,
        help_text="In the requester's words, as far as you can",
        error_messages={"required": "Enter what was asked for"},
    )
    received_on = GovukDateField(
        label="Date the request was received",
        help_text="For example, 27 3 2026",
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, fixed_case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_case = fixed_case
        if fixed_case is not None:
            self.fields["case_reference"].required = False
            self.fields["case_reference"].widget = forms.HiddenInput()


class ClarifyForm(forms.Form):
    version = _version_field()
    sought = forms.CharField(
        label="What information is actually sought",
        widget=forms.Textarea,
        help_text="J 5.5: often it is an agency's own assessment (probation's risk "
        "assessment, prison adjudications, a mental health assessment), which that agency "
        "answers for, not the meeting",
        required=False,
    )
    minutes_sought = forms.TypedChoiceField(
        label="Is information from the meeting's minutes sought?",
        choices=[("yes", "Yes: prepare an executive summary"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    channel = forms.ChoiceField(
        label="How was it clarified in writing?",
        choices=ClarificationChannel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    clarified_on = GovukDateField(label="Date clarified", required=False)


class RouteForm(forms.Form):
    version = _version_field()
    agencies = forms.ModelMultipleChoiceField(
        label="Which agencies own the information?",
        queryset=Agency.objects.filter(active=True).exclude(kind="coordination"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    what = forms.CharField(
        label="What information is routed to them",
        widget=forms.Textarea,
        required=False,
    )
    routed_on = GovukDateField(label="Date routed", required=False)


class DecideForm(forms.Form):
    version = _version_field()
    decision = forms.ChoiceField(
        label="Decision",
        choices=RequestDecision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reasons = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea, required=False
    )


class ReleaseForm(forms.Form):
    version = _version_field()
    released_version = forms.ChoiceField(
        label="Executive summary version sent",
        widget=forms.RadioSelect,
        required=False,
    )
    description = forms.CharField(
        label="What was sent",
        widget=forms.Textarea,
        required=False,
        help_text="For example, a letter refusing the request, or directing the requester "
        "to the agency that owns the information",
    )
    released_on = GovukDateField(label="Date sent", required=False)

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in versions}
        field = self.fields["released_version"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (str(v.pk), f"Version {v.number}, finalised {v.finalised_at:%-d %B %Y}")
            for v in versions
        ]
        if not versions:
            del self.fields["released_version"]

    def chosen_version(self) -> Any:
        return self.versions.get(self.cleaned_data.get("released_version") or "")


class RedactForm(forms.Form):
    version = _version_field()
    phrase = forms.CharField(
        label="Words to remove",
        required=False,
        help_text="Every place these words appear in the summary's text, in any capitals",
    )
    replacement = forms.CharField(
        label="Replace them with",
        required=False,
        help_text="For example, a neighbour",
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *RequestStatus.choices],
        required=False,
    )
    requester_type = forms.ChoiceField(
        label="Type of requester",
        choices=[("", "Any type"), *RequesterType.choices],
        required=False,
    )
