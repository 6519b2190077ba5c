from django.urls import path

from mappa.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_record, name="record"),
    path("<uuid:pk>/", views.request_detail, name="detail"),
    path("<uuid:pk>/clarify/", views.request_clarify, name="clarify"),
    path("<uuid:pk>/route/", views.request_route, name="route"),
    path("<uuid:pk>/decide/", views.request_decide, name="decide"),
    path("<uuid:pk>/release/", views.request_release, name="release"),
    path("<uuid:pk>/summary/", views.summary_start, name="summary_start"),
    path("summaries/<uuid:pk>/", views.summary_detail, name="summary"),
    path("summaries/<uuid:pk>/redact/", views.summary_redact, name="summary_redact"),
    path(
        "summaries/<uuid:pk>/redactions/<int:index>/remove/",
        views.summary_unredact,
        name="summary_unredact",
    ),
    path("summaries/<uuid:pk>/redraft/", views.summary_redraft, name="summary_redraft"),
    path("summaries/<uuid:pk>/finalise/", views.summary_finalise, name="summary_finalise"),
    path("summaries/<uuid:pk>/versions/", views.summary_versions, name="summary_versions"),
    path("summaries/versions/<uuid:pk>/", views.version_detail, name="version"),
]
