"""Forms for assessments and home visits. Rules live in the models and services; a
form shapes input and shows each message against its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models

from mappa.access.models import Agency, User
from mappa.assessments.models import TOOL_MODELS, Tool, VisitOutcome, lower_first
from mappa.common.forms import GovukDateField

INLINE_RADIOS = "govuk-radios--inline"


def _form_field(model_field: models.Field) -> tuple[forms.Field, str]:
    """A form field for one of a tool's fields, with GOV.UK wording, and its CSS classes."""
    label = str(model_field.verbose_name)
    label = label[:1].upper() + label[1:]
    required = not model_field.blank
    choices = getattr(model_field, "choices", None)
    if choices:
        return (
            forms.ChoiceField(
                label=label if required else f"{label} (optional)",
                choices=list(choices),
                required=required,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select the {lower_first(label)}",
                    "invalid_choice": f"Select one of the options for the {lower_first(label)}",
                },
            ),
            INLINE_RADIOS,
        )
    if isinstance(model_field, models.PositiveSmallIntegerField):
        maximum = next(
            (v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator)),
            None,
        )
        range_message = f"{label} must be a whole number from 0 to {maximum}"
        return (
            forms.IntegerField(
                label=label if required else f"{label} (optional)",
                required=required,
                min_value=0,
                max_value=maximum,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
                error_messages={
                    "required": f"Enter the {lower_first(label)}",
                    "invalid": range_message,
                    "min_value": range_message,
                    "max_value": range_message,
                },
            ),
            "govuk-input--width-3",
        )
    if isinstance(model_field, models.TextField):
        return (
            forms.CharField(
                label=label if required else f"{label} (optional)",
                required=required,
                widget=forms.Textarea,
                max_length=5000,
                error_messages={"required": f"Enter the {lower_first(label)}"},
            ),
            "",
        )
    return (
        forms.CharField(
            label=label if required else f"{label} (optional)",
            required=required,
            max_length=getattr(model_field, "max_length", None) or 200,
            error_messages={"required": f"Enter the {lower_first(label)}"},
        ),
        "",
    )


# What each tool's page says first (MAPPA B s.5 headers; J 6, 9.1, 11, 14.9).
TOOL_GUIDANCE = {
    Tool.RM2000: "Complete for all sexual offenders. Give each level you have.",
    Tool.OASYS_RECONVICTION: (
        "Give each predictor you have in full: its 1-year and 2-year percentages and its "
        "band. At least one predictor is needed."
    ),
    Tool.OASYS_ROSH_COMMUNITY: "The risk of serious harm in the community to each group.",
    Tool.OASYS_ROSH_CUSTODY: "The risk of serious harm in custody to each group.",
    Tool.SARA: "Complete for all domestic abuse offenders.",
    Tool.ASSET: "Complete for all offenders under 18.",
    Tool.STABLE_ACUTE: "The Stable-2007 total (0 to 26) is optional.",
    Tool.HCR20: "The scores are optional; the final risk judgement is needed.",
    Tool.MENTAL_HEALTH: "Any mental health or psychological risk tool: its name and outcome.",
    Tool.OVERALL_ROSH: (
        "The lead agency's judgement of the overall risk of serious harm (J 9.1). For a "
        "registered sexual offender it sets how often the police visit (J 14.9)."
    ),
}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.agency or 'no agency'})"


class ToolChoiceForm(forms.Form):
    tool = forms.ChoiceField(
        label="Which assessment tool was used?",
        choices=Tool.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the assessment tool"},
    )


class AssessmentForm(forms.Form):
    """The fields every assessment shares, then the chosen tool's own fields."""

    completed_on = GovukDateField(
        label="Date completed", past_only=True, help_text="For example, 27 3 2026"
    )
    author = UserChoiceField(
        label="Assessor",
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        empty_label="Select the assessor",
        error_messages={"required": "Select the assessor"},
    )
    agency = forms.ModelChoiceField(
        label="Assessing agency",
        queryset=Agency.objects.filter(active=True),
        empty_label="Select the assessing agency",
        error_messages={"required": "Select the assessing agency"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea, max_length=5000
    )

    def __init__(self, tool: Tool, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.model = TOOL_MODELS[tool]
        self.detail_classes: dict[str, str] = {}
        for name in self.model.FIELDS:
            model_field = self.model._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            field, classes = _form_field(model_field)
            self.fields[name] = field
            self.detail_classes[name] = classes

    @property
    def detail_rows(self) -> list[tuple[forms.BoundField, str]]:
        return [(self[name], self.detail_classes[name]) for name in self.model.FIELDS]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.model.FIELDS}


class HomeVisitForm(forms.Form):
    visited_on = GovukDateField(
        label="Date of the visit", past_only=True, help_text="For example, 27 3 2026"
    )
    officers = forms.CharField(
        label="Officers who visited",
        max_length=500,
        help_text="Names and agencies, for example PC Jane Le Brocq (police)",
        error_messages={"required": "Enter the officers who visited"},
    )
    announced = forms.TypedChoiceField(
        label="Was the visit announced?",
        choices=[("yes", "Announced"), ("no", "Unannounced")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the visit was announced"},
    )
    joint_with_probation = forms.BooleanField(label="Joint visit with probation", required=False)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=VisitOutcome.choices,
        widget=forms.RadioSelect,
        help_text="Only a visit where the person was seen at home restarts the visit clock",
        error_messages={"required": "Select the outcome of the visit"},
    )
    outcome_details = forms.CharField(
        label="What happened (optional unless the outcome is other)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
    )
    concerns = forms.CharField(
        label="Concerns (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text="What the officers noticed about the person's lifestyle and home (J 14.9)",
    )
