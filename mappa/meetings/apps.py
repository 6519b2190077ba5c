from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "mappa.meetings"
    label = "meetings"
