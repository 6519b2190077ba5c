from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "mappa.profiles"
    label = "profiles"
