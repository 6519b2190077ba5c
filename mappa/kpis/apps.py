from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "mappa.kpis"
    label = "kpis"
