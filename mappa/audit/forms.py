"""Forms for the auditor's pages: filters and the look-ups on the index page."""

from typing import Any

from django import forms

from mappa.audit.selectors import EVENT_KINDS
from mappa.common.forms import GovukDateField

ACTION_LABELS = {
    "dashboard.view": "Viewed the performance figures",
    "dashboard.export": "Exported the performance dashboard",
    "dashboard.smb_pack_export": "Exported the quarterly SMB pack",
    "access.refused": "Refused access",
    "audit.export": "Exported the audit trail",
    "audit.values_erased": "Erased values under retention",
    "audit.view": "Read the audit trail",
    "case.management_change": "Changed the case's management",
    "case.partner_add": "Added a partner agency",
    "case.partner_end": "Ended a partner agency's part",
    "nominal.archive": "Archived the record",
    "nominal.create": "Added the person to the register",
    "nominal.photo_view": "Viewed the photograph",
    "nominal.reactivate": "Re-activated the record",
    "nominal.update": "Changed the person's details",
    "nominal.view": "Viewed the record",
    "register.search": "Searched the register",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


class EventFilterForm(forms.Form):
    date_from = GovukDateField(
        label="Start date", required=False, help_text="For example, 27 3 2025"
    )
    date_to = GovukDateField(label="End date", required=False)
    kind = forms.ChoiceField(
        label="Kind of event",
        required=False,
        choices=[("", "All kinds"), *((key, label) for key, (label, _) in EVENT_KINDS.items())],
        error_messages={"invalid_choice": "Select a kind of event from the list"},
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        error_messages={"invalid_choice": "Select an action from the list"},
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All actions"), *((action, action_label(action)) for action in actions)]
        self.fields["action"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "End date must be the same as or after the start date")
        return data

    def filters(self) -> dict[str, Any]:
        """What the page filters by, in a form fit for the audit record of the viewing."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {key: data.get(key) or None for key in ("date_from", "date_to", "kind", "action")}


class RecordLookupForm(forms.Form):
    reference = forms.CharField(
        label="Record reference",
        max_length=30,
        help_text="For example, MN-000123",
        error_messages={"required": "Enter a record reference"},
    )


class UserLookupForm(forms.Form):
    user = forms.CharField(
        label="Name or username",
        max_length=100,
        required=False,
    )
