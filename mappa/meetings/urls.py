from django.urls import path

from mappa.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/add/", views.schedule_edit, name="schedule_add"),
    path("schedule/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("standing-members/add/", views.standing_member_edit, name="standing_add"),
    path("standing-members/<int:pk>/", views.standing_member_edit, name="standing_edit"),
    path("emergency/", views.meeting_add, name="add"),
    path("case/<uuid:pk>/", views.case_discussions, name="case"),
    path("<uuid:pk>/", views.meeting_detail, name="detail"),
    path("<uuid:pk>/change/", views.meeting_change, name="change"),
    path("<uuid:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<uuid:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<uuid:pk>/agenda/<uuid:item>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<uuid:pk>/agenda/<uuid:item>/move/", views.agenda_move, name="agenda_move"),
    path("<uuid:pk>/agenda/<uuid:item>/time/", views.agenda_time, name="agenda_time"),
    path("<uuid:pk>/agenda/<uuid:item>/attendance/", views.attendance, name="attendance"),
    path(
        "<uuid:pk>/agenda/<uuid:item>/written-information/",
        views.written_information,
        name="written_information",
    ),
    path("<uuid:pk>/invitations/propose/", views.invitations_propose, name="invitations_propose"),
    path("<uuid:pk>/invitations/confirm/", views.invitations_confirm, name="invitations_confirm"),
    path("<uuid:pk>/invitations/add/", views.invitation_add, name="invitation_add"),
    path(
        "<uuid:pk>/invitations/<uuid:invitation>/withdraw/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("<uuid:pk>/invitations/send/", views.invitations_send, name="invitations_send"),
]
