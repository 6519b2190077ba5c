from django.apps import AppConfig


class SmbConfig(AppConfig):
    name = "mappa.smb"
    label = "smb"
