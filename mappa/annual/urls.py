from django.urls import URLPattern, URLResolver, path

from mappa.annual import views

app_name = "annual"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report, name="report"),
    path("<int:year>/explanation/", views.note, name="note"),
    path("<int:year>/export/<slug:fmt>/", views.export, name="export"),
]
