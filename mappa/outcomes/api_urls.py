"""This app's API operations, added to the api namespace by mappa/api/urls.py."""

from django.urls import URLPattern, URLResolver, path

from mappa.outcomes import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "v1/nominals/<uuid:pk>/outcomes/",
        api.OutcomeEventCollectionView.as_view(),
        name="outcome-list",
    ),
]
