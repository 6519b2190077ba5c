"""Form pieces shared by every app: the GOV.UK date input and its wording."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mappa.common.dates import today


class DateInputWidget(forms.MultiWidget):
    """Three boxes (day, month, year) as the GOV.UK date input pattern asks."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year")]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, answered with the Design System's messages."""

    widget = DateInputWidget

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = (value + ["", "", ""])[:3]
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(
                f"{self._sentence_label()} must include a {' and a '.join(missing)}",
                code="incomplete",
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self._sentence_label()} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError(
                f"Year must include 4 numbers, for example {today().year}",
                code="invalid_year",
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(
                f"{self._sentence_label()} must be a real date", code="invalid"
            ) from exc

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise ValidationError(f"Enter the {self._lower_label()}", code="required")
        if self.past_only and value and value > today():
            raise ValidationError(f"{self._sentence_label()} must be in the past", code="future")

    def _sentence_label(self) -> str:
        text = str(self.label or "Date")
        return text[:1].upper() + text[1:]

    def _lower_label(self) -> str:
        text = str(self.label or "date")
        # Keep acronyms (PNC, HDC) as written; lower only a leading capitalised word.
        return text if text[:2].isupper() else text[:1].lower() + text[1:]
