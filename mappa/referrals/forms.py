"""Forms for identification, the referral's sections, endorsement and screening."""

from typing import Any

from django import forms

from mappa.access.models import Agency, Role, User
from mappa.common.forms import GovukDateField
from mappa.referrals import choices
from mappa.referrals.models import (
    Custody,
    DeclineReason,
    EligibilityEventKind,
    ReferralInvitee,
    YesNoUnknown,
)
from mappa.register.models import Category

RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("very_high", "Very high")]


class EligibilityForm(forms.Form):
    kind = forms.ChoiceField(
        label="What made the person eligible?",
        choices=EligibilityEventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what made the person eligible"},
    )
    event_date = GovukDateField(label="Date of the event", past_only=True)
    identified_on = GovukDateField(label="Date identified as MAPPA-eligible", past_only=True)
    custody = forms.ChoiceField(
        label="Where is the person now?",
        choices=Custody.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the person is now"},
    )
    planned_release_date = GovukDateField(
        label="Planned release or discharge date (if in custody or hospital)", required=False
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)


class CategorySectionForm(forms.Form):
    category = forms.ChoiceField(
        label="Category", choices=Category.choices, widget=forms.RadioSelect, required=False
    )
    sexual_offender = forms.BooleanField(
        label="The person is a sexual offender",
        required=False,
        help_text="Sexual offenders are always discussed at a multi-agency meeting (J 9.2, 10.3)",
    )
    level_sought = forms.TypedChoiceField(
        label="Level sought",
        choices=[(2, "Level 2"), (3, "Level 3")],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    custody = forms.ChoiceField(
        label="Where is the person now?",
        choices=Custody.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    emergency_meeting = forms.BooleanField(label="An emergency meeting is needed", required=False)
    emergency_needed_by = GovukDateField(
        label="Emergency meeting needed by",
        required=False,
        help_text="A specific date, for example 4 12 2026",
    )
    emergency_reason = forms.CharField(
        label="Why the case cannot wait for the next scheduled meeting",
        required=False,
        widget=forms.Textarea,
    )


class AssessmentsSectionForm(forms.Form):
    assessments: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Risk assessments to send with the referral",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Record any that are missing on the person's risk assessments page first.",
    )

    def __init__(self, *args: Any, nominal: Any = None, **kwargs: Any) -> None:
        from mappa.assessments.models import Assessment

        super().__init__(*args, **kwargs)
        field = self.fields["assessments"]
        field.queryset = Assessment.objects.filter(nominal=nominal).order_by(  # type: ignore[attr-defined]
            "-completed_on"
        )
        field.label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.get_tool_display()}, completed {a.completed_on:%-d %B %Y}"
        )


class RiskSectionForm(forms.Form):
    overall_risk = forms.ChoiceField(
        label="Current risk of serious harm",
        choices=RISK_LEVELS,
        widget=forms.RadioSelect,
        required=False,
    )
    risk_who = forms.CharField(label="Who is at risk?", required=False, widget=forms.Textarea)
    risk_nature = forms.CharField(
        label="What is the nature of the risk?", required=False, widget=forms.Textarea
    )
    risk_when = forms.CharField(
        label="When is the risk likely to be greatest?", required=False, widget=forms.Textarea
    )
    risk_increase = forms.CharField(
        label="What circumstances are likely to increase risk?",
        required=False,
        widget=forms.Textarea,
    )
    risk_reduce = forms.CharField(
        label="What factors are likely to reduce risk?", required=False, widget=forms.Textarea
    )


