from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "mappa.disclosure"
    label = "disclosure"
