"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

KIND_SLUGS = ("referral", "minutes", "level1-review", "executive-summary")
FORMATS = ("pdf", "docx")

# Every download asks DOCUMENT_DOWNLOAD on the record (mappa.documents.access decides it
# by the record's own view action).
ROUTES: dict[str, Any] = {
    f"documents:{slug.replace('-', '_')}_{fmt}": (Action.DOCUMENT_DOWNLOAD,)
    for slug in KIND_SLUGS
    for fmt in FORMATS
}
ROUTES.update({f"api:document-{slug}": (Action.DOCUMENT_DOWNLOAD,) for slug in KIND_SLUGS})

API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", f"/api/v1/documents/{slug}/{{id}}/"): Action.DOCUMENT_DOWNLOAD for slug in KIND_SLUGS
}
