from django.urls import URLPattern, URLResolver, path

from mappa.quality import views

app_name = "quality"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.area, name="area"),
    path("case/<uuid:pk>/", views.case, name="case"),
    path("meeting/<uuid:pk>/", views.meeting, name="meeting"),
]
