"""This app's API operations, added to the api namespace by mappa/api/urls.py."""

from django.urls import URLPattern, URLResolver, path

from mappa.quality import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/quality/cases/<uuid:pk>/", api.CaseQualityView.as_view(), name="quality-case"),
    path(
        "v1/quality/meetings/<uuid:pk>/",
        api.MeetingQualityView.as_view(),
        name="quality-meeting",
    ),
]
