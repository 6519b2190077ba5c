"""The form for a person around a case. Which questions it asks depends on who the
person is: MAPPA B s.7 for children and vulnerable adults, s.10 for victims."""

from typing import Any

from django import forms

from mappa.common.forms import GovukDateField
from mappa.people.models import SAFEGUARDING_KINDS, Answer, CasePerson, PersonKind
from mappa.register.models import Gender

BASE_FIELDS = [
    "given_names",
    "family_name",
    "date_of_birth",
    "gender",
    "relation_to_nominal",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "knows_of_management",
    "concerns",
]
SAFEGUARDING_FIELDS = ["school_age", "child_protection_plan", "social_worker"]
VICTIM_FIELDS = ["victim_liaison", "vlo_contact"]


def fields_for(kind: str) -> list[str]:
    extra: list[str] = []
    if kind in SAFEGUARDING_KINDS:
        extra = SAFEGUARDING_FIELDS
    elif kind == PersonKind.VICTIM:
        extra = VICTIM_FIELDS
    return [*BASE_FIELDS, *extra]


def _answer_field(label: str, *, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Answer.choices,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": f"Select whether {label[:1].lower()}{label[1:]}"},
    )


class CasePersonForm(forms.ModelForm):
    date_of_birth = GovukDateField(label="Date of birth (optional)", required=False, past_only=True)
    gender = forms.ChoiceField(
        label="Gender (optional)", choices=Gender.choices, widget=forms.RadioSelect, required=False
    )
    aliases = forms.CharField(
        label="Other names they are known by (optional)",
        help_text="One name on each line",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = CasePerson
        fields = [*BASE_FIELDS, *SAFEGUARDING_FIELDS, *VICTIM_FIELDS]
        labels = {
            "given_names": "Given names",
            "family_name": "Family name",
            "address_line_1": "Address line 1 (optional)",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or parish (optional)",
            "postcode": "Postcode (optional)",
            "concerns": "Concerns",
            "social_worker": "Allocated social worker (optional)",
            "vlo_contact": "Victim liaison officer's contact details",
        }
        help_texts = {
            "given_names": "Leave blank if only the family name is known",
            "relation_to_nominal": "For example, daughter, former partner, neighbour",
            "concerns": "What the concerns about or for this person are",
            "social_worker": "Name and contact details",
            "vlo_contact": "Needed when the victim has taken up the Victim Liaison Service",
        }
        widgets = {"concerns": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["knows_of_management"] = _answer_field(
            "Do they know the person is managed under MAPPA?", required=True
        )
        self.fields["knows_of_management"].error_messages["required"] = (
            "Select whether they know the person is managed under MAPPA"
        )
        self.fields["school_age"] = _answer_field("Are they of school age?")
        self.fields["child_protection_plan"] = _answer_field(
            "Are they subject to a child protection plan?"
        )
        self.fields["victim_liaison"] = _answer_field(
            "Has the victim taken up the Victim Liaison Service?"
        )
        self.fields["relation_to_nominal"].error_messages["required"] = (
            "Enter their relationship to the person managed, for example 'daughter'"
        )
        wanted = set(fields_for(kind)) | {"aliases"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = "\n".join(a.name for a in self.instance.aliases.all())
        # The field order of the page: names, then the questions.
        order = [*fields_for(kind)]
        order.insert(2, "aliases")
        self.order_fields(order)

    def alias_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]

    def person_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "aliases"}
        for name in ("gender", "school_age", "child_protection_plan", "victim_liaison"):
            if name in data and data[name] is None:
                data[name] = ""
        return data

    def _post_clean(self) -> None:
        # The service validates the whole record (with its case); the form only shapes input.
        return None
