from django.urls import path

from mappa.minutes import views

app_name = "minutes"

urlpatterns = [
    path("discussion/<uuid:pk>/", views.discussion, name="discussion"),
    path("discussion/<uuid:pk>/start/", views.start, name="start"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/section/<slug:section>/", views.section, name="section"),
    path("<uuid:pk>/section/<slug:section>/autosave/", views.autosave, name="autosave"),
    path("<uuid:pk>/updates/add/", views.update_edit, name="update_add"),
    path("<uuid:pk>/updates/<uuid:update_pk>/", views.update_edit, name="update_edit"),
    path("<uuid:pk>/updates/<uuid:update_pk>/remove/", views.update_remove, name="update_remove"),
    path("<uuid:pk>/actions/add/", views.action_edit, name="action_add"),
    path("<uuid:pk>/actions/<uuid:action_pk>/", views.action_edit, name="action_edit"),
    path("<uuid:pk>/actions/<uuid:action_pk>/remove/", views.action_remove, name="action_remove"),
    path("<uuid:pk>/check/", views.check, name="check"),
    path("<uuid:pk>/reopen/", views.reopen, name="reopen"),
    path("<uuid:pk>/distribute/", views.distribute, name="distribute"),
    path("<uuid:pk>/amend/", views.amend, name="amend"),
    path("<uuid:pk>/print/", views.print_view, name="print"),
    path("<uuid:pk>/pdf/", views.pdf, name="pdf"),
    path("case/<uuid:case_pk>/", views.case_minutes, name="case"),
    path("case/<uuid:case_pk>/level-1-reviews/", views.level1, name="level1"),
    path("notices/", views.notices, name="notices"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<uuid:pk>/", views.action_detail, name="action"),
    path("actions/<uuid:pk>/progress/", views.action_progress, name="action_progress"),
    path("actions/<uuid:pk>/complete/", views.action_complete, name="action_complete"),
    path(
        "actions/<uuid:pk>/not-completed/", views.action_not_completed, name="action_not_completed"
    ),
]
