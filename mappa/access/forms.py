"""Forms for emergency access and the configuration of sensitive sections."""

from django import forms

from mappa.access.models import AgencyKind, EmergencyReason, Role


class EmergencyAccessForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why do you need this record now?",
        choices=EmergencyReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for emergency access"},
    )
    explanation = forms.CharField(
        label="Describe the emergency",
        help_text="Say what is happening and why you cannot wait for the agency that holds "
        "the case. The co-ordinator reads this.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter what the emergency is and why you need the record",
            "max_length": "Description must be 2000 characters or fewer",
        },
    )


class EmergencyReviewForm(forms.Form):
    note = forms.CharField(
        label="Review note",
        help_text="For example, whether the access was justified and anything you have "
        "asked the agency to do.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter a note about your review",
            "max_length": "Note must be 2000 characters or fewer",
        },
    )


class SectionRuleForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles that may see this section",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agency_kinds = forms.MultipleChoiceField(
        label="Agencies whose staff may see this section",
        help_text="Staff of these agencies see it on records their agency has a part in.",
        choices=AgencyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact = forms.CharField(
        label="Whom should others ask?",
        help_text="Shown to people who cannot see the section, for example "
        "'the MAPPA co-ordinator on 01534 000000'.",
        max_length=200,
        error_messages={"required": "Enter whom people should ask for this section"},
    )
