"""Forms for signing in and for managing accounts, worded as the GOV.UK Design System asks."""

from typing import Any

from django import forms

from mappa.access.models import Agency, Role, User, VettingLevel
from mappa.accounts.models import TokenScope
from mappa.common.forms import GovukDateField


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the security code as 6 digits, like 123456")
        return code


class ConfirmIdentityForm(CodeForm):
    password = forms.CharField(
        label="Password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["password", "code"]


def _roles_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select at least one role"},
    )


class AccountDetailsForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter the last name"}
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(active=True),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency"},
    )
    roles = _roles_field()
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    grade = forms.CharField(label="Grade (optional)", max_length=100, required=False)
    phone = forms.CharField(label="Phone number (optional)", max_length=50, required=False)
    vetting_level = forms.ChoiceField(
        label="Vetting level",
        choices=VettingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the vetting level"},
    )
    vetting_expires = GovukDateField(
        label="Vetting expiry date",
        required=False,
        help_text="For example, 31 3 2027. Access to case records stops after this date.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        level = cleaned.get("vetting_level")
        if level and level != VettingLevel.NONE and not cleaned.get("vetting_expires"):
            if "vetting_expires" not in self.errors:
                self.add_error("vetting_expires", "Enter the vetting expiry date")
        return cleaned


class AccountCreateForm(AccountDetailsForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only",
        error_messages={"required": "Enter a username"},
        validators=[User.username_validator],
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label="Initial password",
        strip=False,
        max_length=4096,
        help_text="At least 12 characters. Give it to the person in a separate message.",
        error_messages={"required": "Enter an initial password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "first_name", "last_name", "email", "agency", "roles"]


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        strip=False,
        max_length=4096,
        help_text="At least 12 characters. Give it to the person in a separate message.",
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class DisableForm(forms.Form):
    reason = forms.CharField(
        label="Why is this account being disabled?",
        max_length=500,
        help_text="For example, left the agency or moved to another role",
        error_messages={"required": "Enter why the account is being disabled"},
        widget=forms.Textarea,
    )


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text="For example, case management system link",
        error_messages={"required": "Enter what the token is for"},
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=TokenScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the access the token gives"},
    )
    days = forms.IntegerField(
        label="Days until the token expires",
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Days until the token expires must be a whole number, like 90",
            "min_value": "Days until the token expires must be 1 or more",
        },
    )
