from django.urls import URLPattern, URLResolver, path

from mappa.audit import views

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.audit_index, name="index"),
    path("records/<uuid:nominal_id>/", views.record_events, name="record"),
    path("users/<int:user_id>/", views.user_events, name="user"),
]
