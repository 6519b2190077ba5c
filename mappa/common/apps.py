from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "mappa.common"
    label = "common"
