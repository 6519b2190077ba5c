"""This app's API operations, added to the api namespace by mappa/api/urls.py:
GET /api/v1/documents/<kind>/<id>/?format=pdf|docx (names api:document-<kind>)."""

from django.urls import URLPattern, URLResolver, path

from mappa.documents.api import VIEWS
from mappa.documents.registry import KINDS

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"v1/documents/{slug}/<uuid:pk>/", VIEWS[slug].as_view(), name=f"document-{slug}")
    for slug in KINDS
]
