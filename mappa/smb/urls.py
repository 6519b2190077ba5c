from django.urls import URLPattern, URLResolver, path

from mappa.smb import views

app_name = "smb"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.board, name="board"),
    path("seats/add/", views.seat_add, name="seat_add"),
    path("seats/<int:pk>/", views.seat_edit, name="seat_edit"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("seats/<int:pk>/holder/", views.holder_change, name="holder_change"),
    path("seats/<int:pk>/holders/<int:holder>/", views.holder_edit, name="holder_edit"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/add/", views.meeting_add, name="meeting_add"),
    path("meetings/<uuid:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:pk>/change/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<uuid:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("attendance/", views.attendance, name="attendance"),
]