class PlanSectionForm(forms.Form):
    plan_restrictive_choices = forms.MultipleChoiceField(
        label="Restrictive interventions",
        choices=choices.RESTRICTIVE,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    plan_restrictive = forms.CharField(
        label="Restrictive interventions: details", required=False, widget=forms.Textarea
    )
    plan_rehabilitative_choices = forms.MultipleChoiceField(
        label="Rehabilitative interventions",
        choices=choices.REHABILITATIVE,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    plan_rehabilitative = forms.CharField(
        label="Rehabilitative interventions: details", required=False, widget=forms.Textarea
    )
    plan_protective_choices = forms.MultipleChoiceField(
        label="Protective interventions",
        choices=choices.PROTECTIVE,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    plan_protective = forms.CharField(
        label="Protective interventions: details", required=False, widget=forms.Textarea
    )


class RelevantSectionForm(forms.Form):
    reason_choices = forms.MultipleChoiceField(
        label="Concerns behind the referral",
        choices=choices.REASONS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason_for_referral = forms.CharField(
        label="Reason for referral",
        required=False,
        widget=forms.Textarea,
        help_text="Why normal liaison between agencies is not enough. Use your own words: do not "
        "paste from a pre-sentence report.",
    )
    interagency_work = forms.CharField(
        label="What inter-agency work has been done so far?", required=False, widget=forms.Textarea
    )
    added_value = forms.CharField(
        label="How will active level 2 or 3 management add value?",
        required=False,
        widget=forms.Textarea,
    )
    diversity = forms.CharField(
        label="Diversity considerations linked to risk of serious harm",
        required=False,
        widget=forms.Textarea,
    )


class VictimsSectionForm(forms.Form):
    victim_concerns = forms.CharField(
        label="Victim concerns",
        required=False,
        widget=forms.Textarea,
        help_text="Known or suspected concerns about victims of the index offence, previous "
        "offences or potential victims, and why they are at risk of serious harm",
    )


class SafeguardingSectionForm(forms.Form):
    child_protection_concerns = forms.ChoiceField(
        label="Are there any child protection concerns?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    child_protection_details = forms.CharField(
        label="What are they?", required=False, widget=forms.Textarea
    )
    social_worker = forms.CharField(
        label="Allocated social worker (name and contact details)", required=False
    )
    child_protection_plan = forms.ChoiceField(
        label="Is any child subject to a child protection plan?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    vulnerable_adult_concerns = forms.CharField(
        label="Vulnerable adult concerns", required=False, widget=forms.Textarea
    )


class EndorsementSectionForm(forms.Form):
    line_manager = forms.ModelChoiceField(
        label="Line manager who will endorse the referral",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a line manager",
    )

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line_manager"]
        field.queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, agency=agency, roles__role=Role.LINE_MANAGER
        ).distinct()
        field.label_from_instance = lambda u: f"{u.display_name}, {u.job_title or 'line manager'}"  # type: ignore[attr-defined]


SECTION_FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "category": ("Category and level", CategorySectionForm),
    "assessments": ("Risk assessments", AssessmentsSectionForm),
    "risk": ("Risk assessment summary", RiskSectionForm),
    "plan": ("Risk management plan", PlanSectionForm),
    "relevant": ("Relevant information", RelevantSectionForm),
    "victims": ("Victim concerns", VictimsSectionForm),
    "safeguarding": ("Safeguarding", SafeguardingSectionForm),
    "endorsement": ("Line manager", EndorsementSectionForm),
}


class InviteeForm(forms.ModelForm):
    class Meta:
        model = ReferralInvitee
        fields = ["agency", "name", "role", "email", "phone", "address"]
        labels = {"role": "Role or job title", "phone": "Phone number", "email": "Email address"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["agency"].error_messages["required"] = "Select the agency"
        self.fields["name"].error_messages["required"] = "Enter the name of the person to invite"


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="What more information is needed?",
        widget=forms.Textarea,
        error_messages={"required": "Say what more information is needed"},
    )


class ScreeningForm(forms.Form):
    DECISIONS = [
        ("accept", "Accept"),
        ("decline", "Decline"),
        ("return", "Return for more information"),
    ]
    decision = forms.ChoiceField(
        label="Decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    category = forms.ChoiceField(
        label="Category (if accepted)",
        choices=Category.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    level = forms.TypedChoiceField(
        label="Level of management (if accepted)",
        choices=[(2, "Level 2"), (3, "Level 3")],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    decline_reason = forms.ChoiceField(
        label="Reason (if declined)",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea,
        required=False,
        help_text="The referrer sees this. Required when you decline or return the referral.",
    )
