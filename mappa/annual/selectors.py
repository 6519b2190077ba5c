"""Reads for the annual report: the explanation that goes with a year's figures."""

from __future__ import annotations

from mappa.annual.models import AnnualReportNote


def note_for(*, year: int, profile_key: str) -> AnnualReportNote | None:
    """The co-ordinator's explanation of ``year`` in ``profile_key``'s layout, if written."""
    return (
        AnnualReportNote.objects.select_related("updated_by")
        .filter(year=year, profile_key=profile_key)
        .first()
    )
