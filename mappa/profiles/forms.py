"""The area form: which jurisdiction profile the area uses, and its population."""

from typing import Any

from django import forms

from mappa.profiles.selectors import profile_for, profile_keys


class AreaForm(forms.Form):
    profile_key = forms.ChoiceField(
        label="Jurisdiction profile",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the jurisdiction profile"},
    )
    population = forms.IntegerField(
        label="Population (optional)",
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Used for figures per 100,000 of the population",
        error_messages={
            "invalid": "Population must be a whole number, like 103267",
            "min_value": "Population must be 1 or more",
        },
    )
    population_source = forms.CharField(
        label="Source of the population figure (optional)",
        required=False,
        max_length=200,
        help_text="For example, 2021 Census, all ages",
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profile_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, f"{profile_for(key).name} ({key})") for key in profile_keys()]
