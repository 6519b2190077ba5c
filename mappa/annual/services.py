"""Writes for the annual report: the co-ordinator's explanation (J 15.5).

The figures are never stored; they are computed from the register each time
(``mappa.annual.report``). Only the words the co-ordinator writes are kept, one text
per reporting year and profile, versioned so that two people editing at once cannot
overwrite each other.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mappa.annual.models import AnnualReportNote
from mappa.audit.services import audit_record
from mappa.register.services import ConcurrentEditError

MAX_EXPLANATION = 20000
STALE = (
    "Someone else changed the explanation while you were editing it. Their version is "
    "shown below: make your changes to it again."
)


@transaction.atomic
def annual_report_note_save(
    *,
    actor: Any,
    year: int,
    profile_key: str,
    explanation: str,
    expected_version: int,
    request: Any = None,
) -> AnnualReportNote:
    """Write the explanation of ``year``'s figures.

    ``expected_version`` is the version the writer read (0 when there was none yet); a
    save based on an older version raises ConcurrentEditError and changes nothing.
    """
    text = explanation.strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError({"explanation": ["Enter the explanation of the figures"]})
    if len(text) > MAX_EXPLANATION:
        raise ValidationError(
            {"explanation": [f"The explanation must be {MAX_EXPLANATION:,} characters or fewer"]}
        )
    note = (
        AnnualReportNote.objects.select_for_update()
        .filter(year=year, profile_key=profile_key)
        .first()
    )
    current = note.version if note else 0
    if expected_version != current:
        raise ConcurrentEditError(STALE)
    before = note.explanation if note else None
    if note is None:
        note = AnnualReportNote(year=year, profile_key=profile_key, version=0)
    elif note.explanation == text:
        return note
    note.explanation = text
    note.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    note.version += 1
    note.save()
    audit_record(
        actor=actor,
        action="annual_report.explanation",
        obj=note,
        changes={"explanation": [before, text]},
        detail={"year": year, "profile": profile_key, "version": note.version},
        request=request,
    )
    return note
