"""Forms for the minutes, actions and level 1 reviews, worded as GOV.UK asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from mappa.access.models import Agency, User
from mappa.common.forms import GovukDateField
from mappa.minutes import rules
from mappa.minutes.models import ActionReview, HraGround, Minutes, YesNo, minutes_field
from mappa.minutes.services import AMENDABLE_FIELDS, SECTION_BY_KEY, SECTIONS


def _label(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


class DeadlineField(GovukDateField):
    """A deadline is a date (MAPPA B notes s.15): "as soon as possible" is refused with
    its own message; an empty deadline is kept in a draft and refused at finalisation."""

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, list | tuple):
            typed = " ".join(str(v) for v in value if v)
            if typed and (rules.vague_deadline(typed) or any(c.isalpha() for c in typed)):
                raise ValidationError(rules.DEADLINE_NOT_A_DATE, code="vague")
        return super().to_python(value)


class TimeText(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            input_formats=["%H:%M", "%H.%M", "%H%M"],
            error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30"},
            **kwargs,
        )


def _form_field(model_field: models.Field) -> forms.Field:
    label = _label(model_field.verbose_name)
    if model_field.name == "hra_grounds":
        return forms.MultipleChoiceField(
            label=label,
            choices=HraGround.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
    if isinstance(model_field, models.BooleanField):
        return forms.BooleanField(label=label, required=False)
    if isinstance(model_field, models.DateField):
        return GovukDateField(label=label, required=False, help_text="For example, 27 3 2026")
    if isinstance(model_field, models.TimeField):
        field = TimeText(label=label, required=False, help_text="For example, 14:30")
        field.widget.format = "%H:%M"
        return field
    if model_field.choices:
        return forms.ChoiceField(
            label=label,
            choices=list(model_field.choices),
            widget=forms.RadioSelect,
            required=False,
        )
    if isinstance(model_field, models.TextField):
        return forms.CharField(label=label, widget=forms.Textarea, required=False)
    return forms.CharField(label=label, required=False, max_length=model_field.max_length)


HINTS = {
    "disclosure_reasons": "If you will make disclosure, explain why; if not, give the full reasons why not",
    "contingency_plan": "J 7.2: everyone must be clear what will happen if the plan breaks down",
    "differences_of_opinion": "J 1.3: record any agency's disagreement with the risk assessment or the plan in full",
    "withhold_from_offender": "J 3.6: it is good practice for people to know they are managed under MAPPA; withholding it needs this meeting's decision and reasons",
    "ongoing_achieve": "J 10.2: where the answer is yes, what will be achieved, and what actions are needed",
    "discharge_notes": "J 13.3: the possibility of discharge is considered at every meeting",
    "next_meeting_date": "Proposed from the review interval for the level",
}


def section_form_class(section: str) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    for name in SECTION_BY_KEY[section].fields:
        field = _form_field(minutes_field(name))
        if name in HINTS:
            field.help_text = HINTS[name]
        fields[name] = field
    return type(f"{section.title()}SectionForm", (forms.Form,), fields)


SECTION_FORMS = {s.key: section_form_class(s.key) for s in SECTIONS if s.fields}


def section_initial(minutes: Minutes, section: str) -> dict[str, Any]:
    return {name: getattr(minutes, name) for name in SECTION_BY_KEY[section].fields}


class ReviewForm(forms.Form):
    """Section 8: one set of answers per earlier action (the actions are not typed)."""

    def __init__(self, *args: Any, reviews: list[ActionReview], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reviews = reviews
        for review in reviews:
            number = review.action.number
            self.fields[f"r{review.pk}_completed"] = forms.ChoiceField(
                label=f"Was action {number} completed?",
                choices=YesNo.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"r{review.pk}_done_on"] = GovukDateField(
                label=f"Date action {number} was done", required=False
            )
            self.fields[f"r{review.pk}_reason"] = forms.CharField(
                label=f"Reason action {number} was not completed",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "review": review,
                "completed": self[f"r{review.pk}_completed"],
                "done_on": self[f"r{review.pk}_done_on"],
                "reason": self[f"r{review.pk}_reason"],
            }
            for review in self.reviews
        ]

    def service_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for review in self.reviews:
            data[f"review.{review.pk}.completed"] = (
                self.cleaned_data.get(f"r{review.pk}_completed") or ""
            )
            data[f"review.{review.pk}.done_on"] = self.cleaned_data.get(f"r{review.pk}_done_on")
            data[f"review.{review.pk}.reason"] = self.cleaned_data.get(f"r{review.pk}_reason") or ""
        return data


def review_initial(reviews: list[ActionReview]) -> dict[str, Any]:
    """Unanswered rows start from what the owner recorded in the tracker."""
    from mappa.minutes.services import _fill_review_from_action

    initial: dict[str, Any] = {}
    for review in reviews:
        shown = ActionReview(
            completed=review.completed,
            done_on=review.done_on,
            reason_not_completed=review.reason_not_completed,
        )
        _fill_review_from_action(shown, review.action)
        initial[f"r{review.pk}_completed"] = shown.completed
        initial[f"r{review.pk}_done_on"] = shown.done_on
        initial[f"r{review.pk}_reason"] = shown.reason_not_completed
    return initial


def review_field_name(key: str) -> str:
    """``review.12.done_on`` -> ``r12_done_on``."""
    _prefix, pk, part = key.split(".")
    return f"r{pk}_{part}"


def _agency_field(label: str, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Agency.objects.filter(active=True),
        empty_label="Select an agency",
        required=required,
        error_messages={"required": f"Select the {label.lower()}"},
    )


class AgencyUpdateForm(forms.Form):
    person_name = forms.CharField(
        label="Full name of the person giving the update",
        help_text="First name and last name, not initials (MAPPA B notes s.9)",
        max_length=200,
        required=False,
    )
    agency = _agency_field("Agency")
    update = forms.CharField(label="Update", widget=forms.Textarea, required=False)

    def clean_person_name(self) -> str:
        value = str(self.cleaned_data.get("person_name") or "")
        problem = rules.person_name_problem(value, what="the person giving the update")
        if problem:
            raise ValidationError(problem)
        return " ".join(value.split())

    def clean_update(self) -> str:
        value = str(self.cleaned_data.get("update") or "").strip()
        if not value:
            raise ValidationError("Enter the update")
        return value


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    agency = _agency_field("Agency that owns the action", required=False)
    owner_name = forms.CharField(
        label="Named owner",
        help_text="The person in that agency who will carry it out: first name and last name",
        max_length=200,
        required=False,
    )
    owner_user = forms.ModelChoiceField(
        label="Owner's account (optional)",
        help_text="So the action appears in their list of actions",
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        required=False,
        empty_label="Not linked to an account",
    )
    due_date = DeadlineField(
        label="Deadline",
        required=False,
        help_text="A specified date, for example 27 3 2026 – not “as soon as possible”",
    )
    protects_victims = forms.BooleanField(label="This action protects victims", required=False)
    contingency = forms.BooleanField(
        label="This action is part of the contingency plan", required=False
    )
    refer_to_next_meeting = forms.BooleanField(
        label="The agencies cannot deliver this: refer it to the next meeting",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_user"]
        field.label_from_instance = lambda u: f"{u.display_name}, {u.agency or 'no agency'}"  # type: ignore[attr-defined]

    def clean_description(self) -> str:
        value = str(self.cleaned_data.get("description") or "").strip()
        if not value:
            raise ValidationError("Enter what is to be done")
        return value

    def clean_owner_name(self) -> str:
        value = " ".join(str(self.cleaned_data.get("owner_name") or "").split())
        if value:
            problem = rules.person_name_problem(value, what="the owner")
            if problem:
                raise ValidationError(problem)
        return value


class AmendmentForm(forms.Form):
    field = forms.ChoiceField(label="Which part of the minutes needs correcting?", required=False)
    value = forms.CharField(
        label="The corrected text",
        widget=forms.Textarea,
        required=False,
        help_text="For an answer from a list, type the answer as the list words it; for a date, for example 27 3 2026",
    )
    reason = forms.CharField(
        label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "Select a part of the minutes")]
        for section in SECTIONS:
            for name in section.fields:
                if name in AMENDABLE_FIELDS:
                    label = _label(minutes_field(name).verbose_name)
                    choices.append((name, f"Section {section.number}: {label}"))
        self.fields["field"].choices = choices  # type: ignore[attr-defined]

    def clean_field(self) -> str:
        value = str(self.cleaned_data.get("field") or "")
        if value not in AMENDABLE_FIELDS:
            raise ValidationError("Select the part of the minutes to correct")
        return value

    def clean_reason(self) -> str:
        value = str(self.cleaned_data.get("reason") or "").strip()
        if not value:
            raise ValidationError("Enter the reason for the correction")
        return value

    def service_value(self) -> Any:
        """Answers from a list are typed as their words; map them back to the stored value."""
        name = self.cleaned_data["field"]
        text = str(self.cleaned_data.get("value") or "").strip()
        model_field = minutes_field(name)
        for value, label in model_field.choices or []:
            if text.lower() in (str(value).lower(), str(label).lower()):
                return value
        return text


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_reason(self) -> str:
        value = str(self.cleaned_data.get("reason") or "").strip()
        if not value:
            raise ValidationError("Enter the reason")
        return value


class ProgressForm(forms.Form):
    note = forms.CharField(
        label="Progress note", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_note(self) -> str:
        value = str(self.cleaned_data.get("note") or "").strip()
        if not value:
            raise ValidationError("Enter the progress note")
        return value


class CompleteForm(forms.Form):
    completed_on = GovukDateField(label="Date the action was done", required=True)
    note = forms.CharField(
        label="What was done", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_note(self) -> str:
        value = str(self.cleaned_data.get("note") or "").strip()
        if not value:
            raise ValidationError("Enter a note of what was done")
        return value


class NotCompletedForm(forms.Form):
    reason = forms.CharField(
        label="Why was the action not completed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_reason(self) -> str:
        value = str(self.cleaned_data.get("reason") or "").strip()
        if not value:
            raise ValidationError("Enter the reason the action was not completed")
        return value


STATE_FILTERS = [
    ("", "Any state"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("completed", "Completed"),
    ("not_completed", "Not completed"),
    ("referred", "Referred to the next meeting"),
]


class ActionFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label="Whose actions",
        choices=[
            ("mine", "My actions"),
            ("agency", "My agency's actions"),
            ("all", "All actions I can see"),
        ],
        required=False,
    )
    state = forms.ChoiceField(label="State", choices=STATE_FILTERS, required=False)
    due_before = GovukDateField(label="Due on or before", required=False)
    case = forms.CharField(label="Case reference", required=False, max_length=30)


class Level1ReviewForm(forms.Form):
    review_date = GovukDateField(label="Date of the review", required=True, past_only=False)
    new_information = forms.CharField(
        label="New information affecting the risk assessment or the plan",
        help_text="Say if there is none",
        widget=forms.Textarea,
        required=False,
    )
    plan_revised = forms.ChoiceField(
        label="Has the risk management plan been revised?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    plan_changes = forms.CharField(
        label="What changed in the plan", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    refer = forms.ChoiceField(
        label="Does the case now need a referral to level 2 or 3?",
        help_text="If yes, a referral is started for you, filled in from this review and the last minutes",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    refer_reasons = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
