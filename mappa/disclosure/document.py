"""The executive summary as a ``Document`` for the renderers (mappa.documents.render).

Drawn only from a finalised, immutable version's stored content: what was reviewed
and finalised is what is printed, never the records as they are today. The redaction
log kept beside the version is never part of the document.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mappa.common.dates import today
from mappa.documents.model import Document, Field, Section, Table

NONE_RECORDED = "None recorded"


def _section(data: dict[str, Any]) -> Section:
    fields = tuple(
        Field(label=str(f.get("label", "")), value=str(f.get("value", "") or ""))
        for f in data.get("fields", [])
    )
    tables = tuple(
        Table(
            columns=tuple(str(c) for c in t.get("columns", [])),
            rows=tuple(tuple(str(cell) for cell in row) for row in t.get("rows", [])),
        )
        for t in data.get("tables", [])
        if t.get("rows")
    )
    empty = str(data.get("empty", "") or "")
    note = str(data.get("note", "") or "")
    if fields or tables:
        # A section with content keeps its "nothing of this kind" words as a note.
        note, empty = " ".join(p for p in (note, empty) if p), ""
    elif not empty:
        empty = NONE_RECORDED
    return Section(
        heading=str(data.get("heading", "")),
        fields=fields,
        tables=tables,
        empty=empty,
        note=note,
    )


def build_executive_summary(version: Any) -> Document:
    """The document for one finalised version (``ExecutiveSummaryVersion``)."""
    content = version.content
    case_reference = content.get("case_reference") or version.summary.case.reference
    finalised = timezone.localtime(version.finalised_at)
    return Document(
        kind="executive_summary",
        title="MAPPA meeting minutes executive summary",
        reference=f"{case_reference} executive summary v{version.number}",
        generated_on=today(),
        sections=tuple(_section(s) for s in content.get("sections", [])),
        subtitle=(
            f"Version {version.number}, finalised on {finalised.day} {finalised:%B %Y} by "
            f"{version.finalised_by.display_name}. Not the minutes: the full minutes are "
            "never released (JMAPPA guidance 5.5)."
        ),
        filename_stem=(f"executive-summary-{case_reference.replace('/', '-')}-v{version.number}"),
    )
