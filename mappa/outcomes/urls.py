from django.urls import URLPattern, URLResolver, path

from mappa.outcomes import views

app_name = "outcomes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<uuid:nominal_pk>/", views.event_list, name="list"),
    path("<uuid:nominal_pk>/add/", views.event_add, name="add"),
    path("<uuid:nominal_pk>/<uuid:pk>/", views.event_edit, name="edit"),
    path("<uuid:nominal_pk>/<uuid:pk>/remove/", views.event_remove, name="remove"),
]
