"""Forms for the annual report page, worded as GOV.UK asks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mappa.annual.report import ReportYearError, parse_year
from mappa.annual.services import MAX_EXPLANATION


class YearForm(forms.Form):
    year = forms.CharField(
        label="Reporting year",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].help_text = hint

    def clean_year(self) -> int:
        try:
            return parse_year(self.cleaned_data.get("year"))
        except ReportYearError as exc:
            raise ValidationError(str(exc), code="year") from exc


class NoteForm(forms.Form):
    explanation = forms.CharField(
        label="Explanation of the figures",
        help_text="What the figures show and why they changed. It is printed with the "
        "tables in every export.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_EXPLANATION,
        error_messages={
            "required": "Enter the explanation of the figures",
            "max_length": f"The explanation must be {MAX_EXPLANATION:,} characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
