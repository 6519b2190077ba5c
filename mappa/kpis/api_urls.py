"""This app's API operations, added to the api namespace by mappa/api/urls.py."""

from django.urls import URLPattern, URLResolver, path

from mappa.kpis import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/kpis/", api.KpiView.as_view(), name="kpis"),
]
