"""Forms for the register's pages. Rules live in the models and services; a form
only shapes input and shows each message against its field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mappa.access.models import Agency, User
from mappa.common.forms import GovukDateField
from mappa.register.models import (
    Address,
    AddressKind,
    Alias,
    AliasKind,
    Category,
    Conviction,
    Gender,
    HospitalDetention,
    Identifier,
    IdentifierKind,
    Level,
    NominalStatus,
    Sentence,
    WarningMarker,
)

IDENTIFIER_FIELDS = {
    IdentifierKind.PNC: "identifier_pnc",
    IdentifierKind.CRO: "identifier_cro",
    IdentifierKind.VISOR: "identifier_visor",
    IdentifierKind.PRISON: "identifier_prison",
    IdentifierKind.NINO: "identifier_nino",
}


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal against the fields it names, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _agency_field(label: str = "Lead agency") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Agency.objects.filter(active=True),
        empty_label="Select an agency",
        error_messages={"required": f"Select the {label.lower()}"},
    )


def _manager_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Record manager (optional)",
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        required=False,
        empty_label="No manager named",
        help_text="The person responsible for the quality of this record (J 13.2)",
    )


class ManagerChoiceMixin:
    def label_for_manager(self, user: User) -> str:
        return f"{user.display_name} ({user.agency or 'no agency'})"


class CaseRulesMixin(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category"},
    )
    level = forms.TypedChoiceField(
        label="Level of management",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of management"},
    )
    pdp_behaviour = forms.CharField(
        label="Behaviour giving grounds (potentially dangerous persons only)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
    )
    notification_end_date = GovukDateField(
        label="Notification end date (category 1 only)",
        required=False,
        help_text="For example, 27 3 2031",
    )
    notification_indefinite = forms.BooleanField(label="Notification is indefinite", required=False)


class NominalCreateForm(CaseRulesMixin):
    given_names = forms.CharField(
        label="Given names", max_length=150, error_messages={"required": "Enter the given names"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter the family name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth", past_only=True, help_text="For example, 27 3 1985"
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the gender"},
    )
    ethnicity = forms.CharField(
        label="Ethnicity",
        required=False,
        max_length=200,
        help_text="The person's actual ethnicity, not a code",
    )
    lead_agency = _agency_field()
    manager = _manager_field()
    identifier_pnc = forms.CharField(
        label="PNC ID", required=False, max_length=20, help_text="For example, 2012/0000001H"
    )
    identifier_cro = forms.CharField(
        label="CRO number", required=False, max_length=20, help_text="For example, 000001/12D"
    )
    identifier_visor = forms.CharField(label="ViSOR reference", required=False, max_length=60)
    identifier_prison = forms.CharField(label="Prison number", required=False, max_length=60)
    identifier_nino = forms.CharField(
        label="National Insurance number",
        required=False,
        max_length=20,
        help_text="For example, QQ 12 34 56 C",
    )

    field_order = [
        "given_names",
        "family_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "category",
        "level",
        "lead_agency",
        "manager",
        "pdp_behaviour",
        "notification_end_date",
        "notification_indefinite",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.display_name} ({u.agency or 'no agency'})"
        )

    def identifiers(self) -> list[tuple[str, str, str]]:
        return [
            (kind, self.cleaned_data.get(field, ""), "")
            for kind, field in IDENTIFIER_FIELDS.items()
        ]


class NominalEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    given_names = forms.CharField(
        label="Given names", max_length=150, error_messages={"required": "Enter the given names"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter the family name"}
    )
    date_of_birth = GovukDateField(label="Date of birth", past_only=True)
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, widget=forms.RadioSelect)
    ethnicity = forms.CharField(label="Ethnicity", required=False, max_length=200)


class ManagementForm(CaseRulesMixin):
    lead_agency = _agency_field()
    manager = _manager_field()
    effective_from = GovukDateField(label="Date the change takes effect", past_only=True)
    reason = forms.CharField(
        label="Reason for the change",
        max_length=300,
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.display_name} ({u.agency or 'no agency'})"
        )


class StatusForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the reason"},
    )
    effective_on = GovukDateField(
        label="Date", past_only=True, required=False, help_text="Leave blank for today"
    )


class RegisterFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Category", choices=[("", "Any category"), *Category.choices], required=False
    )
    level = forms.ChoiceField(
        label="Level", choices=[("", "Any level"), *Level.choices], required=False
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.all(),
        required=False,
        empty_label="Any agency",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *NominalStatus.choices],
        required=False,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name or identifier",
        max_length=200,
        required=False,
        help_text="A name or alias (spelling need not be exact), or a PNC ID, CRO number, "
        "ViSOR reference, prison or National Insurance number",
    )
    date_of_birth = GovukDateField(label="Date of birth (optional)", required=False)
    birth_year = forms.IntegerField(
        label="Year of birth (optional)",
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": "Year of birth must be a number, like 1985",
            "min_value": "Year of birth must be 1900 or later",
            "max_value": "Year of birth must be 2100 or earlier",
        },
    )


# Attachment forms ---------------------------------------------------------


class AliasForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["kind", "given_names", "family_name"]
        labels = {"kind": "Kind of name", "given_names": "Given names or nickname"}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AliasKind.choices  # type: ignore[attr-defined]


class IdentifierForm(forms.ModelForm):
    class Meta:
        model = Identifier
        fields = ["kind", "value", "issuer"]
        labels = {
            "kind": "Kind of identifier",
            "value": "Number or reference",
            "issuer": "Issued by (agency case numbers only)",
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = IdentifierKind.choices  # type: ignore[attr-defined]
        self.fields["value"].error_messages["required"] = "Enter the number or reference"


def _date_fields(model: Any, names: list[str], past_only: tuple[str, ...] = ()) -> dict[str, Any]:
    fields = {}
    for name in names:
        model_field = model._meta.get_field(name)
        label = str(model_field.verbose_name)
        fields[name] = GovukDateField(
            label=label[:1].upper() + label[1:],
            required=not model_field.blank,
            past_only=name in past_only,
        )
    return fields


class AddressForm(forms.ModelForm):
    from_date = GovukDateField(label="From", required=False)
    to_date = GovukDateField(label="Until", required=False)

    class Meta:
        model = Address
        fields = [
            "kind",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "reporting_arrangement",
            "from_date",
            "to_date",
        ]
        labels = {
            "kind": "Type of address",
            "reporting_arrangement": "If no fixed abode: where the person reports, and the area of closest links",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "reporting_arrangement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AddressKind.choices  # type: ignore[attr-defined]


class ConvictionForm(forms.ModelForm):
    conviction_date = GovukDateField(label="Date of conviction or caution", past_only=True)
    offence_date = GovukDateField(label="Date of offence", required=False, past_only=True)

    class Meta:
        model = Conviction
        fields = [
            "offence",
            "offence_date",
            "conviction_date",
            "is_caution",
            "court",
            "country",
            "sentence",
            "is_index_offence",
            "details",
        ]
        labels = {"country": "Country where convicted"}
        widgets = {"details": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offence"].error_messages["required"] = "Enter the offence"


_SENTENCE_DATES = [
    "sentence_date",
    "release_date",
    "parole_eligibility_date",
    "non_parole_date",
    "rotl_eligibility_date",
    "licence_expiry_date",
    "sentence_expiry_date",
    "hdc_date",
    "community_order_end_date",
    "mental_health_review_date",
]

SentenceForm = type(
    "SentenceForm",
    (forms.ModelForm,),
    {
        **_date_fields(Sentence, _SENTENCE_DATES, past_only=("sentence_date",)),
        "Meta": type(
            "Meta",
            (),
            {
                "model": Sentence,
                "fields": [
                    "description",
                    *_SENTENCE_DATES,
                    "is_ipp",
                    "is_epp",
                    "is_life",
                    "has_disqualification_order",
                    "has_sopo",
                    "has_violent_offender_order",
                ],
                "labels": {"description": "Sentence"},
            },
        ),
    },
)

HospitalDetentionForm = type(
    "HospitalDetentionForm",
    (forms.ModelForm,),
    {
        **_date_fields(
            HospitalDetention,
            ["admitted_on", "earliest_discharge_date", "next_tribunal_date"],
            past_only=("admitted_on",),
        ),
        "Meta": type(
            "Meta",
            (),
            {
                "model": HospitalDetention,
                "fields": [
                    "hospital",
                    "responsible_clinician",
                    "admitted_on",
                    "earliest_discharge_date",
                    "proposed_release_address",
                    "forensic_social_worker",
                    "next_tribunal_date",
                    "basis",
                ],
                "widgets": {
                    "basis": forms.RadioSelect,
                    "proposed_release_address": forms.Textarea(attrs={"rows": 3}),
                },
            },
        ),
    },
)


class WarningMarkerForm(forms.ModelForm):
    recorded_on = GovukDateField(label="Date recorded", past_only=True)

    class Meta:
        model = WarningMarker
        fields = ["kind", "detail", "recorded_on", "source"]
        labels = {"kind": "Warning", "source": "Source (who reported it)"}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = WarningMarker.Kind.choices  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    agency = _agency_field("Partner agency")
