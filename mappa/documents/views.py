"""Document downloads (issue 7, point 2): /documents/<kind>/<id>.pdf and .docx.

Each asks for re-authentication first (exports and downloads, issue 3), then the
policy (``Action.DOCUMENT_DOWNLOAD`` on the record: a refusal answers 403 and is
audited by the gate), then draws the document and audits the download with its hash.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from mappa.access.gates import check
from mappa.access.policy import Action
from mappa.accounts.reauth import require_recent_authentication
from mappa.documents.registry import KINDS, Kind
from mappa.documents.services import Produced, document_download


def record_for(request: Any, kind: Kind, pk: Any) -> Any:
    """The record a document is made from, refused (and audited) unless the policy
    allows the download."""
    try:
        record = kind.fetch(pk)
    except LookupError as exc:  # the kind's app is not installed
        raise Http404("No such document") from exc
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such record") from exc
    check(request, Action.DOCUMENT_DOWNLOAD, record, nominal_id=kind.nominal_id(record))
    return record


def attachment(produced: Produced) -> HttpResponse:
    response = HttpResponse(produced.content, content_type=produced.content_type)
    response["Content-Disposition"] = f'attachment; filename="{produced.filename}"'
    response["Content-Length"] = str(len(produced.content))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(kind_slug: str, fmt: str) -> Any:
    kind = KINDS[kind_slug]

    @login_required
    @require_GET
    @require_recent_authentication()
    def view(request: HttpRequest, pk: Any) -> HttpResponseBase:
        record = record_for(request, kind, pk)
        produced = document_download(
            actor=request.user, kind=kind, record=record, fmt=fmt, via="page", request=request
        )
        return attachment(produced)

    view.__name__ = f"{kind_slug.replace('-', '_')}_{fmt}"
    view.__qualname__ = view.__name__
    return view
