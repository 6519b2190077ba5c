"""/documents/<kind>/<id>.pdf and .docx: MAPPA A, MAPPA B, level 1 review, executive
summary. Names: documents:<kind>_<format>, e.g. documents:minutes_pdf."""

from django.urls import URLPattern, URLResolver, path

from mappa.documents import views
from mappa.documents.registry import FORMATS, KINDS

app_name = "documents"


def url_name(kind: str, fmt: str) -> str:
    return f"{kind.replace('-', '_')}_{fmt}"


urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{kind}/<uuid:pk>.{fmt}", views.download(kind, fmt), name=url_name(kind, fmt))
    for kind in KINDS
    for fmt in FORMATS
]
