"""Producing a document for download: build it from the record, draw it, audit it.

Issue 7, point 2: each download is audited with who, what (the kind, the record and
the format) and the document's SHA-256, so that a copy found later can be matched to
the download that made it. The caller has already asked the policy
(``Action.DOCUMENT_DOWNLOAD``) and, on pages, for re-authentication.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from mappa.audit.services import audit_record
from mappa.documents import render
from mappa.documents.registry import Kind


@dataclass(frozen=True)
class Produced:
    content: bytes
    content_type: str
    filename: str
    sha256: str


def document_download(
    *, actor: Any, kind: Kind, record: Any, fmt: str, via: str, request: Any = None
) -> Produced:
    """Draw ``record`` as ``kind`` in ``fmt`` ("pdf" or "docx") and audit the download.

    The document is drawn before the audit transaction opens: drawing takes a moment
    and must not hold the audit chain's lock; nothing is written unless it was drawn.
    """
    document = kind.build(record, viewer=actor)
    content = render.render(document, fmt)
    digest = hashlib.sha256(content).hexdigest()
    filename = f"{document.filename_stem}.{fmt}"
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="document.download",
            obj=record,
            nominal_id=kind.nominal_id(record),
            detail={
                "kind": kind.slug,
                "record_id": str(record.pk),
                "format": fmt,
                "sha256": digest,
                "bytes": len(content),
                "filename": filename,
                "reference": document.reference,
                "via": via,
            },
            request=request,
        )
    return Produced(
        content=content,
        content_type=render.CONTENT_TYPES[fmt],
        filename=filename,
        sha256=digest,
    )
