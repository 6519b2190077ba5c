"""The document kinds: which record each is made from, by which builder, about whom.

Pages (/documents/<kind>/<id>.pdf|.docx) and the API (/api/v1/documents/<kind>/<id>/)
look the kind up here; ``mappa.documents.access`` decides on the record itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps

from mappa.documents.model import Document

FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Kind:
    slug: str  # in the address: /documents/<slug>/<id>.pdf
    label: str  # in words, for the audit trail and the schema
    model: str  # "app_label.ModelName" of the record the document is made from
    builder: str  # "module:function" taking the record (and viewer=, if takes_viewer)
    nominal_id: Callable[[Any], Any]  # the person the record is about, for the audit
    select_related: tuple[str, ...] = ()
    takes_viewer: bool = False  # the builder withholds sensitive sections per reader

    def model_class(self) -> Any:
        return apps.get_model(self.model)

    def fetch(self, pk: Any) -> Any:
        """The record, or ``DoesNotExist`` / ``ValueError`` for a wrong id."""
        model = self.model_class()
        return model.objects.select_related(*self.select_related).get(pk=pk)

    def build(self, record: Any, viewer: Any = None) -> Document:
        module, function = self.builder.split(":")
        build = getattr(import_module(module), function)
        if self.takes_viewer:
            return build(record, viewer=viewer)
        return build(record)


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="referral",
            label="MAPPA A (referral)",
            model="referrals.Referral",
            builder="mappa.documents.builders:build_mappa_a",
            nominal_id=lambda referral: referral.nominal_id,
            takes_viewer=True,
        ),
        Kind(
            slug="minutes",
            label="MAPPA B (minutes)",
            model="minutes.Minutes",
            builder="mappa.documents.builders:build_mappa_b",
            nominal_id=lambda minutes: minutes.case.nominal_id,
            select_related=("case",),
        ),
        Kind(
            slug="level1-review",
            label="Level 1 review",
            model="minutes.Level1Review",
            builder="mappa.documents.builders:build_level1_review",
            nominal_id=lambda review: review.case.nominal_id,
            select_related=("case__nominal",),
        ),
        # The chair's executive summary (J 5.6): one finalised, immutable version; its
        # builder is the disclosure app's.
        Kind(
            slug="executive-summary",
            label="Executive summary",
            model="disclosure.ExecutiveSummaryVersion",
            builder="mappa.disclosure.document:build_executive_summary",
            nominal_id=lambda version: version.summary.case.nominal_id,
            select_related=("summary__case",),
        ),
    )
}
