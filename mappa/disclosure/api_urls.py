"""This app's API operations, added to the api namespace by mappa/api/urls.py."""

from django.urls import URLPattern, URLResolver, path

from mappa.disclosure import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "v1/minutes-requests/",
        api.MinutesRequestCollectionView.as_view(),
        name="minutes-request-list",
    ),
    path(
        "v1/minutes-requests/<uuid:pk>/",
        api.MinutesRequestItemView.as_view(),
        name="minutes-request-detail",
    ),
    path(
        "v1/executive-summaries/<uuid:pk>/",
        api.ExecutiveSummaryItemView.as_view(),
        name="executive-summary-detail",
    ),
]
