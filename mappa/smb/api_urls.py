"""This app's API operations, added to the api namespace by mappa/api/urls.py."""

from django.urls import URLPattern, URLResolver, path

from mappa.smb import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/smb/meetings/", api.SmbMeetingListView.as_view(), name="smb-meeting-list"),
    path("v1/smb/attendance/", api.SmbAttendanceView.as_view(), name="smb-attendance"),
]
