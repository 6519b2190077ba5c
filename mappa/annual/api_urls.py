"""This app's API operations, added to the api namespace by mappa/api/urls.py."""

from django.urls import URLPattern, URLResolver, path

from mappa.annual.api import AnnualReportView

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/annual-report/<int:year>/", AnnualReportView.as_view(), name="annual-report"),
]
