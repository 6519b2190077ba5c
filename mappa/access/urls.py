from django.urls import path

from mappa.access import views

app_name = "access"

urlpatterns = [
    path("emergency/", views.emergency_queue, name="emergency_queue"),
    path("emergency/<uuid:pk>/", views.emergency_request, name="emergency_request"),
    path(
        "emergency/review/<uuid:grant>/",
        views.emergency_review,
        name="emergency_review",
    ),
    path("sections/", views.section_rule_list, name="section_rules"),
    path("sections/<slug:section>/", views.section_rule_edit, name="section_rule_edit"),
]
