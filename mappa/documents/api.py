"""The documents over the API: GET /api/v1/documents/<kind>/<id>/?format=pdf|docx.

The same policy as the pages (``Action.DOCUMENT_DOWNLOAD`` on the record; a refusal
answers 403 with the reason and is audited) and the same audit of each download with
the document's SHA-256. A bearer token stands for a recent sign-in with the second
factor, so the API asks for no re-authentication (a token has no session to
re-authenticate; it is issued by an administrator, scoped, expiring and revocable).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.api.views import RegisterAPIView, _responses
from mappa.documents.registry import FORMATS, KINDS, Kind
from mappa.documents.render import CONTENT_TYPES
from mappa.documents.services import document_download
from mappa.documents.views import attachment, record_for

DOCUMENTS = ["Documents"]
FORMAT_MESSAGE = "Choose the format: pdf or docx"


class DocumentView(RegisterAPIView):
    kind: Kind

    def perform_content_negotiation(self, request: Any, force: bool = False) -> Any:
        # "?format=" names the document's format here, not the API's renderer: answers
        # other than the document itself (errors, refusals) are always JSON.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    def get(self, request: Request, pk: Any) -> Any:
        record = record_for(request, self.kind, pk)
        fmt = request.query_params.get("format", "pdf")
        if fmt not in FORMATS:
            return Response({"errors": {"format": [FORMAT_MESSAGE]}}, status=400)
        produced = document_download(
            actor=request.user,
            kind=self.kind,
            record=record,
            fmt=fmt,
            via="api",
            request=request._request,
        )
        return attachment(produced)


def _view(kind: Kind) -> type[DocumentView]:
    name = kind.slug.replace("-", "_")

    # A function of its own per kind: the schema annotation is kept on the function.
    def get(self: DocumentView, request: Request, pk: Any) -> Any:
        return DocumentView.get(self, request, pk)

    what = {
        "referral": "a referral as the MAPPA A form",
        "minutes": "the minutes of one case discussion as the MAPPA B form (all 18 sections)",
        "level1-review": "a level 1 review (J 9.2)",
        "executive-summary": "one finalised version of a case's executive summary (J 5.6)",
    }[kind.slug]
    ok = {
        (200, CONTENT_TYPES[fmt]): OpenApiResponse(
            OpenApiTypes.BINARY, "The document, in the format asked for."
        )
        for fmt in FORMATS
    }
    schema = extend_schema(
        operation_id=f"document_{name}",
        summary=f"Download {kind.label}",
        description=f"Draws {what} from the stored record, as PDF or Word (DOCX), with the "
        "protective marking at the top and bottom of every page, the handling instruction, "
        "the reference, the date generated and the page number. Allowed to whoever may see "
        "the record; each download is audited with the document's SHA-256. A token counts "
        "as a recent sign-in: no re-authentication is asked.",
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(FORMATS),
                default="pdf",
                description="The document's format.",
            )
        ],
        responses=_responses(ok, not_found=True),  # type: ignore[arg-type]
        tags=DOCUMENTS,
    )
    return type(
        f"{name.title().replace('_', '')}DocumentView",
        (DocumentView,),
        {"kind": kind, "get": schema(get)},
    )


VIEWS: dict[str, type[DocumentView]] = {slug: _view(kind) for slug, kind in KINDS.items()}
