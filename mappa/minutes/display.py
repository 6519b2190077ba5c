"""Minutes as people read them: section by section, each answer in words, with any
amendment shown in place beside what was first distributed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from mappa.minutes.models import HraGround, Minutes, MinutesAmendment, minutes_field
from mappa.minutes.services import SECTIONS, _json

# Shown only when answered: they depend on an earlier answer.
CONDITIONAL = frozenset(
    {
        "vlo_contact",
        "domestic_abuse_details",
        "marac_referred",
        "marac_meeting",
        "marac_date",
        "marac_actions",
        "differences_of_opinion",
        "disclosure_what",
        "disclosure_by_date",
        "disclosure_by_whom",
        "disclosure_to_whom",
        "withhold_reasons",
        "media_issue",
        "media_alerted",
        "media_alerted_by",
        "media_who_will",
        "ongoing_achieve",
        "discharge_notes",
        "next_meeting_time",
        "next_meeting_location",
    }
)


def label_of(name: str) -> str:
    text = str(minutes_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def display_value(name: str, value: Any) -> str:
    """One stored (JSON) value in words."""
    if name.startswith("review."):
        part = name.rsplit(".", 1)[1]
        if part == "completed":
            return {"yes": "Yes", "no": "No"}.get(str(value), "Not answered")
        if part == "done_on":
            return _date(value)
        return str(value or "")
    model_field = minutes_field(name)
    if value in (None, "", []):
        return ""
    if name == "hra_grounds":
        lookup = dict(HraGround.choices)
        return "; ".join(str(lookup.get(v, v)) for v in value)
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.DateField):
        return _date(value)
    if isinstance(model_field, models.TimeField):
        return str(value)[:5]
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    return str(value)


def _date(value: Any) -> str:
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{day:%-d %B %Y}"


@dataclass
class Row:
    name: str
    label: str
    value: str
    amendments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SectionView:
    key: str
    number: str
    title: str
    rows: list[Row]


def sections_for_display(minutes: Minutes, amendments: list[MinutesAmendment]) -> list[SectionView]:
    by_field: dict[str, list[MinutesAmendment]] = {}
    for amendment in amendments:
        by_field.setdefault(amendment.field, []).append(amendment)
    out: list[SectionView] = []
    for section in SECTIONS:
        rows: list[Row] = []
        for name in section.fields:
            value = display_value(name, _json(getattr(minutes, name)))
            changes = [
                {
                    "value": display_value(name, a.after),
                    "reason": a.reason,
                    "author": a.author.display_name,
                    "at": a.at,
                }
                for a in by_field.get(name, [])
            ]
            if not value and not changes and name in CONDITIONAL:
                continue
            rows.append(Row(name=name, label=label_of(name), value=value, amendments=changes))
        out.append(
            SectionView(key=section.key, number=section.number, title=section.title, rows=rows)
        )
    return out
